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

/**
 * RFC 9457 problem details with a stable {@code code}, for controllers, servlet filters and the
 * servlet container alike. Each also carries {@code message}, the same text as {@code detail}:
 * where Toss Payments-shaped clients (its sample's fail page) read it.
 */
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
        problem.setProperty("message", detail);
        return problem;
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        return of(code.status(), code.name(), detail);
    }

    /** For filters, which run before Spring MVC's exception handling: the same fields, flat, as MVC writes them. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        write(request, response, of(code, detail));
    }

    /** Writes a problem as the whole answer, with its status; for code outside Spring MVC (filters, the container). */
    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json(request.getRequestURI(), problem));
    }

    /** The problem as MVC writes it: type, title, status, detail, instance, then its properties (code, message). */
    static byte[] json(String instance, ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return JSON.writeValueAsBytes(body);
    }
}
