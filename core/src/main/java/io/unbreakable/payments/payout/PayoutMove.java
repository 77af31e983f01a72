package io.unbreakable.payments.payout;

/** A status change that happened: the payout as it was moved, for the caller (and the ledger). */
public record PayoutMove(long payoutId, long merchantId, long amountWon, int attempt, PayoutStatus from, PayoutStatus to,
        String reason) {
}
