package io.unbreakable.payments.ledger;

/** A ledger account: one of the platform's own, or a seller's payable account (its wallet). */
public sealed interface Account permits Account.Platform, Account.SellerPayable {

    String code();

    static Account sellerPayable(long merchantId) {
        return new SellerPayable(merchantId);
    }

    enum Platform implements Account {
        /** Owed to us by the PG for approved payments. */
        PG_RECEIVABLE,
        PLATFORM_FEE_REVENUE,
        /** VAT on our fee, owed to the tax office. */
        VAT_PAYABLE,
        /** Income tax and local income tax withheld from individual sellers. */
        WITHHOLDING_PAYABLE,
        /** Settled to a seller, waiting for the bank transfer. */
        PAYOUT_CLEARING,
        /** Requested from the PG or the bank, its result not known yet. */
        PAYOUTS_IN_TRANSIT,
        /** Our operating bank account (cash): paid payouts leave it. */
        BANK;

        @Override
        public String code() {
            return name();
        }
    }

    /** What the platform owes a seller; its balance is the seller's wallet and may go negative. */
    record SellerPayable(long merchantId) implements Account {

        @Override
        public String code() {
            return "SELLER_PAYABLE:" + merchantId;
        }
    }
}
