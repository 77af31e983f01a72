package io.unbreakable.payments.api.pages;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

@Configuration(proxyBeanMethods = false)
class PagesWebConfiguration {

    /**
     * springdoc brings webjars-locator, which switches Spring's resource chain on, and with it a filter
     * that runs every link a page writes (response.encodeURL) through the static resource resolvers:
     * a class path search per link, about 0.8 ms each, most of a payment list page's time (JFR, see
     * docs/benchmarks.md). The pages link no versioned resources, so the filter is registered off.
     */
    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilterOff() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.setEnabled(false);
        return registration;
    }
}
