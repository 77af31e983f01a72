package io.unbreakable.payments.api.idempotency;

import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.api.common.Problems;
import io.unbreakable.payments.api.common.Sha256;
import io.unbreakable.payments.api.merchant.ApiAuthenticationFilter;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
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
import io.micrometer.core.instrument.Metrics;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Applies an {@code Idempotency-Key} header (up to 300 characters, per merchant) to every merchant
 * POST. Final answers are stored and replayed; answers that are not final (5xx, 202 while the PG's
 * outcome is open, 409 while something is in progress) release the key so a retry runs again and
 * picks up from the recorded recovery point.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 300;

    private final IdempotencyKeys keys;
    private final IdempotencyProperties properties;

    IdempotencyFilter(IdempotencyKeys keys, IdempotencyProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !request.getMethod().equals("POST") || !uri.startsWith("/v1/") || uri.startsWith("/v1/admin/")
                || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AuthenticatedMerchant merchant = (AuthenticatedMerchant) request.getAttribute(ApiAuthenticationFilter.MERCHANT_ATTRIBUTE);
        if (merchant == null) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(HEADER);
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            Problems.write(request, response, ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " characters");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(properties.maxBodyBytes() + 1);
        if (body.length > properties.maxBodyBytes()) {
            Problems.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE, "request bodies are limited to " + properties.maxBodyBytes() + " bytes");
            return;
        }
        String path = request.getRequestURI();
        IdempotencyKeys.Decision decision = keys.begin(merchant.merchantId(), key, request.getMethod(), path,
                sha256(request.getMethod(), path, body));
        switch (decision.outcome()) {
            case KEY_REUSED -> Problems.write(request, response, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request");
            case IN_PROGRESS -> Problems.write(request, response, ErrorCode.IDEMPOTENT_REQUEST_PROCESSING,
                    "the first request with this Idempotency-Key is still being processed; retry later");
            case REPLAY -> replay(response, decision);
            case PROCEED -> proceed(merchant.merchantId(), key, new CachedBodyRequest(request, body), response, chain);
        }
    }

    private void proceed(long merchantId, String key, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, recorded);
        } catch (ServletException | IOException | RuntimeException e) {
            keys.release(merchantId, key);
            throw e;
        }
        int status = recorded.getStatus();
        if (isFinal(status)) {
            keys.finish(merchantId, key, status, new String(recorded.getContentAsByteArray(), StandardCharsets.UTF_8));
        } else {
            keys.release(merchantId, key);
        }
        recorded.copyBodyToResponse();
    }

    /** Final answers replay; open ones (202, 409, 429, 5xx) must run again on retry. */
    static boolean isFinal(int status) {
        return (status >= 200 && status < 300 && status != 202) || (status >= 400 && status < 500 && status != 409 && status != 429);
    }

    private static void replay(HttpServletResponse response, IdempotencyKeys.Decision decision) throws IOException {
        Metrics.counter("payments.idempotency.replays").increment();
        response.setStatus(decision.status());
        response.setHeader("Idempotent-Replayed", "true");
        response.setContentType(decision.status() >= 400 ? MediaType.APPLICATION_PROBLEM_JSON_VALUE : MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(decision.body() == null ? new byte[0] : decision.body().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String method, String path, byte[] body) {
        return Sha256.hex((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8), body);
    }

    /** The request with its body already read (to hash it), readable again by the controller. */
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
