package io.unbreakable.payments.payout;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a payout is in its life. Settlement writes it {@code SCHEDULED}; {@link PayoutLifecycle} moves
 * it on, only along the arrows {@link #reachableFrom()} names.
 */
public enum PayoutStatus {
    /** Settled, due on its payout date; the amount sits in PAYOUT_CLEARING. */
    SCHEDULED,
    /** Not to be sent (finance hold, account problem, negative wallet); the amount stays in clearing. */
    HELD,
    /** Released from a hold by finance: due again. */
    RELEASED,
    /** Sent to the PG or written into the bank file; the amount is in PAYOUTS_IN_TRANSIT. */
    REQUESTED,
    /** Sent, but no readable answer came: settled by inquiry (still in transit). */
    UNKNOWN,
    /** The money reached the seller's bank. */
    PAID,
    /** Refused or bounced; the amount went back to the seller's wallet. */
    FAILED;

    /** The statuses a payout may be in to move to this one. */
    public Set<PayoutStatus> reachableFrom() {
        return switch (this) {
            case SCHEDULED -> EnumSet.of(FAILED); // a retry after the account was fixed
            case HELD, REQUESTED -> EnumSet.of(SCHEDULED, RELEASED);
            case RELEASED -> EnumSet.of(HELD);
            case UNKNOWN -> EnumSet.of(REQUESTED);
            case PAID, FAILED -> EnumSet.of(REQUESTED, UNKNOWN);
        };
    }

    /** Open payouts: their amount is in clearing ({@link #inClearing}) or in transit. */
    public boolean inClearing() {
        return this == SCHEDULED || this == HELD || this == RELEASED;
    }

    public boolean inTransit() {
        return this == REQUESTED || this == UNKNOWN;
    }
}
