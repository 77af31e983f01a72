package io.unbreakable.payments.api.merchant;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.pages.PageSession;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.payout.PayoutAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A payout account number is stored encrypted and shown masked everywhere: API, console, audit trail, logs. */
class PayoutAccountEncryptionTest extends ApiTest {

    @Autowired
    DataCipher cipher;

    @Test
    void theAccountNumberIsStoredEncryptedAndLeavesTheAppOnlyMasked() {
        Response created = post("/v1/admin/merchants", ADMIN, Map.of("name", "계좌 상점", "businessType", "INDIVIDUAL", "feeRate", "0.033",
                "payoutAccount", Map.of("bankCode", "088", "accountNumber", "110-123-456789", "holderName", "홍길동")));
        assertThat(created.status()).isEqualTo(201);
        long merchantId = created.body().get("merchantId").asLong();
        assertThat(created.body().get("payoutAccount").get("accountNumber").asString()).isEqualTo("****6789");
        assertThat(get("/v1/admin/merchants/" + merchantId, ADMIN).body().get("payoutAccount").get("accountNumber").asString())
                .isEqualTo("****6789");

        String stored = db.fetchValue(MERCHANT.PAYOUT_ACCOUNT_NUMBER, MERCHANT.ID.eq(merchantId));
        assertThat(stored).startsWith("v1:" + cipher.currentKeyId() + ":").doesNotContain("456789").doesNotContain("110-123");
        // kept as the digits a transfer sends
        assertThat(cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, stored)).isEqualTo("110123456789");

        PageSession finance = new PageSession(port, "ko");
        finance.signIn("/console", "finance", "test-console-password");
        assertThat(finance.get("/console/merchants/" + merchantId).body()).contains("088 ****6789 홍길동").doesNotContain("456789");
        assertThat(db.fetchValue(AUDIT_EVENT.AFTER_STATE, AUDIT_EVENT.ACTION.eq("MERCHANT_CREATED")).data())
                .contains("****6789").doesNotContain("456789");
        assertThat(new PayoutAccount("088", "110-123-456789", "홍길동").toString()).doesNotContain("456789");
    }
}
