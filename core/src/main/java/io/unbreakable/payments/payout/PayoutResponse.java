package io.unbreakable.payments.payout;

import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A payout as the API answers it, for its endpoints and the PAYOUT_STATUS_CHANGED webhook of both apps.
 * account: masked ("****6789"); reason: a stable code (FINANCE_HOLD, HOLDER_MISMATCH, CLOSED_ACCOUNT, ...).
 */
public record PayoutResponse(long payoutId, long merchantId, long settlementId, long amount, LocalDate payoutDate, PayoutStatus status,
        String reason, String message, int attempt, String gateway, PayoutAccount account, OffsetDateTime requestedAt,
        OffsetDateTime paidAt) {

    public static PayoutResponse of(Payout payout) {
        return new PayoutResponse(payout.payoutId(), payout.merchantId(), payout.settlementId(), payout.amount(), payout.payoutDate(),
                payout.status(), payout.reason(), payout.message(), payout.attempt(), payout.gateway(), payout.account(),
                payout.requestedAt() == null ? null : Seoul.time(payout.requestedAt()),
                payout.paidAt() == null ? null : Seoul.time(payout.paidAt()));
    }
}
