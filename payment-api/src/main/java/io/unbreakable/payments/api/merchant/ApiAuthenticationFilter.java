package io.unbreakable.payments.api.merchant;

import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.api.common.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * /v1/admin/** takes finance's bearer token; every other /v1/** call takes a merchant's secret key
 * as HTTP Basic user with an empty password (the Toss convention).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ApiAuthenticationFilter extends OncePerRequestFilter {

    public static final String MERCHANT_ATTRIBUTE = AuthenticatedMerchant.class.getName();

    private final MerchantService merchants;
    private final AdminToken adminToken;

    ApiAuthenticationFilter(MerchantService merchants, AdminToken adminToken) {
        this.merchants = merchants;
        this.adminToken = adminToken;
    }

    /** Finance's calls: the admin bearer token; every other /v1 call is a merchant's. */
    static boolean isAdmin(String path) {
        return path.startsWith("/v1/admin/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (isAdmin(request.getRequestURI())) {
            if (authorization == null || !authorization.startsWith("Bearer ") || !adminToken.matches(authorization.substring(7))) {
                Problems.write(request, response, ErrorCode.UNAUTHORIZED_KEY, "an admin bearer token is required");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        Optional<AuthenticatedMerchant> merchant = secretKey(authorization).flatMap(merchants::authenticate);
        if (merchant.isEmpty()) {
            Problems.write(request, response, ErrorCode.UNAUTHORIZED_KEY,
                    "a valid secret key is required as HTTP Basic user with an empty password");
            return;
        }
        request.setAttribute(MERCHANT_ATTRIBUTE, merchant.get());
        MDC.put("merchantId", Long.toString(merchant.get().merchantId())); // a log field; the request's MDC is cleared at its end
        chain.doFilter(request, response);
    }

    private static Optional<String> secretKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String key = colon < 0 ? decoded : decoded.substring(0, colon);
            return key.isEmpty() || key.length() > 200 ? Optional.empty() : Optional.of(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
