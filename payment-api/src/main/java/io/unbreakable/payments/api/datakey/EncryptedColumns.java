package io.unbreakable.payments.api.datakey;

import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;

import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/**
 * Every column DataCipher writes, read and rewritten for a key rotation: a batch of values not under the
 * current key ("v1:k2:..."), locked (SKIP LOCKED: another instance rotating takes other rows), and the
 * rewrite of one value by its row's key.
 */
@Repository
class EncryptedColumns {

    private final DSLContext db;

    EncryptedColumns(DSLContext db) {
        this.db = db;
    }

    List<Stored> merchantsNotUnder(String currentPrefix, int limit) {
        return db.select(MERCHANT.ID, MERCHANT.PAYOUT_ACCOUNT_NUMBER).from(MERCHANT)
                .where(MERCHANT.PAYOUT_ACCOUNT_NUMBER.isNotNull()).and(MERCHANT.PAYOUT_ACCOUNT_NUMBER.notLike(currentPrefix + "%"))
                .orderBy(MERCHANT.ID).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), null, r.value2()));
    }

    void updateMerchant(Stored row, String stored) {
        db.update(MERCHANT).set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, stored).where(MERCHANT.ID.eq(row.id())).execute();
    }

    List<Stored> payoutsNotUnder(String currentPrefix, int limit) {
        return db.select(PAYOUT.ID, PAYOUT.ACCOUNT_NUMBER).from(PAYOUT)
                .where(PAYOUT.ACCOUNT_NUMBER.isNotNull()).and(PAYOUT.ACCOUNT_NUMBER.notLike(currentPrefix + "%"))
                .orderBy(PAYOUT.ID).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), null, r.value2()));
    }

    void updatePayout(Stored row, String stored) {
        db.update(PAYOUT).set(PAYOUT.ACCOUNT_NUMBER, stored).where(PAYOUT.ID.eq(row.id())).execute();
    }

    List<Stored> webhookSecretsNotUnder(String currentPrefix, int limit) {
        return db.select(WEBHOOK_ENDPOINT.ID, WEBHOOK_ENDPOINT.SECRET).from(WEBHOOK_ENDPOINT)
                .where(WEBHOOK_ENDPOINT.SECRET.notLike(currentPrefix + "%"))
                .orderBy(WEBHOOK_ENDPOINT.ID).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), null, r.value2()));
    }

    void updateWebhookSecret(Stored row, String stored) {
        db.update(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.SECRET, stored).where(WEBHOOK_ENDPOINT.ID.eq(row.id())).execute();
    }

    List<Stored> previousWebhookSecretsNotUnder(String currentPrefix, int limit) {
        return db.select(WEBHOOK_ENDPOINT.ID, WEBHOOK_ENDPOINT.PREVIOUS_SECRET).from(WEBHOOK_ENDPOINT)
                .where(WEBHOOK_ENDPOINT.PREVIOUS_SECRET.isNotNull()).and(WEBHOOK_ENDPOINT.PREVIOUS_SECRET.notLike(currentPrefix + "%"))
                .orderBy(WEBHOOK_ENDPOINT.ID).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), null, r.value2()));
    }

    void updatePreviousWebhookSecret(Stored row, String stored) {
        db.update(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.PREVIOUS_SECRET, stored).where(WEBHOOK_ENDPOINT.ID.eq(row.id())).execute();
    }

    /** Stored answers that carry a secret (only those are encrypted: the others are JSON). */
    List<Stored> secretAnswersNotUnder(String currentPrefix, int limit) {
        return db.select(IDEMPOTENCY_KEY.MERCHANT_ID, IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_, IDEMPOTENCY_KEY.RESPONSE_BODY).from(IDEMPOTENCY_KEY)
                .where(IDEMPOTENCY_KEY.RESPONSE_BODY.like("v1:%")).and(IDEMPOTENCY_KEY.RESPONSE_BODY.notLike(currentPrefix + "%"))
                .orderBy(IDEMPOTENCY_KEY.MERCHANT_ID, IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_).limit(limit).forUpdate().skipLocked()
                .fetch(r -> new Stored(r.value1(), r.value2(), r.value3()));
    }

    void updateSecretAnswer(Stored row, String stored) {
        db.update(IDEMPOTENCY_KEY).set(IDEMPOTENCY_KEY.RESPONSE_BODY, stored)
                .where(IDEMPOTENCY_KEY.MERCHANT_ID.eq(row.id())).and(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq(row.key()))
                .execute();
    }

    /** A row's id (with {@code key}, the idempotency key of a stored answer) and its ciphertext. */
    record Stored(long id, String key, String value) {
    }
}
