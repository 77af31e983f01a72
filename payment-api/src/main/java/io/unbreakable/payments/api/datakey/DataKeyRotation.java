package io.unbreakable.payments.api.datakey;

import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a new key was put first in PAYMENTS_DATA_KEY: rewrites every stored account number that is still
 * under an older key under the current one, {@value #BATCH} rows a transaction (each audited with it), so
 * the old key can then be dropped from the list. Safe to run again, and beside another instance doing the
 * same (rows being rewritten elsewhere are skipped, not waited for).
 */
@Service
class DataKeyRotation {

    static final int BATCH = 500;

    private final AccountNumberRepository accountNumbers;
    private final DataCipher cipher;
    private final AuditTrail audit;
    private final TransactionTemplate tx;

    DataKeyRotation(AccountNumberRepository accountNumbers, DataCipher cipher, AuditTrail audit, TransactionTemplate tx) {
        this.accountNumbers = accountNumbers;
        this.cipher = cipher;
        this.audit = audit;
        this.tx = tx;
    }

    Result rotate() {
        String prefix = "v1:" + cipher.currentKeyId() + ":";
        int merchants = rewrite("merchant", () -> accountNumbers.merchantsNotUnder(prefix, BATCH), accountNumbers::updateMerchant);
        int payouts = rewrite("payout", () -> accountNumbers.payoutsNotUnder(prefix, BATCH), accountNumbers::updatePayout);
        tx.executeWithoutResult(status -> audit.record("DATA_KEY_ROTATION_COMPLETED", "DATA_KEY", cipher.currentKeyId(), null,
                Map.of("merchantsRewritten", merchants, "payoutsRewritten", payouts)));
        return new Result(cipher.currentKeyId(), merchants, payouts);
    }

    private int rewrite(String table, Supplier<List<AccountNumberRepository.Stored>> nextBatch,
            BiConsumer<Long, String> update) {
        int total = 0;
        while (true) {
            Integer rewritten = tx.execute(status -> {
                List<AccountNumberRepository.Stored> rows = nextBatch.get();
                for (AccountNumberRepository.Stored row : rows) {
                    String purpose = V72__encrypt_payout_account_numbers.PURPOSE;
                    update.accept(row.id(), cipher.encrypt(purpose, cipher.decrypt(purpose, row.value())));
                }
                if (!rows.isEmpty()) {
                    audit.record("ACCOUNT_NUMBERS_REENCRYPTED", "DATA_KEY", cipher.currentKeyId(), null,
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

    record Result(String currentKeyId, int merchantsRewritten, int payoutsRewritten) {
    }
}
