package io.unbreakable.payments.webhook;

/** What a merchant's endpoint can subscribe to (Toss's names where Toss has the event). */
public enum WebhookEventType {
    /** A payment became DONE, ABORTED, PARTIAL_CANCELED or CANCELED (also when the recovery poller settled an UNKNOWN one). */
    PAYMENT_STATUS_CHANGED,
    /** A subscription was charged, went PAST_DUE (with the decline), SUSPENDED or CANCELED. */
    SUBSCRIPTION_STATUS_CHANGED,
    /** A merchant's settlement of a sales date, with its payout and report links. */
    SETTLEMENT_COMPLETED,
    /** A payout moved (held, released, requested, paid, failed, scheduled again): every move of the payout lifecycle. */
    PAYOUT_STATUS_CHANGED
}
