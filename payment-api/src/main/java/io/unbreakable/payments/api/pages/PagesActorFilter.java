package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.security.RequestAudit;
import io.unbreakable.payments.audit.AuditActor;
import io.unbreakable.payments.audit.AuditContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs in an area's filter chain right after the session's sign-in is restored. It names the request's
 * actor for the audit trail (the signed-in console user or merchant; anonymous on the sign-in form) —
 * the same {@link RequestAudit} scope the API's authentication filter opens. In the console it also
 * reads the user as it is now: a user disabled since it signed in is signed out, and a changed role
 * applies from this request on, not from its next sign-in.
 */
final class PagesActorFilter extends OncePerRequestFilter {

    private final Area area;
    private final ConsoleUsers consoleUsers;

    PagesActorFilter(Area area, ConsoleUsers consoleUsers) {
        this.area = area;
        this.consoleUsers = consoleUsers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        AuditActor actor = AuditActor.anonymous();
        if (signedIn != null && signedIn.isAuthenticated()) {
            if (area == Area.CONSOLE) {
                Optional<UserDetails> now = consoleUsers.current(signedIn.getName()).filter(UserDetails::isEnabled);
                if (now.isEmpty()) {
                    SecurityContextHolder.clearContext();
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.removeAttribute(PagesSecurityConfiguration.contextKey(area)); // the portal's sign-in stays
                    }
                    response.sendRedirect(request.getContextPath() + area.base() + "/login?error");
                    return;
                }
                if (!new HashSet<>(now.get().getAuthorities()).equals(new HashSet<>(signedIn.getAuthorities()))) {
                    // this request only: the next one reads the user again anyway
                    SecurityContext context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(signedIn.getPrincipal(), null,
                            now.get().getAuthorities()));
                    SecurityContextHolder.setContext(context);
                }
                actor = AuditActor.consoleUser(signedIn.getName());
            } else {
                actor = AuditActor.merchant(MerchantPortalUsers.merchantId(signedIn));
            }
        }
        try (AuditContext.Scope scope = RequestAudit.open(actor, request)) {
            chain.doFilter(request, response);
        }
    }
}
