package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles every open PG outcome: UNKNOWN payments and abandoned IN_PROGRESS claims are inquired,
 * UNKNOWN cancels are sent again with their own idempotency key. Work is leased row by row with
 * SKIP LOCKED, so any number of API instances share it without asking the PG twice, and each miss
 * backs off exponentially with jitter.
 */
@Component
public class PaymentRecovery {

    private static final Logger log = LoggerFactory.getLogger(PaymentRecovery.class);

    private final PaymentRepository payments;
    private final PaymentOutcomes outcomes;
    private final PgCaller pg;
    private final RecoveryProperties properties;

    PaymentRecovery(PaymentRepository payments, PaymentOutcomes outcomes, PgCaller pg, RecoveryProperties properties) {
        this.payments = payments;
        this.outcomes = outcomes;
        this.pg = pg;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${payments.recovery.poll-interval:5s}", initialDelayString = "${payments.recovery.poll-interval:5s}")
    void poll() {
        if (properties.enabled()) {
            runOnce();
        }
    }

    /** One pass over what is due now; returns how many payments and cancels it worked on. */
    public int runOnce() {
        int worked = 0;
        List<PaymentRepository.DueItem> duePayments;
        do {
            duePayments = payments.leaseDuePayments(properties.batchSize(), properties.lease());
            duePayments.forEach(due -> inquire(due.id(), due.attempts()));
            worked += duePayments.size();
        } while (duePayments.size() == properties.batchSize());
        List<PaymentRepository.DueItem> dueCancels;
        do {
            dueCancels = payments.leaseDueCancels(properties.batchSize(), properties.lease());
            dueCancels.forEach(due -> resendCancel(due.id(), due.attempts()));
            worked += dueCancels.size();
        } while (dueCancels.size() == properties.batchSize());
        if (worked > 0) {
            log.info("recovery: worked on {} open PG outcomes", worked);
        }
        return worked;
    }

    /** Settles one payment now, if the PG can tell (a cancel on an UNKNOWN payment asks first). */
    void resolve(long paymentId) {
        inquire(paymentId, 0);
    }

    private void inquire(long paymentId, int attempts) {
        Payment payment = payments.get(paymentId);
        if (payment.status() != PaymentStatus.UNKNOWN && payment.status() != PaymentStatus.IN_PROGRESS) {
            return;
        }
        PgCaller.PgCall call = pg.call(paymentId, "INQUIRY", null, client -> client.inquire(payment.paymentKey()));
        // "no such payment" is final only once a confirm still travelling to the PG would have arrived
        boolean mayAbort = call.result() instanceof PgResult.Declined<PgPayment> declined
                && declined.httpStatus() == 404
                && payment.requestedAt().isBefore(OffsetDateTime.now().minus(properties.abortAfter()));
        outcomes.applyPaymentResult(call, mayAbort, backoff(attempts));
    }

    private void resendCancel(long cancelId, int attempts) {
        PaymentRepository.CancelRow cancel = payments.findCancel(cancelId).orElseThrow();
        Payment payment = payments.get(cancel.paymentId());
        String idempotencyKey = PaymentService.cancelIdempotencyKey(cancelId);
        PgCaller.PgCall call = pg.call(payment.id(), "CANCEL", idempotencyKey,
                client -> client.cancel(payment.paymentKey(), cancel.cancelAmount(), cancel.cancelReason(), idempotencyKey));
        outcomes.applyCancelResult(cancelId, call, backoff(attempts));
    }

    /** initialBackoff x 2^attempts, capped, times a jitter of 0.8-1.2 so retries after an outage spread out. */
    Duration backoff(int attempts) {
        long base = properties.initialBackoff().toMillis() << Math.min(attempts, 20);
        long capped = Math.min(base, properties.maxBackoff().toMillis());
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
