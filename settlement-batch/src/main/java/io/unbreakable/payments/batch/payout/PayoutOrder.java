package io.unbreakable.payments.batch.payout;

/**
 * One transfer to send: the payout's attempt, amount and the whole account number (the one place it is
 * decrypted). {@link #reference()} is both the PG's refPayoutId and the Idempotency-Key: derived from the
 * payout and its attempt, so a resend after a crash or a lost answer is the same request, never a second
 * payment.
 */
record PayoutOrder(long payoutId, long merchantId, int attempt, long amountWon, String bankCode, String accountNumber,
        String holderName) {

    String reference() {
        return "payout-" + payoutId + "-" + attempt;
    }

    @Override
    public String toString() {
        // never the account number, even in a log line
        return "PayoutOrder[" + reference() + ", " + amountWon + " won to " + bankCode + " ****"
                + accountNumber.substring(Math.max(0, accountNumber.length() - 4)) + "]";
    }
}
