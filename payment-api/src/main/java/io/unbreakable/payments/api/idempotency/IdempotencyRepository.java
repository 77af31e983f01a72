package io.unbreakable.payments.api.idempotency;

import static io.unbreakable.payments.db.DatabaseTime.nowPlus;
import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static org.jooq.impl.DSL.currentOffsetDateTime;

import io.unbreakable.payments.db.jooq.tables.records.IdempotencyKeyRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Repository;

@Repository
class IdempotencyRepository {

    private final DSLContext db;

    IdempotencyRepository(DSLContext db) {
        this.db = db;
    }

    /** Records the first use of a key (locked, STARTED); false when the key already exists. */
    boolean insertStarted(long merchantId, String key, String method, String path, String requestHash, Duration ttl) {
        return db.insertInto(IDEMPOTENCY_KEY)
                .set(IDEMPOTENCY_KEY.MERCHANT_ID, merchantId)
                .set(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_, key)
                .set(IDEMPOTENCY_KEY.REQUEST_METHOD, method)
                .set(IDEMPOTENCY_KEY.REQUEST_PATH, path)
                .set(IDEMPOTENCY_KEY.REQUEST_HASH, requestHash)
                .set(IDEMPOTENCY_KEY.RECOVERY_POINT, "STARTED")
                .set(IDEMPOTENCY_KEY.LOCKED_AT, currentOffsetDateTime())
                .set(IDEMPOTENCY_KEY.EXPIRES_AT, nowPlus(ttl))
                .onConflictDoNothing()
                .execute() == 1;
    }

    Optional<IdempotencyKeyRecord> lock(long merchantId, String key) {
        return db.selectFrom(IDEMPOTENCY_KEY)
                .where(IDEMPOTENCY_KEY.MERCHANT_ID.eq(merchantId)).and(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq(key))
                .forUpdate()
                .fetchOptional();
    }

    /** Takes over a key whose request was abandoned, or re-arms an expired one for a new request. */
    void restart(long merchantId, String key, String method, String path, String requestHash, Duration ttl) {
        db.update(IDEMPOTENCY_KEY)
                .set(IDEMPOTENCY_KEY.REQUEST_METHOD, method)
                .set(IDEMPOTENCY_KEY.REQUEST_PATH, path)
                .set(IDEMPOTENCY_KEY.REQUEST_HASH, requestHash)
                .set(IDEMPOTENCY_KEY.RECOVERY_POINT, "STARTED")
                .set(IDEMPOTENCY_KEY.LOCKED_AT, currentOffsetDateTime())
                .set(IDEMPOTENCY_KEY.RESPONSE_STATUS, (Integer) null)
                .set(IDEMPOTENCY_KEY.RESPONSE_BODY, (String) null)
                .set(IDEMPOTENCY_KEY.EXPIRES_AT, nowPlus(ttl))
                .where(IDEMPOTENCY_KEY.MERCHANT_ID.eq(merchantId)).and(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq(key))
                .execute();
    }

    void finish(long merchantId, String key, int status, String body) {
        db.update(IDEMPOTENCY_KEY)
                .set(IDEMPOTENCY_KEY.RECOVERY_POINT, "FINISHED")
                .set(IDEMPOTENCY_KEY.LOCKED_AT, (OffsetDateTime) null)
                .set(IDEMPOTENCY_KEY.RESPONSE_STATUS, status)
                .set(IDEMPOTENCY_KEY.RESPONSE_BODY, body)
                .where(IDEMPOTENCY_KEY.MERCHANT_ID.eq(merchantId)).and(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq(key))
                .execute();
    }

    void delete(long merchantId, String key) {
        db.deleteFrom(IDEMPOTENCY_KEY)
                .where(IDEMPOTENCY_KEY.MERCHANT_ID.eq(merchantId)).and(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq(key))
                .execute();
    }

    int deleteExpired() {
        return db.deleteFrom(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.EXPIRES_AT.lt(currentOffsetDateTime())).execute();
    }
}
