package io.unbreakable.payments.subscription;

import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.PaymentPostings;
import io.unbreakable.payments.pg.PgClient;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charging a billing key, the part every such charge shares: the PG call (an attempt whose answer
 * was lost is first looked up by orderId and re-sent with the same key only if the PG never saw it),
 * what the PG's answer means, and booking an approval as a payment with its ledger posting. Used by
 * {@link SubscriptionCharger} for subscription cycles and by the API's one-off charge
 * ({@code POST /v1/billing/{billingKey}}); each keeps its own record of the attempt (the recovery
 * point) before it calls.
 */
public class BillingKeyCharges {

    private static final Logger log = LoggerFactory.getLogger(BillingKeyCharges.class);

    private final BillingPaymentRepository payments;
    private final LedgerService ledger;
    private final WebhookOutbox webhooks;

    BillingKeyCharges(BillingPaymentRepository payments, LedgerService ledger, WebhookOutbox webhooks) {
        this.payments = payments;
        this.ledger = ledger;
        this.webhooks = webhooks;
    }

    /** One charge of a billing key; {@code idempotencyKey} and {@code orderId} are derived from the caller's record of it. */
    public record Charge(long merchantId, String billingKey, String customerKey, long amount, String orderId, String orderName,
            String idempotencyKey) {
    }

    /** What a PG answer comes to. */
    public sealed interface Outcome {
    }

    public record Approved(PgPayment payment) implements Outcome {
    }

    /** The PG refused: nothing was charged. {@code httpStatus} is the PG's (403 for a card decline). */
    public record Declined(int httpStatus, String code, String message) implements Outcome {
    }

    /** Refused on our side before it left (breaker, bulkhead, connection refused): the PG saw nothing. */
    public record NotSent(String reason) implements Outcome {
    }

    /** No answer to trust, or an approval of another amount: only an inquiry may settle it. */
    public record Unknown(String reason) implements Outcome {
    }

    /** A new attempt is charged; a resumed one is first looked for at the PG, and re-sent (same key) if absent. */
    public PgResult<PgPayment> send(PgClient pg, Charge charge, boolean resuming) {
        if (resuming) {
            PgResult<PgPayment> found = pg.inquireByOrderId(charge.orderId());
            boolean absent = found instanceof PgResult.Declined<PgPayment> declined && declined.httpStatus() == 404;
            if (!absent) {
                return found;
            }
        }
        return pg.chargeBillingKey(charge.billingKey(), charge.customerKey(), charge.amount(), charge.orderId(), charge.orderName(),
                charge.idempotencyKey());
    }

    public Outcome outcome(Charge charge, PgResult<PgPayment> result, boolean resuming) {
        if (result instanceof PgResult.Success<PgPayment> success && success.value().approved()) {
            PgPayment payment = success.value();
            if (payment.totalAmount() != charge.amount()) {
                // never book an amount we did not ask for; a person must look at this one
                log.error("PG approved {} won for billing charge {} of {} won", payment.totalAmount(), charge.orderId(), charge.amount());
                return new Unknown("PG_AMOUNT_MISMATCH: PG approved " + payment.totalAmount());
            }
            return new Approved(payment);
        }
        if (result instanceof PgResult.Success<PgPayment> success) {
            return new Declined(400, "PG_" + success.value().status(), "the PG reports " + success.value().status());
        }
        if (result instanceof PgResult.Declined<PgPayment> declined) {
            return new Declined(declined.httpStatus(), declined.code(), declined.message());
        }
        PgResult.Unknown<PgPayment> unknown = (PgResult.Unknown<PgPayment>) result;
        // a resumed attempt may have reached the PG on an earlier try, whatever this one did
        return unknown.notSent() && !resuming ? new NotSent(unknown.reason()) : new Unknown(unknown.reason());
    }

    /** The order a billing-key charge pays: one line of {@code amount}, named like the order. */
    public record OneLineOrder(long merchantId, String orderId, String orderName, String customerKey, long amount, String sku) {
    }

    /**
     * Writes these orders with their one line each, in the caller's transaction; orderPk by orderId
     * for those written (an orderId the merchant already has is left as it is and missing here).
     */
    public Map<String, Long> writeOrders(List<OneLineOrder> orders) {
        return orders.isEmpty() ? Map.of() : payments.insertOneLineOrders(orders);
    }

    /** An approval to book: the order it pays (already written by the caller) and the subscription, if any. */
    public record Booking(Charge charge, long orderPk, String pgProvider, PgPayment payment, Long subscriptionId) {
    }

    /**
     * Books approvals as DONE payments with their ledger postings, in the caller's transaction, in
     * one statement for the payments and one for the ledger whatever their number, and their merchants'
     * PAYMENT_STATUS_CHANGED events. Payment ids by paymentKey.
     */
    public Map<String, Long> book(List<Booking> bookings) {
        if (bookings.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> ids = payments.insertDone(bookings);
        ledger.postAll(bookings.stream()
                .map(b -> PaymentPostings.approval(b.payment().paymentKey(), b.charge().orderId(), b.charge().merchantId(), b.charge().amount()))
                .toList());
        webhooks.paymentIdsChanged(ids.values());
        return ids;
    }
}
