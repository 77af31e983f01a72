package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.pg.PgClient;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls the PG and times the call. The row kept per call (operation, outcome, duration; for support
 * and the console) is written by {@link PaymentOutcomes} in the transaction that applies the answer:
 * no extra commit on the payment path.
 */
@Component
class PgCaller {

    private static final Logger log = LoggerFactory.getLogger(PgCaller.class);

    private final PgClient pg;

    PgCaller(PgClient pg) {
        this.pg = pg;
    }

    PgCall call(long paymentId, String operation, String idempotencyKey, Function<PgClient, PgResult<PgPayment>> call) {
        long started = System.nanoTime();
        PgResult<PgPayment> result = call.apply(pg);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        if (result instanceof PgResult.Unknown<PgPayment> unknown) {
            log.warn("PG {} {} for payment {}: outcome unknown ({})", pg.provider(), operation, paymentId, unknown.reason());
        }
        return new PgCall(paymentId, pg.provider(), operation, idempotencyKey, result, durationMs);
    }

    /** One PG call and what came of it. */
    record PgCall(long paymentId, String provider, String operation, String idempotencyKey, PgResult<PgPayment> result,
            long durationMs) {
    }

    String provider() {
        return pg.provider();
    }
}
