package io.unbreakable.payments.api.common;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's own refusals, made before any filter or servlet sees the request (a malformed request
 * line or header, a bad Host, headers too large, an encoded NUL or slash in the path, an unsupported
 * HTTP version), answered as problem+json instead of Tomcat's HTML page. An unsupported HTTP version
 * (Tomcat's 505) is the client's mistake too: 400 here, so a 5xx stays ours alone.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value()) {
            status = HttpStatus.BAD_REQUEST.value();
            response.setStatus(status);
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String reason = response.getMessage();
        String detail = code == ErrorCode.INTERNAL_ERROR ? "unexpected error; it has been logged"
                : "the request was refused by the HTTP server" + (reason == null || reason.isBlank() ? "" : ": " + shortened(reason));
        ProblemDetail problem = Problems.of(HttpStatus.valueOf(status), code.name(), detail);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(Problems.json(safeUri(request), problem), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was committed meanwhile: nothing left to tell it
        }
    }

    private static String safeUri(Request request) {
        String uri = request.getRequestURI();
        return uri == null || PlainText.violation(uri).isPresent() ? null : shortened(uri);
    }

    private static String shortened(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
