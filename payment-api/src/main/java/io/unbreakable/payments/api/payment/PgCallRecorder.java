package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.api.pg.PgClient;
import io.unbreakable.payments.api.pg.PgPayment;
import io.unbreakable.payments.api.pg.PgResult;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Calls the PG and keeps a row per call (operation, outcome, duration) for support and the console. */
@Component
class PgCallRecorder {

    private static final Logger log = LoggerFactory.getLogger(PgCallRecorder.class);

    private final PgClient pg;
    private final PaymentRepository payments;

    PgCallRecorder(PgClient pg, PaymentRepository payments) {
        this.pg = pg;
        this.payments = payments;
    }

    PgResult<PgPayment> call(long paymentId, String operation, String idempotencyKey, Function<PgClient, PgResult<PgPayment>> call) {
        long started = System.nanoTime();
        PgResult<PgPayment> result = call.apply(pg);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        if (result instanceof PgResult.Declined<PgPayment> declined) {
            payments.logPgCall(paymentId, pg.provider(), operation, idempotencyKey, "FAILURE", declined.httpStatus(), declined.code(), durationMs);
        } else if (result instanceof PgResult.Unknown<PgPayment> unknown) {
            log.warn("PG {} {} for payment {}: outcome unknown ({})", pg.provider(), operation, paymentId, unknown.reason());
            payments.logPgCall(paymentId, pg.provider(), operation, idempotencyKey, "UNKNOWN", null, null, durationMs);
        } else {
            payments.logPgCall(paymentId, pg.provider(), operation, idempotencyKey, "SUCCESS", 200, null, durationMs);
        }
        return result;
    }

    String provider() {
        return pg.provider();
    }
}
