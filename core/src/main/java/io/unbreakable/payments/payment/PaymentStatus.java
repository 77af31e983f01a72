package io.unbreakable.payments.payment;

public enum PaymentStatus {
    /** Claimed here; the PG call is in flight (or its process died: the recovery poller takes it). */
    IN_PROGRESS,
    DONE,
    PARTIAL_CANCELED,
    CANCELED,
    /** Declined by the PG, or never approved there. */
    ABORTED,
    /** The PG did not answer readably; the recovery poller asks it until it knows. */
    UNKNOWN;

    public boolean approved() {
        return this == DONE || this == PARTIAL_CANCELED || this == CANCELED;
    }
}
