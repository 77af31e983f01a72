package io.unbreakable.payments.ledger;

/**
 * The postings of a payout's life, built in one place ({@code PayoutLifecycle} books them). Settlement
 * put the amount in PAYOUT_CLEARING; a request moves it to PAYOUTS_IN_TRANSIT; the bank's answer moves
 * it out to BANK (paid) or back to the seller's payable account (failed: the wallet shows it again); a
 * retry takes it from the wallet into clearing once more. Referenced by payout and attempt, so each
 * step of each attempt posts once.
 */
public final class PayoutPostings {

    public static final String PAYOUT_REQUESTED = "PAYOUT_REQUESTED";
    public static final String PAYOUT_PAID = "PAYOUT_PAID";
    public static final String PAYOUT_FAILED = "PAYOUT_FAILED";
    public static final String PAYOUT_RETRIED = "PAYOUT_RETRIED";

    private PayoutPostings() {
    }

    public static String reference(long payoutId, int attempt) {
        return "payout:" + payoutId + ":" + attempt;
    }

    public static LedgerPosting requested(long payoutId, int attempt, long amountWon) {
        return LedgerPosting.of(PAYOUT_REQUESTED, reference(payoutId, attempt))
                .description("payout " + payoutId + " requested (attempt " + attempt + ")")
                .debit(Account.Platform.PAYOUT_CLEARING, amountWon)
                .credit(Account.Platform.PAYOUTS_IN_TRANSIT, amountWon)
                .build();
    }

    public static LedgerPosting paid(long payoutId, int attempt, long amountWon) {
        return LedgerPosting.of(PAYOUT_PAID, reference(payoutId, attempt))
                .description("payout " + payoutId + " paid")
                .debit(Account.Platform.PAYOUTS_IN_TRANSIT, amountWon)
                .credit(Account.Platform.BANK, amountWon)
                .build();
    }

    public static LedgerPosting failed(long payoutId, int attempt, long merchantId, long amountWon, String reason) {
        return LedgerPosting.of(PAYOUT_FAILED, reference(payoutId, attempt))
                .description("payout " + payoutId + " failed: " + reason)
                .debit(Account.Platform.PAYOUTS_IN_TRANSIT, amountWon)
                .credit(Account.sellerPayable(merchantId), amountWon)
                .build();
    }

    public static LedgerPosting retried(long payoutId, int attempt, long merchantId, long amountWon) {
        return LedgerPosting.of(PAYOUT_RETRIED, reference(payoutId, attempt))
                .description("payout " + payoutId + " scheduled again after failed attempt " + attempt)
                .debit(Account.sellerPayable(merchantId), amountWon)
                .credit(Account.Platform.PAYOUT_CLEARING, amountWon)
                .build();
    }
}
