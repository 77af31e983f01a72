package io.unbreakable.payments.api.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first look at every /v1 request, before anything reads or stores a part of it: a body over
 * {@code payments.api.max-body-bytes} is a 413 (at once when Content-Length says so, else as soon as
 * the limit is passed, chunked or not: never read whole), a Content-Type that names no concrete media
 * type is a 415, a query string Tomcat cannot decode and a path or query value that is not
 * {@link PlainText} are 400s. The body, read once, stays readable
 * for the filters and the controller after this one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class RequestGuardFilter extends OncePerRequestFilter {

    private final int maxBodyBytes;

    RequestGuardFilter(@Value("${payments.api.max-body-bytes:65536}") int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        // read before anything asks for parameters: a form-encoded body would otherwise be parsed whole by Tomcat
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        if (request.getContentType() != null && !isConcreteMediaType(request.getContentType())) {
            // Spring MVC would fail on "*/*" with an IllegalArgumentException: a 500 for the client's mistake
            Problems.write(request, response, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be a concrete media type (application/json), not " + shortened(request.getContentType()));
            return;
        }
        HttpServletRequest readable = new CachedBodyRequest(request, body);
        Optional<String> refusal = refusal(readable);
        if (refusal.isPresent()) {
            Problems.write(request, response, ErrorCode.INVALID_REQUEST, refusal.get());
            return;
        }
        chain.doFilter(readable, response);
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the rest of the body is not read: the connection closes after the answer
        response.setHeader("Connection", "close");
        Problems.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE, "request bodies are limited to " + maxBodyBytes + " bytes");
    }

    private static boolean isConcreteMediaType(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static String shortened(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private static Optional<String> refusal(HttpServletRequest request) {
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (IllegalStateException e) { // Tomcat's InvalidParameterException: %ZZ, a broken UTF-8 sequence
            return Optional.of("malformed query string: use percent-encoded UTF-8");
        }
        String path = request.getServletPath() + Optional.ofNullable(request.getPathInfo()).orElse("");
        Optional<String> inPath = PlainText.violation(path).map(why -> "path: " + why);
        if (inPath.isPresent()) {
            return inPath;
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            Optional<String> inName = PlainText.violation(parameter.getKey()).map(why -> "query parameter name: " + why);
            if (inName.isPresent()) {
                return inName;
            }
            for (String value : parameter.getValue()) {
                Optional<String> inValue = PlainText.violation(value).map(why -> "query parameter " + parameter.getKey() + ": " + why);
                if (inValue.isPresent()) {
                    return inValue;
                }
            }
        }
        return Optional.empty();
    }

    /** The request with its body already read, readable again by every filter and the controller. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
