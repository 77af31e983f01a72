package io.unbreakable.payments.api.idempotency;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.unbreakable.payments.api.common.ProblemAnswers;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Idempotency-Key in the API document, on the operations {@link IdempotencyFilter} applies it to. */
@Configuration(proxyBeanMethods = false)
class IdempotencyDocumentation {

    @Bean
    OpenApiCustomizer idempotencyKeyHeader() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (!IdempotencyFilter.appliesTo(method.name(), path)) {
                return;
            }
            operation.addParametersItem(new HeaderParameter().name(IdempotencyFilter.HEADER).required(false)
                    .description("Up to " + IdempotencyFilter.MAX_KEY_LENGTH + " characters, per merchant, kept 15 days: the same "
                            + "key with the same request replays the first final answer; with another request it is 422")
                    .schema(new StringSchema().minLength(1).maxLength(IdempotencyFilter.MAX_KEY_LENGTH)).example("confirm-order-0001"));
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("2") || status.startsWith("4")) {
                    response.addHeaderObject("Idempotent-Replayed", new Header()
                            .description("true when this is the stored answer of an earlier request with the same key")
                            .schema(new BooleanSchema()));
                }
            });
            ProblemAnswers.add(operation, 409);
            ProblemAnswers.add(operation, 422);
        }));
    }
}
