package io.unbreakable.payments.ledger;

/**
 * The postings of a payment's life, built in one place for every path that books them (checkout
 * confirms, subscription charges, the recovery poller): the PG owes us what it approved, and we owe
 * it to the seller; a cancel reverses that part.
 */
public final class PaymentPostings {

    public static final String PAYMENT_APPROVED = "PAYMENT_APPROVED";
    public static final String PAYMENT_CANCELED = "PAYMENT_CANCELED";

    private PaymentPostings() {
    }

    /** Referenced by paymentKey: an approval posts once. */
    public static LedgerPosting approval(String paymentKey, String orderId, long merchantId, long amountWon) {
        return LedgerPosting.of(PAYMENT_APPROVED, paymentKey)
                .description("approval of order " + orderId)
                .debit(Account.Platform.PG_RECEIVABLE, amountWon)
                .credit(Account.sellerPayable(merchantId), amountWon)
                .build();
    }

    /** A cancel's ledger reference: our cancel id, so each cancel posts once. */
    public static String cancelReference(long cancelId) {
        return "cancel:" + cancelId;
    }

    public static LedgerPosting cancel(long cancelId, String paymentKey, String cancelReason, long merchantId, long cancelAmountWon) {
        return LedgerPosting.of(PAYMENT_CANCELED, cancelReference(cancelId))
                .description("cancel of payment " + paymentKey + ": " + cancelReason)
                .debit(Account.sellerPayable(merchantId), cancelAmountWon)
                .credit(Account.Platform.PG_RECEIVABLE, cancelAmountWon)
                .build();
    }
}
