package io.unbreakable.payments.payout;

import java.util.Objects;

/**
 * One requested status change of a payout, made by {@link PayoutLifecycle#transition}. {@code reason}
 * is a stable code (HOLDER_MISMATCH, CLOSED_ACCOUNT, FINANCE_HOLD, ...), {@code message} the words for
 * people; neither may hold an account number.
 */
public record PayoutTransition(long payoutId, PayoutStatus to, String reason, String message, PayoutGatewayType gateway,
        String transferFile) {

    public PayoutTransition {
        Objects.requireNonNull(to, "to");
        if (to == PayoutStatus.REQUESTED && gateway == null) {
            throw new IllegalArgumentException("payout " + payoutId + ": a request names its gateway");
        }
    }

    /** Sent to {@code gateway}: a new attempt; the merchant's current account is copied onto the payout. */
    public static PayoutTransition request(long payoutId, PayoutGatewayType gateway, String transferFile) {
        return new PayoutTransition(payoutId, PayoutStatus.REQUESTED, null, null, gateway, transferFile);
    }

    public static PayoutTransition unknown(long payoutId, String message) {
        return new PayoutTransition(payoutId, PayoutStatus.UNKNOWN, "NO_ANSWER", message, null, null);
    }

    public static PayoutTransition paid(long payoutId) {
        return new PayoutTransition(payoutId, PayoutStatus.PAID, null, null, null, null);
    }

    public static PayoutTransition failed(long payoutId, String reason, String message) {
        return new PayoutTransition(payoutId, PayoutStatus.FAILED, reason, message, null, null);
    }

    public static PayoutTransition hold(long payoutId, String reason, String message) {
        return new PayoutTransition(payoutId, PayoutStatus.HELD, reason, message, null, null);
    }

    public static PayoutTransition release(long payoutId, String message) {
        return new PayoutTransition(payoutId, PayoutStatus.RELEASED, "RELEASED", message, null, null);
    }

    /** A FAILED payout scheduled again (after its account was fixed): due on the next run. */
    public static PayoutTransition retry(long payoutId, String message) {
        return new PayoutTransition(payoutId, PayoutStatus.SCHEDULED, "RETRY", message, null, null);
    }
}
