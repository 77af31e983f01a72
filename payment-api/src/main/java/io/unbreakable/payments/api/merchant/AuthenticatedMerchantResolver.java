package io.unbreakable.payments.api.merchant;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Hands controllers the merchant the authentication filter found, so no query forgets the scope. */
@Configuration(proxyBeanMethods = false)
class AuthenticatedMerchantResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AuthenticatedMerchant.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object merchant = webRequest.getAttribute(ApiAuthenticationFilter.MERCHANT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (merchant == null) {
            throw new IllegalStateException("no authenticated merchant on " + parameter.getExecutable());
        }
        return merchant;
    }
}
