package io.unbreakable.payments.payout;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Reads payouts with their merchant's name and the account masked: the one query behind the API's payout
 * object ({@link PayoutResponse}), for its endpoints and pages and for the webhook outbox of both apps (a
 * payout moved by the payout job reports the same object a GET answers). The whole account number never
 * leaves here.
 */
public final class PayoutReads {

    private final DSLContext db;
    private final DataCipher cipher;

    public PayoutReads(DSLContext db, DataCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** Up to {@code limit} payouts of the condition, newest payout date first. */
    public List<Payout> find(Condition condition, int limit) {
        return db.select(PAYOUT.asterisk(), MERCHANT.NAME).from(PAYOUT).join(MERCHANT).on(MERCHANT.ID.eq(PAYOUT.MERCHANT_ID))
                .where(condition)
                .orderBy(PAYOUT.PAYOUT_DATE.desc(), PAYOUT.ID)
                .limit(limit)
                .fetch(this::toPayout);
    }

    private Payout toPayout(Record r) {
        String stored = r.get(PAYOUT.ACCOUNT_NUMBER);
        PayoutAccount account = stored == null ? null : new PayoutAccount(r.get(PAYOUT.BANK_CODE),
                cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, stored), r.get(PAYOUT.ACCOUNT_HOLDER)).masked();
        return new Payout(r.get(PAYOUT.ID), r.get(PAYOUT.MERCHANT_ID), r.get(MERCHANT.NAME), r.get(PAYOUT.SETTLEMENT_ID), r.get(PAYOUT.AMOUNT),
                r.get(PAYOUT.PAYOUT_DATE), PayoutStatus.valueOf(r.get(PAYOUT.STATUS)), r.get(PAYOUT.STATUS_REASON),
                r.get(PAYOUT.STATUS_MESSAGE), r.get(PAYOUT.ATTEMPT), r.get(PAYOUT.GATEWAY), account, r.get(PAYOUT.REQUESTED_AT),
                r.get(PAYOUT.PAID_AT), r.get(PAYOUT.UPDATED_AT));
    }
}
