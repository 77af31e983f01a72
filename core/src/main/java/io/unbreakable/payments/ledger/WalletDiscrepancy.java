package io.unbreakable.payments.ledger;

/** A wallet whose balance is not the balance of its ledger account: must never exist. */
public record WalletDiscrepancy(long merchantId, long walletBalance, long ledgerBalance) {
}
