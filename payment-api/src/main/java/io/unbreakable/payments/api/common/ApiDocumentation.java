package io.unbreakable.payments.api.common;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document (/v3/api-docs, committed as docs/openapi.json) as a contract a client can be
 * generated from. Derived from code, so a new controller gets it without annotations: every error
 * answer is problem+json ({@code Problem}) with the codes of its status listed from {@link ErrorCode};
 * every /v1 operation can answer 400, 404, 406, 429 (the rate limits) and 500, one with a body also 413 and 415. The merchant
 * and idempotency packages add their own parts (authentication, Idempotency-Key) the same way, by
 * the same path rules their filters use. Operation-specific answers (202, a PG's 403, 409, 503) are
 * {@code @ApiResponse}s on the controller methods; their content is filled in here.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI paymentsOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Unbreakable Payments API").version("1.0.0")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0"))
                        .description("""
                                Orders, payment confirms through a PG (Toss Payments style), full and partial cancels, \
                                billing keys and subscriptions, wallets and settlements; finance's admin calls under /v1/admin.

                                Merchant calls authenticate with HTTP Basic: the secret key as user, an empty password. \
                                Admin calls take `Authorization: Bearer <PAYMENT_ADMIN_TOKEN>`. Every merchant POST takes an \
                                optional `Idempotency-Key` (up to 300 characters, kept 15 days).

                                Every error is `application/problem+json` with a stable `code` (see each answer's list, and \
                                the PG's own decline codes such as REJECT_CARD_PAYMENT) and `message`, the same text as \
                                `detail`. Text fields refuse control characters; bodies are limited to 64 KiB (413); whole \
                                numbers may be sent as JSON numbers or strings of digits ("50000"). Failed authentications per client \
                                address and requests per merchant are rate limited: 429 with `Retry-After`."""))
                .servers(List.of(new Server().url("http://localhost:8080").description("the embedded default (./mvnw -pl payment-api -am spring-boot:run)")))
                .components(new Components());
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details with a stable code")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema().description("An ErrorCode, or the PG's decline code (REJECT_CARD_PAYMENT, ...)")
                        .example("NOT_FOUND_ORDER"))
                .addProperty("message", new StringSchema().description("The same text as detail (where Toss Payments clients read it)"))
                .addProperty("errors", new ArraySchema().description("Per field, for a refused request body")
                        .items(new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema())))
                .required(List.of("type", "title", "status", "detail", "code", "message"));
    }

    /** Last: after the other packages added their answers, every error answer gets the problem content. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    OpenApiCustomizer problemAnswers() {
        return openApi -> {
            // added here, after springdoc dropped the schemas no operation referenced yet
            openApi.getComponents()
                    .addSchemas("ErrorCode", new StringSchema()
                            .description("The API's own error codes; a PG decline answers with the PG's code instead.")
                            ._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()))
                    .addSchemas(ProblemAnswers.PROBLEM, problemSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                List.of(400, 404, 406, 429, 500).forEach(status -> ProblemAnswers.add(operation, status));
                if (operation.getRequestBody() != null) {
                    List.of(413, 415).forEach(status -> ProblemAnswers.add(operation, status));
                }
                List.copyOf(operation.getResponses().keySet()).stream().filter(code -> code.matches("[45]\\d\\d"))
                        .forEach(code -> ProblemAnswers.add(operation, Integer.parseInt(code)));
            }));
        };
    }

    /**
     * Request examples from the README's walk-through ({@code openapi/examples.json}: "METHOD path" to
     * a body), so the document, the README and the fuzz test's valid seeds say the same.
     */
    @Bean
    OpenApiCustomizer walkThroughExamples() throws IOException {
        Map<String, Object> examples;
        try (InputStream in = new ClassPathResource("openapi/examples.json").getInputStream()) {
            examples = JsonMapper.builder().build().readValue(in, new TypeReference<>() {
            });
        }
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            Object example = examples.get(method.name() + " " + path);
            if (example != null && operation.getRequestBody() != null) {
                operation.getRequestBody().getContent().values().forEach(media -> media.setExample(example));
            }
        }));
    }
}
