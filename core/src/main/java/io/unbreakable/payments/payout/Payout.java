package io.unbreakable.payments.payout;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A payout as finance and the merchant see it: the account it goes (or went) to masked, why it is held
 * or failed ({@code reason}: a stable code; {@code message}: words for people).
 */
public record Payout(long payoutId, long merchantId, String merchantName, long settlementId, long amount, LocalDate payoutDate,
        PayoutStatus status, String reason, String message, int attempt, String gateway, PayoutAccount account,
        OffsetDateTime requestedAt, OffsetDateTime paidAt, OffsetDateTime updatedAt) {
}
