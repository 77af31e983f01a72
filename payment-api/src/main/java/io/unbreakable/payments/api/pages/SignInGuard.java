package io.unbreakable.payments.api.pages;

import io.micrometer.core.instrument.Metrics;
import io.unbreakable.payments.api.security.RateLimits;
import io.unbreakable.payments.audit.AuditActor;
import io.unbreakable.payments.audit.AuditContext;
import io.unbreakable.payments.audit.AuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Guards the console's and the portal's sign-in. Per user name (what was typed, known or not, so a
 * lock tells nothing about who exists): {@value #MAX_FAILURES} failures within {@link #WINDOW} lock it
 * for {@link #LOCK}, during which even the right password is refused with a message that says so.
 * Per client address: beyond its budget of failures (payments.rate-limits.sign-in-failures) every
 * attempt is refused with 429 and Retry-After before any password is checked — no thread sleeps to
 * slow a guesser down. Failures, locks and refusals are audited; the lock lives in the database, so
 * every instance sees it, and its times come from the app's clock.
 */
@Component
class SignInGuard {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCK = Duration.ofMinutes(15);
    static final int MAX_USERNAME_LENGTH = 100;

    private final SignInGuardRepository guards;
    private final AuditTrail audit;
    private final RateLimits rateLimits;
    private final Clock clock;
    private final TransactionTemplate tx;

    SignInGuard(SignInGuardRepository guards, AuditTrail audit, RateLimits rateLimits, Clock clock, TransactionTemplate tx) {
        this.guards = guards;
        this.audit = audit;
        this.rateLimits = rateLimits;
        this.clock = clock;
        this.tx = tx;
    }

    /** The user name as it is counted: typed names are trimmed to the column's length. */
    static String counted(String typed) {
        String name = typed == null ? "" : typed.strip();
        return name.isEmpty() ? "(blank)" : name.substring(0, Math.min(name.length(), MAX_USERNAME_LENGTH));
    }

    /** Refuses the attempt before the password is checked: the address is over its budget, or the user is locked. */
    void beforeAttempt(Area area, String username) {
        long retryAfterSeconds = rateLimits.signInFailuresExhausted(clientIp());
        if (retryAfterSeconds > 0) {
            // not audited (a flood must not fill the table), counted instead
            refused(area, "address_over_budget");
            throw new Throttled(retryAfterSeconds);
        }
        Optional<OffsetDateTime> lockedUntil = guards.lockedUntil(area, username, now());
        if (lockedUntil.isPresent()) {
            refused(area, "locked");
            tx.executeWithoutResult(status -> audit.record("SIGN_IN_REFUSED_LOCKED", targetType(area), username, null,
                    Map.of("lockedUntil", lockedUntil.get().toString())));
            throw new Locked(lockedUntil.get());
        }
    }

    void failed(Area area, String username) {
        refused(area, "wrong_password");
        rateLimits.signInFailure(clientIp());
        OffsetDateTime now = now();
        tx.executeWithoutResult(status -> {
            SignInGuardRepository.Failures failures = guards.recordFailure(area, username, now, now.minus(WINDOW), MAX_FAILURES,
                    now.plus(LOCK));
            audit.record("SIGN_IN_FAILED", targetType(area), username, null, Map.of("failuresInWindow", failures.count()));
            if (failures.lockedUntil() != null && failures.lockedUntil().isAfter(now)) {
                audit.record("SIGN_IN_LOCKED", targetType(area), username, null,
                        Map.of("failuresInWindow", failures.count(), "lockedUntil", failures.lockedUntil().toString()));
            }
        });
    }

    /** Clears the count and records the sign-in as the user it now is. */
    void succeeded(Area area, String username) {
        AuditActor user = area == Area.CONSOLE ? AuditActor.consoleUser(username) : AuditActor.merchant(Long.parseLong(username));
        AuditContext.Current current = AuditContext.current().orElseThrow();
        try (AuditContext.Scope scope = AuditContext.open(user, current.requestId(), current.clientIp())) {
            tx.executeWithoutResult(status -> {
                guards.clear(area, username);
                audit.record("SIGN_IN_SUCCEEDED", targetType(area), username, null, null);
            });
        }
    }

    /** payments_sign_in_refusals_total{area, reason}: what an alert on a guessing attack would watch. */
    private static void refused(Area area, String reason) {
        Metrics.counter("payments.sign.in.refusals", "area", area.name(), "reason", reason).increment();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String clientIp() {
        return AuditContext.current().map(AuditContext.Current::clientIp).orElse("unknown");
    }

    private static String targetType(Area area) {
        return area == Area.CONSOLE ? "CONSOLE_USER" : "MERCHANT";
    }

    /** The user is locked: even the right password is refused until {@code lockedUntil}. */
    static final class Locked extends LockedException {

        private final OffsetDateTime lockedUntil;

        Locked(OffsetDateTime lockedUntil) {
            super("locked until " + lockedUntil);
            this.lockedUntil = lockedUntil;
        }

        OffsetDateTime lockedUntil() {
            return lockedUntil;
        }
    }

    /** The client address used up its failures: 429 with Retry-After, no password checked. */
    static final class Throttled extends AuthenticationException {

        private final long retryAfterSeconds;

        Throttled(long retryAfterSeconds) {
            super("too many failed sign-ins from this address");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
