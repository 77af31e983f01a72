package io.unbreakable.payments.api.idempotency;

import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.api.common.PlainText;
import io.unbreakable.payments.api.common.Problems;
import io.unbreakable.payments.api.common.Sha256;
import io.unbreakable.payments.api.merchant.ApiAuthenticationFilter;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

    IdempotencyFilter(IdempotencyKeys keys) {
        this.keys = keys;
    }

    /** Merchant POSTs: what the Idempotency-Key applies to (and where the API document offers it). */
    static boolean appliesTo(String method, String path) {
        return method.equals("POST") && path.startsWith("/v1/") && !path.startsWith("/v1/admin/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !appliesTo(request.getMethod(), request.getRequestURI()) || request.getHeader(HEADER) == null;
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
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || PlainText.violation(key).isPresent()) {
            Problems.write(request, response, ErrorCode.INVALID_REQUEST,
                    "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " characters without control characters");
            return;
        }
        // RequestGuardFilter ran first: the body is at most payments.api.max-body-bytes, and readable again
        byte[] body = request.getInputStream().readAllBytes();
        String path = request.getRequestURI();
        IdempotencyKeys.Decision decision = keys.begin(merchant.merchantId(), key, request.getMethod(), path,
                sha256(request.getMethod(), path, body));
        switch (decision.outcome()) {
            case KEY_REUSED -> Problems.write(request, response, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request");
            case IN_PROGRESS -> Problems.write(request, response, ErrorCode.IDEMPOTENT_REQUEST_PROCESSING,
                    "the first request with this Idempotency-Key is still being processed; retry later");
            case REPLAY -> replay(response, decision);
            case PROCEED -> proceed(merchant.merchantId(), key, request, response, chain);
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
            keys.finish(merchantId, key, status, new String(recorded.getContentAsByteArray(), StandardCharsets.UTF_8),
                    SecretAnswers.marked(request));
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
}
