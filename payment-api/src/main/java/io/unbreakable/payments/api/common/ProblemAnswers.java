package io.unbreakable.payments.api.common;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/** Error answers in the OpenAPI document, for every package that documents its own: problem+json with the codes of the status. */
public final class ProblemAnswers {

    static final String PROBLEM = "Problem";

    private ProblemAnswers() {
    }

    /** An error answer: problem+json, described by the codes of its status. */
    static ApiResponse problem(int status) {
        String codes = Arrays.stream(ErrorCode.values()).filter(code -> code.status().value() == status).map(Enum::name)
                .collect(Collectors.joining(", "));
        String reason = HttpStatus.valueOf(status).getReasonPhrase();
        return new ApiResponse()
                .description(codes.isEmpty() ? reason : reason + ": " + codes)
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** Adds {@code status} to the operation's answers as a problem, unless it has its own description already. */
    public static void add(Operation operation, int status) {
        ApiResponses responses = operation.getResponses();
        ApiResponse existing = responses.get(Integer.toString(status));
        ApiResponse problem = problem(status);
        if (existing == null) {
            responses.addApiResponse(Integer.toString(status), problem);
        } else {
            existing.setContent(problem.getContent());
            if (existing.getDescription() == null || existing.getDescription().isBlank()) {
                existing.setDescription(problem.getDescription());
            }
        }
    }
}
