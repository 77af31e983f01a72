package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.pg.PgClient;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.pg.PgRouter;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls a payment's PG provider and times the call. The row kept per call (operation, outcome,
 * duration; for support and the console) is written by {@link PaymentOutcomes} in the transaction
 * that applies the answer: no extra commit on the payment path. A call that was not sent (breaker
 * open, bulkhead full, connection refused) leaves no row: the PG never saw it.
 */
@Component
class PgCaller {

    private static final Logger log = LoggerFactory.getLogger(PgCaller.class);

    private final PgRouter router;

    PgCaller(PgRouter router) {
        this.router = router;
    }

    /** {@code deadline} null: the provider's own timeouts only (the recovery poller, which holds no request). */
    PgCall call(long paymentId, String provider, Instant deadline, String operation, String idempotencyKey,
            Function<PgClient, PgResult<PgPayment>> call) {
        PgProvider pg = deadline == null ? router.provider(provider) : router.provider(provider).until(deadline);
        long started = System.nanoTime();
        PgResult<PgPayment> result = call.apply(pg);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        if (result instanceof PgResult.Unknown<PgPayment> unknown) {
            log.warn("PG {} {} for payment {}: {} ({})", provider, operation, paymentId,
                    unknown.notSent() ? "not sent" : "outcome unknown", unknown.reason());
        }
        return new PgCall(paymentId, provider, operation, idempotencyKey, result, durationMs);
    }

    /** One PG call and what came of it. */
    record PgCall(long paymentId, String provider, String operation, String idempotencyKey, PgResult<PgPayment> result,
            long durationMs) {

        /** The PG never saw this call: nothing happened there, whatever was asked. */
        boolean notSent() {
            return result instanceof PgResult.Unknown<PgPayment> unknown && unknown.notSent();
        }
    }
}
