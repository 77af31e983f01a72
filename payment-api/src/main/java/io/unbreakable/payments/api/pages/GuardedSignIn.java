package io.unbreakable.payments.api.pages;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * An area's password check wrapped in its {@link SignInGuard}, and what the person sees when it says
 * no: the sign-in page with "wrong user name or password", "locked for N more minutes", or — answered
 * 429 with Retry-After — "too many attempts from your network".
 */
final class GuardedSignIn implements AuthenticationProvider, AuthenticationFailureHandler {

    static final String RETRY_AFTER_ATTRIBUTE = "signInRetryAfterSeconds";

    private final Area area;
    private final DaoAuthenticationProvider passwords;
    private final SignInGuard guard;
    private final Clock clock;

    GuardedSignIn(Area area, DaoAuthenticationProvider passwords, SignInGuard guard, Clock clock) {
        this.area = area;
        this.passwords = passwords;
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String username = SignInGuard.counted(attempt.getName());
        guard.beforeAttempt(area, username);
        Authentication signedIn;
        try {
            signedIn = passwords.authenticate(attempt);
        } catch (BadCredentialsException | DisabledException e) {
            // an unknown name, a wrong password and a disabled user look the same to the person and count the same
            guard.failed(area, username);
            throw new BadCredentialsException("wrong user name or password");
        }
        guard.succeeded(area, username);
        return signedIn;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, ServletException {
        String login = area.base() + "/login";
        if (e instanceof SignInGuard.Throttled throttled) {
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
            request.setAttribute(RETRY_AFTER_ATTRIBUTE, throttled.retryAfterSeconds());
            PageForwards.forwardAsGet(request, response, login);
        } else if (e instanceof SignInGuard.Locked locked) {
            long minutes = Math.max(1, Duration.between(OffsetDateTime.now(clock), locked.lockedUntil()).plusSeconds(59).toMinutes());
            response.sendRedirect(request.getContextPath() + login + "?locked=" + minutes);
        } else {
            response.sendRedirect(request.getContextPath() + login + "?error");
        }
    }
}
