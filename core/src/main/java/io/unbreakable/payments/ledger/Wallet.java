package io.unbreakable.payments.ledger;

import java.time.OffsetDateTime;

/** A seller's wallet: the balance of its payable account, what the platform owes it now (may be negative). */
public record Wallet(long merchantId, long balance, OffsetDateTime updatedAt) {
}
