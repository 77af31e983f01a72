package io.unbreakable.payments.audit;

import java.util.Optional;

/**
 * Who acts in this thread, for {@link AuditTrail}: the one way an actor reaches the audit trail. The
 * API's authentication filter opens a scope for the merchant or the admin token, the console's and the
 * portal's security for the signed-in person (anonymous on the sign-in form), a batch job for itself;
 * the scope ends with the request or the job step, and a nested one gives the outer one back.
 */
public final class AuditContext {

    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private AuditContext() {
    }

    /**
     * Makes {@code actor} the current one until the returned scope is closed.
     *
     * @param requestId the request's correlation id (or the job's), may be null
     * @param clientIp the client address as the app sees it (proxies honoured only when configured), may be null
     */
    public static Scope open(AuditActor actor, String requestId, String clientIp) {
        Current previous = CURRENT.get();
        CURRENT.set(new Current(actor, requestId, clientIp));
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    public static Optional<Current> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public record Current(AuditActor actor, String requestId, String clientIp) {
    }

    /** try-with-resources without a checked exception. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
