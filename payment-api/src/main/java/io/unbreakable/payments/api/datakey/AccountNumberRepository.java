package io.unbreakable.payments.api.datakey;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;

import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** The encrypted account number columns, read and rewritten by id for a key rotation. */
@Repository
class AccountNumberRepository {

    private final DSLContext db;

    AccountNumberRepository(DSLContext db) {
        this.db = db;
    }

    /** Merchants whose number is not under the key of {@code currentPrefix} ("v1:k2:"), locked for the rewrite. */
    List<Stored> merchantsNotUnder(String currentPrefix, int limit) {
        return db.select(MERCHANT.ID, MERCHANT.PAYOUT_ACCOUNT_NUMBER).from(MERCHANT)
                .where(MERCHANT.PAYOUT_ACCOUNT_NUMBER.isNotNull()).and(MERCHANT.PAYOUT_ACCOUNT_NUMBER.notLike(currentPrefix + "%"))
                .orderBy(MERCHANT.ID).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), r.value2()));
    }

    void updateMerchant(long merchantId, String stored) {
        db.update(MERCHANT).set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, stored).where(MERCHANT.ID.eq(merchantId)).execute();
    }

    List<Stored> payoutsNotUnder(String currentPrefix, int limit) {
        return db.select(PAYOUT.ID, PAYOUT.ACCOUNT_NUMBER).from(PAYOUT)
                .where(PAYOUT.ACCOUNT_NUMBER.isNotNull()).and(PAYOUT.ACCOUNT_NUMBER.notLike(currentPrefix + "%"))
                .orderBy(PAYOUT.ID).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), r.value2()));
    }

    void updatePayout(long payoutId, String stored) {
        db.update(PAYOUT).set(PAYOUT.ACCOUNT_NUMBER, stored).where(PAYOUT.ID.eq(payoutId)).execute();
    }

    record Stored(long id, String value) {
    }
}
