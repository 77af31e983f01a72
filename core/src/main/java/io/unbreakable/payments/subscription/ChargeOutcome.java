package io.unbreakable.payments.subscription;

/** What one subscription came to in a charging run. */
public enum ChargeOutcome {
    /** The PG approved the cycle; the payment and its ledger posting are booked. */
    CHARGED,
    /** The PG declined; the subscription is PAST_DUE with its next retry scheduled. */
    FAILED_WILL_RETRY,
    /** The third retry was declined too; the subscription is SUSPENDED. */
    SUSPENDED,
    /** The PG's answer was lost or unreadable; the next run asks it (inquiry by orderId). */
    UNKNOWN,
    /** Cancelled at the end of its period: the period ended, nothing was charged. */
    CANCELED_AT_PERIOD_END,
    /** Not charged now: no longer due, or another process is charging it this moment. */
    SKIPPED
}
