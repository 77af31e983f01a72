package io.unbreakable.payments.api.common;

import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem details with a stable {@code code}, for controllers and for servlet filters alike. */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        // every refusal is built here, in MVC and in filters alike: the one place to count them by code
        // (static because filters and static helpers reach it; Boot adds its registries to the global one)
        Metrics.counter("payments.api.errors", "code", code, "status", Integer.toString(status.value())).increment();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://unbreakable.payments/problems/" + code.toLowerCase().replace('_', '-')));
        problem.setProperty("code", code);
        return problem;
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        return of(code.status(), code.name(), detail);
    }

    /** For filters, which run before Spring MVC's exception handling: the same fields, flat, as MVC writes them. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        ProblemDetail problem = of(code, detail);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        body.put("code", code.name());
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body);
    }
}
