package io.unbreakable.payments.api.merchant;

import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.unbreakable.payments.api.common.ProblemAnswers;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API document's authentication, by the rule {@link ApiAuthenticationFilter} applies: admin paths bearer, the rest Basic. */
@Configuration(proxyBeanMethods = false)
class ApiAuthenticationDocumentation {

    static final String MERCHANT = "basicAuth";
    static final String ADMIN = "bearerAuth";

    static {
        // resolved from the authentication filter's request attribute, not sent by the client
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedMerchant.class);
    }

    @Bean
    OpenApiCustomizer apiAuthentication() {
        return openApi -> {
            openApi.getComponents()
                    .addSecuritySchemes(MERCHANT, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                            .description("The merchant's secret key (test_sk_..., shown once at creation) as user, an empty password"))
                    .addSecuritySchemes(ADMIN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .description("Finance's PAYMENT_ADMIN_TOKEN"));
            openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                operation.addSecurityItem(new SecurityRequirement().addList(ApiAuthenticationFilter.isAdmin(path) ? ADMIN : MERCHANT));
                ProblemAnswers.add(operation, 401);
            }));
        };
    }
}
