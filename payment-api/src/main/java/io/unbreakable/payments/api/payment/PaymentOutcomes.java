package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.api.order.OrderService;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.PaymentPostings;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what the PG said to our records: each outcome is one database transaction that changes
 * the state and posts its ledger transaction together, and only from the state it expects, so the
 * request path and the recovery poller can both apply an answer and money moves once.
 */
@Component
class PaymentOutcomes {

    private static final Logger log = LoggerFactory.getLogger(PaymentOutcomes.class);

    private final PaymentRepository payments;
    private final OrderService orders;
    private final LedgerService ledger;
    private final TransactionTemplate tx;
    private final WebhookOutbox webhooks;

    PaymentOutcomes(PaymentRepository payments, OrderService orders, LedgerService ledger, TransactionTemplate tx,
            WebhookOutbox webhooks) {
        this.payments = payments;
        this.orders = orders;
        this.ledger = ledger;
        this.tx = tx;
        this.webhooks = webhooks;
    }

    /**
     * A confirm's or an inquiry's answer. A declined or absent payment is aborted only when {@code mayAbort}.
     * Returns the payment as committed when this answer approved it here (the confirm's response needs
     * no second read), else empty.
     */
    Optional<Payment> applyPaymentResult(PgCaller.PgCall call, boolean mayAbort, Duration retryAfter) {
        long paymentId = call.paymentId();
        PgResult<PgPayment> result = call.result();
        if (result instanceof PgResult.Success<PgPayment> success) {
            PgPayment pgPayment = success.value();
            if (pgPayment.approved()) {
                return approve(call, pgPayment);
            } else if (pgPayment.status().equals("ABORTED") || pgPayment.status().equals("EXPIRED")) {
                inTransaction(call, () -> abort(paymentId, "PG_" + pgPayment.status(), "the PG reports " + pgPayment.status()));
            } else {
                inTransaction(call, () -> payments.markUnknown(paymentId, "the PG reports " + pgPayment.status(), retryAfter));
            }
        } else if (result instanceof PgResult.Declined<PgPayment> declined && mayAbort
                && !declined.code().equals("ALREADY_PROCESSED_PAYMENT")) {
            inTransaction(call, () -> abort(paymentId, declined.code(), declined.message()));
        } else if (result instanceof PgResult.Declined<PgPayment> declined) {
            inTransaction(call, () -> payments.markUnknown(paymentId, declined.code() + ": " + declined.message(), retryAfter));
        } else {
            inTransaction(call, () -> payments.markUnknown(paymentId, ((PgResult.Unknown<PgPayment>) result).reason(), retryAfter));
        }
        return Optional.empty();
    }

    /** A cancel's answer: done (ledger), refused (reservation given back) or unknown (sent again later). */
    void applyCancelResult(long cancelId, PgCaller.PgCall call, Duration retryAfter) {
        PgResult<PgPayment> result = call.result();
        if (result instanceof PgResult.Success<PgPayment> success) {
            cancelSucceeded(call, cancelId, success.value());
        } else if (result instanceof PgResult.Declined<PgPayment> declined) {
            inTransaction(call, () -> {
                PaymentRepository.CancelRow cancel = payments.findCancel(cancelId).orElseThrow();
                // only the answer that closes the cancel gives its reservation back
                if (payments.markCancelAborted(cancelId, declined.code(), declined.message())) {
                    payments.changeBalance(cancel.paymentId(), cancel.cancelAmount());
                    orders.restoreQuantities(payments.cancelItems(cancelId));
                }
            });
        } else {
            inTransaction(call, () -> payments.markCancelUnknown(cancelId, ((PgResult.Unknown<PgPayment>) result).reason(), retryAfter));
        }
    }

    private Optional<Payment> approve(PgCaller.PgCall call, PgPayment pgPayment) {
        long paymentId = call.paymentId();
        return tx.execute(status -> {
            OffsetDateTime approvedAt = pgPayment.approvedAt() == null ? OffsetDateTime.now() : pgPayment.approvedAt();
            Optional<Payment> approved = payments.markApproved(paymentId, pgPayment.totalAmount(), pgPayment.method(), approvedAt);
            payments.logPgCall(call); // after the payment's row lock: see inTransaction
            if (approved.isEmpty()) {
                Payment payment = payments.get(paymentId);
                if (pgPayment.totalAmount() != payment.totalAmount()) {
                    // never book an amount we did not ask for; a person must look at this one
                    log.error("PG approved {} won for payment {} but the order is {} won", pgPayment.totalAmount(),
                            payment.paymentKey(), payment.totalAmount());
                    payments.markUnknown(paymentId, "PG_AMOUNT_MISMATCH: PG approved " + pgPayment.totalAmount(), Duration.ofHours(1));
                }
                return Optional.<Payment>empty(); // or someone else applied this outcome first
            }
            Payment payment = approved.get();
            // the posting last: it locks the seller's wallet row until the commit, and every confirm of that seller waits on it
            webhooks.paymentChanged(payment);
            ledger.post(PaymentPostings.approval(payment.paymentKey(), payment.orderId(), payment.merchantId(), payment.totalAmount()));
            return approved;
        });
    }

    private void cancelSucceeded(PgCaller.PgCall call, long cancelId, PgPayment pgPayment) {
        inTransaction(call, () -> {
            PaymentRepository.CancelRow cancel = payments.findCancel(cancelId).orElseThrow();
            Payment payment = payments.get(cancel.paymentId());
            // the PG's answer to our Idempotency-Key is the payment as our cancel left it: ours is the last
            List<PgPayment.Cancel> pgCancels = pgPayment.cancels();
            PgPayment.Cancel pgCancel = pgCancels.isEmpty() ? null : pgCancels.get(pgCancels.size() - 1);
            if (payments.markCancelDone(cancelId, pgCancel == null ? null : pgCancel.transactionKey(),
                    pgCancel == null || pgCancel.canceledAt() == null ? OffsetDateTime.now() : pgCancel.canceledAt())) {
                payments.refreshStatusFromCancels(payment.id());
                webhooks.paymentIdsChanged(List.of(payment.id()));
                // the posting last, as in approve: the seller's wallet row stays locked until the commit
                ledger.post(PaymentPostings.cancel(cancelId, payment.paymentKey(), cancel.cancelReason(), payment.merchantId(),
                        cancel.cancelAmount()));
            }
        });
    }

    /** An open payment declined or absent at the PG: ABORTED, and its merchant told. */
    private void abort(long paymentId, String code, String message) {
        if (payments.markAborted(paymentId, code, message)) {
            webhooks.paymentIdsChanged(List.of(paymentId));
        }
    }

    /**
     * The state change and the row recording the PG call that caused it, in one transaction. The call's
     * row comes last: its foreign key share-locks the payment row, and taking that weak lock before the
     * change's own update of the row deadlocks with a cancel reserving the same payment (FOR UPDATE).
     */
    private void inTransaction(PgCaller.PgCall call, Runnable change) {
        tx.executeWithoutResult(status -> {
            change.run();
            payments.logPgCall(call);
        });
    }
}
