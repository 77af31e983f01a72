package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.payment.PaymentStatus;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.pg.PgRouter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles every open PG outcome: UNKNOWN payments and abandoned IN_PROGRESS claims are inquired,
 * UNKNOWN cancels are sent again with their own idempotency key, each at the payment's own PG. Work
 * is leased row by row with SKIP LOCKED, so any number of API instances share it without asking the
 * PG twice, and each miss backs off exponentially with jitter. Work of a PG whose circuit is open is
 * not leased at all, so an outage costs neither calls nor attempts, and the backlog starts the
 * moment the circuit lets probes through.
 */
@Component
public class PaymentRecovery {

    private static final Logger log = LoggerFactory.getLogger(PaymentRecovery.class);

    private final PaymentRepository payments;
    private final PaymentOutcomes outcomes;
    private final PgCaller pg;
    private final PgRouter router;
    private final RecoveryProperties properties;

    PaymentRecovery(PaymentRepository payments, PaymentOutcomes outcomes, PgCaller pg, PgRouter router,
            RecoveryProperties properties) {
        this.payments = payments;
        this.outcomes = outcomes;
        this.pg = pg;
        this.router = router;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${payments.recovery.poll-interval:5s}", initialDelayString = "${payments.recovery.poll-interval:5s}")
    void poll() {
        if (properties.enabled()) {
            runOnce();
        }
    }

    /**
     * One pass over what is due now, for the providers that admit calls (an open circuit's work waits
     * in the table); returns how many payments and cancels it worked on.
     */
    public int runOnce() {
        List<String> providers = router.providers().stream().filter(PgProvider::admitsCalls).map(PgProvider::provider).toList();
        if (providers.isEmpty()) {
            return 0;
        }
        int worked = 0;
        List<PaymentRepository.DueItem> duePayments;
        do {
            duePayments = payments.leaseDuePayments(properties.batchSize(), properties.lease(), providers);
            duePayments.forEach(due -> inquire(due.id(), due.attempts(), null));
            worked += duePayments.size();
        } while (duePayments.size() == properties.batchSize());
        List<PaymentRepository.DueItem> dueCancels;
        do {
            dueCancels = payments.leaseDueCancels(properties.batchSize(), properties.lease(), providers);
            dueCancels.forEach(due -> resendCancel(due.id(), due.attempts()));
            worked += dueCancels.size();
        } while (dueCancels.size() == properties.batchSize());
        if (worked > 0) {
            log.info("recovery: worked on {} open PG outcomes", worked);
        }
        return worked;
    }

    /** Settles one payment now, if its PG can tell by {@code deadline} (a cancel on an UNKNOWN payment asks first). */
    void resolve(long paymentId, Instant deadline) {
        inquire(paymentId, 0, deadline);
    }

    private void inquire(long paymentId, int attempts, Instant deadline) {
        Payment payment = payments.get(paymentId);
        if (payment.status() != PaymentStatus.UNKNOWN && payment.status() != PaymentStatus.IN_PROGRESS) {
            return;
        }
        PgCaller.PgCall call = pg.call(paymentId, payment.pgProvider(), deadline, "INQUIRY", null,
                client -> client.inquire(payment.paymentKey()));
        if (call.notSent()) {
            // the PG was not asked (its circuit opened meanwhile): not an attempt, ask again once it may be
            payments.postponeInquiry(paymentId, router.provider(payment.pgProvider()).retryAfter());
            return;
        }
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
        PgCaller.PgCall call = pg.call(payment.id(), payment.pgProvider(), null, "CANCEL", idempotencyKey,
                client -> client.cancel(payment.paymentKey(), cancel.cancelAmount(), cancel.cancelReason(), idempotencyKey));
        if (call.notSent()) {
            payments.postponeCancelRetry(cancelId, router.provider(payment.pgProvider()).retryAfter());
            return;
        }
        outcomes.applyCancelResult(cancelId, call, backoff(attempts));
    }

    /** initialBackoff x 2^attempts, capped, times a jitter of 0.8-1.2 so retries after an outage spread out. */
    Duration backoff(int attempts) {
        long base = properties.initialBackoff().toMillis() << Math.min(attempts, 20);
        long capped = Math.min(base, properties.maxBackoff().toMillis());
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
