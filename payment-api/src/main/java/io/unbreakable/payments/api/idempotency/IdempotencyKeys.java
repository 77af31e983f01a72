package io.unbreakable.payments.api.idempotency;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.db.jooq.tables.records.IdempotencyKeyRecord;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Idempotency keys, Stripe's way: the first request with a key runs and its response is kept; the
 * same request again gets that response; another request with the key is refused; a request whose
 * process died mid-way is resumed by the next one after the lock times out (the handlers' own
 * recovery points make the resumed run finish the work, never repeat it).
 */
@Service
class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final IdempotencyRepository keys;
    private final IdempotencyProperties properties;
    private final TransactionTemplate tx;
    private final DataCipher cipher;

    IdempotencyKeys(IdempotencyRepository keys, IdempotencyProperties properties, TransactionTemplate tx, DataCipher cipher) {
        this.keys = keys;
        this.properties = properties;
        this.tx = tx;
        this.cipher = cipher;
    }

    Decision begin(long merchantId, String key, String method, String path, String requestHash) {
        return tx.execute(status -> {
            if (keys.insertStarted(merchantId, key, method, path, requestHash, properties.ttl())) {
                return Decision.proceed();
            }
            Optional<IdempotencyKeyRecord> locked = keys.lock(merchantId, key);
            if (locked.isEmpty()) { // released between our insert and our lock: the key is free again
                keys.insertStarted(merchantId, key, method, path, requestHash, properties.ttl());
                return Decision.proceed();
            }
            IdempotencyKeyRecord existing = locked.get();
            OffsetDateTime now = OffsetDateTime.now();
            if (existing.getExpiresAt().isBefore(now)) {
                keys.restart(merchantId, key, method, path, requestHash, properties.ttl());
                return Decision.proceed();
            }
            if (!existing.getRequestHash().equals(requestHash)) {
                return new Decision(Outcome.KEY_REUSED, 0, null);
            }
            if (existing.getRecoveryPoint().equals("FINISHED")) {
                String body = existing.getResponseBody();
                // a stored answer is JSON, or DataCipher's text when it carries a secret (SecretAnswers)
                boolean encrypted = body != null && DataCipher.looksEncrypted(body);
                return new Decision(Outcome.REPLAY, existing.getResponseStatus(), encrypted ? cipher.decrypt(SecretAnswers.PURPOSE, body) : body);
            }
            if (existing.getLockedAt() != null && existing.getLockedAt().isAfter(now.minus(properties.lockTimeout()))) {
                return new Decision(Outcome.IN_PROGRESS, 0, null);
            }
            log.info("idempotency key of merchant {} was abandoned mid-request; resuming it", merchantId);
            keys.restart(merchantId, key, method, path, requestHash, properties.ttl());
            return Decision.proceed();
        });
    }

    /** Keeps a final answer for replay; one carrying a secret only encrypted. */
    void finish(long merchantId, String key, int status, String body, boolean carriesSecret) {
        keys.finish(merchantId, key, status, carriesSecret ? cipher.encrypt(SecretAnswers.PURPOSE, body) : body);
    }

    /** Forgets a key whose request ended without a final answer, so the client's retry runs again. */
    void release(long merchantId, String key) {
        keys.delete(merchantId, key);
    }

    @Scheduled(fixedDelayString = "${payments.idempotency.cleanup-interval:1h}")
    void deleteExpired() {
        int deleted = keys.deleteExpired();
        if (deleted > 0) {
            log.info("deleted {} expired idempotency keys", deleted);
        }
    }

    enum Outcome { PROCEED, REPLAY, KEY_REUSED, IN_PROGRESS }

    record Decision(Outcome outcome, int status, String body) {

        static Decision proceed() {
            return new Decision(Outcome.PROCEED, 0, null);
        }
    }
}
