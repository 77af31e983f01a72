package io.unbreakable.payments.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.unbreakable.payments.api.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/openapi.json is the API's contract: the document the app serves, committed so clients are
 * generated from a file and reviewers see contract changes in diffs. It must be what /v3/api-docs
 * says, valid OpenAPI, and agree with the README.
 */
class OpenApiContractTest extends ApiTest {

    static final Path COMMITTED = RepositoryFiles.ROOT.resolve("docs/openapi.json");
    private static final String REFRESH = "./mvnw -pl payment-api -am verify -Dtest=OpenApiContractTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.write=true";
    private static final JsonMapper PRETTY = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    @Test
    void theCommittedDocumentIsWhatTheApiServes() throws IOException {
        Response live = get("/v3/api-docs", null);
        assertThat(live.status()).isEqualTo(200);
        String canonical = PRETTY.writeValueAsString(PRETTY.treeToValue(live.body(), Map.class)) + "\n";
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(COMMITTED, canonical);
        }

        assertThat(Files.exists(COMMITTED)).as("docs/openapi.json is missing; write it with: " + REFRESH).isTrue();
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(committed).as("docs/openapi.json differs from the API's /v3/api-docs: if the change is meant, refresh it with\n  "
                + REFRESH + "\nand commit it").isEqualTo(live.body());
    }

    @Test
    void theDocumentIsValidOpenApiWithAuthenticationIdempotencyAndProblems() {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(RepositoryFiles.read(COMMITTED));
        assertThat(parsed.getMessages()).as("swagger-parser findings").isEmpty();
        OpenAPI api = parsed.getOpenAPI();

        assertThat(api.getInfo().getTitle()).isEqualTo("Unbreakable Payments API");
        assertThat(api.getComponents().getSecuritySchemes()).containsOnlyKeys("basicAuth", "bearerAuth");
        assertThat(api.getComponents().getSchemas().get("ErrorCode").getEnum())
                .as("the enum of codes is generated from ErrorCode").containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        assertThat(api.getPaths()).isNotEmpty();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            assertThat(operation.getOperationId()).as(name).doesNotMatch(".*_\\d+");
            assertThat(operation.getSecurity()).as(name).hasSize(1);
            assertThat(operation.getSecurity().get(0)).as(name).containsOnlyKeys(path.startsWith("/v1/admin/") ? "bearerAuth" : "basicAuth");
            List<String> headers = operation.getParameters() == null ? List.of()
                    : operation.getParameters().stream().filter(p -> "header".equals(p.getIn())).map(Parameter::getName).toList();
            boolean merchantPost = method == PathItem.HttpMethod.POST && !path.startsWith("/v1/admin/");
            assertThat(headers.contains("Idempotency-Key")).as(name + " takes an Idempotency-Key").isEqualTo(merchantPost);
            assertThat(operation.getResponses()).as(name).containsKeys("400", "401", "404", "500");
            if (operation.getRequestBody() != null) {
                assertThat(operation.getResponses()).as(name).containsKeys("413", "415");
            }
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertProblem(name + " " + status, response);
                }
            });
        }));
        Operation confirm = api.getPaths().get("/v1/payments/confirm").getPost();
        assertThat(confirm.getResponses()).containsKeys("200", "202", "403", "409", "422", "503");
        assertThat(confirm.getRequestBody().getContent().get("application/json").getExample()).isNotNull();
    }

    @Test
    void theReadmeListsEveryEndpointAndErrorCodeOfTheDocument() {
        String readme = RepositoryFiles.read(RepositoryFiles.ROOT.resolve("README.md"));
        OpenAPI api = new OpenAPIV3Parser().readContents(RepositoryFiles.read(COMMITTED)).getOpenAPI();

        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet().forEach(method ->
                assertThat(readme).as("README's endpoint table names " + method + " " + path).contains(method + " " + path)));
        Matcher codes = Pattern.compile("(?s)Error codes: (.*?)\\n\\n").matcher(readme);
        assertThat(codes.find()).as("README has an 'Error codes:' paragraph").isTrue();
        Set<String> listed = new TreeSet<>();
        Matcher code = Pattern.compile("`([A-Z_]+)`").matcher(codes.group(1));
        while (code.find()) {
            listed.add(code.group(1));
        }
        assertThat(listed).as("README's error codes").containsAll(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    private static void assertProblem(String name, ApiResponse response) {
        assertThat(response.getDescription()).as(name).isNotBlank();
        assertThat(response.getContent()).as(name).containsOnlyKeys("application/problem+json");
        assertThat(response.getContent().get("application/problem+json").getSchema().get$ref()).as(name).endsWith("/Problem");
    }
}
