package io.unbreakable.payments.api.datakey;

import io.unbreakable.payments.api.idempotency.SecretAnswers;
import io.unbreakable.payments.api.webhook.WebhookService;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a new key was put first in PAYMENTS_DATA_KEY: rewrites every stored value that is still under an
 * older key under the current one (account numbers, webhook signing secrets, stored answers that carry a
 * secret), {@value #BATCH} rows a transaction (each audited with it), so the old key can then be dropped from
 * the list. Safe to run again, and beside another instance doing the same (rows being rewritten elsewhere are
 * skipped, not waited for).
 */
@Service
class DataKeyRotation {

    static final int BATCH = 500;

    private final EncryptedColumns columns;
    private final DataCipher cipher;
    private final AuditTrail audit;
    private final TransactionTemplate tx;

    DataKeyRotation(EncryptedColumns columns, DataCipher cipher, AuditTrail audit, TransactionTemplate tx) {
        this.columns = columns;
        this.cipher = cipher;
        this.audit = audit;
        this.tx = tx;
    }

    Result rotate() {
        String prefix = "v1:" + cipher.currentKeyId() + ":";
        String accountNumber = V72__encrypt_payout_account_numbers.PURPOSE;
        int merchants = rewrite("ACCOUNT_NUMBERS_REENCRYPTED", "merchant", accountNumber, limit -> columns.merchantsNotUnder(prefix, limit), columns::updateMerchant);
        int payouts = rewrite("ACCOUNT_NUMBERS_REENCRYPTED", "payout", accountNumber, limit -> columns.payoutsNotUnder(prefix, limit), columns::updatePayout);
        int webhookSecrets = rewrite("WEBHOOK_SECRETS_REENCRYPTED", "webhook_endpoint", WebhookService.SECRET_PURPOSE,
                limit -> columns.webhookSecretsNotUnder(prefix, limit), columns::updateWebhookSecret)
                + rewrite("WEBHOOK_SECRETS_REENCRYPTED", "webhook_endpoint", WebhookService.SECRET_PURPOSE,
                        limit -> columns.previousWebhookSecretsNotUnder(prefix, limit), columns::updatePreviousWebhookSecret);
        int answers = rewrite("STORED_ANSWERS_REENCRYPTED", "idempotency_key", SecretAnswers.PURPOSE, limit -> columns.secretAnswersNotUnder(prefix, limit),
                columns::updateSecretAnswer);
        Result result = new Result(cipher.currentKeyId(), merchants, payouts, webhookSecrets, answers);
        tx.executeWithoutResult(status -> audit.record("DATA_KEY_ROTATION_COMPLETED", "DATA_KEY", cipher.currentKeyId(), null,
                Map.of("merchantsRewritten", merchants, "payoutsRewritten", payouts, "webhookSecretsRewritten", webhookSecrets,
                        "storedAnswersRewritten", answers)));
        return result;
    }

    private int rewrite(String action, String table, String purpose, IntFunction<List<EncryptedColumns.Stored>> nextBatch,
            BiConsumer<EncryptedColumns.Stored, String> update) {
        int total = 0;
        while (true) {
            Integer rewritten = tx.execute(status -> {
                List<EncryptedColumns.Stored> rows = nextBatch.apply(BATCH);
                for (EncryptedColumns.Stored row : rows) {
                    update.accept(row, cipher.encrypt(purpose, cipher.decrypt(purpose, row.value())));
                }
                if (!rows.isEmpty()) {
                    audit.record(action, "DATA_KEY", cipher.currentKeyId(), null,
                            Map.of("table", table, "rows", rows.size()));
                }
                return rows.size();
            });
            total += rewritten;
            if (rewritten < BATCH) {
                return total;
            }
        }
    }

    record Result(String currentKeyId, int merchantsRewritten, int payoutsRewritten, int webhookSecretsRewritten,
            int storedAnswersRewritten) {
    }
}
