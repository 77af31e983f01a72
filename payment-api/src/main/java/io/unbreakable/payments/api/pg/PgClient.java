package io.unbreakable.payments.api.pg;

/**
 * The port to a payment gateway (Toss Payments' API shape). Every call that changes money carries
 * our own idempotency key, derived from our records, so sending it again is always safe.
 */
public interface PgClient {

    String provider();

    PgResult<PgPayment> confirm(String paymentKey, String orderId, long amount, String idempotencyKey);

    PgResult<PgPayment> cancel(String paymentKey, long cancelAmount, String cancelReason, String idempotencyKey);

    PgResult<PgPayment> inquire(String paymentKey);
}
