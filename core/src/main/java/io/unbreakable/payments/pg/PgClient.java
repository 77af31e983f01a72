package io.unbreakable.payments.pg;

/**
 * The port to a payment gateway (Toss Payments' API shape). Every call that changes money carries
 * our own idempotency key, derived from our records, so sending it again is always safe.
 */
public interface PgClient {

    String provider();

    PgResult<PgPayment> confirm(String paymentKey, String orderId, long amount, String idempotencyKey);

    PgResult<PgPayment> cancel(String paymentKey, long cancelAmount, String cancelReason, String idempotencyKey);

    PgResult<PgPayment> inquire(String paymentKey);

    /** The payment the PG made for our orderId: how a billing charge whose answer was lost is found. */
    PgResult<PgPayment> inquireByOrderId(String orderId);

    /** Exchanges the customer's one-time authKey for a billing key (자동결제 빌링키 발급). */
    PgResult<PgBillingKey> issueBillingKey(String customerKey, String authKey, String idempotencyKey);

    /** Charges a billing key; the PG answers with the payment it made (paymentKey chosen by the PG). */
    PgResult<PgPayment> chargeBillingKey(String billingKey, String customerKey, long amount, String orderId,
            String orderName, String idempotencyKey);
}
