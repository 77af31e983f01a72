package io.unbreakable.payments.subscription;

/** The states of one billing-key charge attempt, a subscription cycle's or a one-off: only the open ones may change. */
public enum ChargeStatus {
    /** Claimed, the PG call in flight (the recovery point). */
    IN_PROGRESS,
    DONE,
    FAILED,
    /** The PG's answer was lost: the next attempt asks it before anything is charged. */
    UNKNOWN
}
