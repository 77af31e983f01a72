package io.unbreakable.payments.api.datakey;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.idempotency.SecretAnswers;
import io.unbreakable.payments.api.webhook.WebhookService;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The test app runs with PAYMENTS_DATA_KEY=k2:...,k1:... (after a rotation): values written under k1 still
 * read, new ones go under k2, and the rotation endpoint rewrites the old ones so k1 can be dropped.
 */
class DataKeyRotationTest extends ApiTest {

    private static final String PURPOSE = V72__encrypt_payout_account_numbers.PURPOSE;

    @Autowired
    DataCipher cipher;

    @Value("${PAYMENTS_DATA_KEY}")
    String keyList;

    @Test
    void valuesUnderTheOldKeyStillReadAndTheRotationRewritesThemUnderTheCurrentOne() throws Exception {
        DataCipher oldKeyOnly = DataCipher.of(keyList.substring(keyList.indexOf(",k1:") + 1));
        TestMerchant merchant = createMerchant();
        db.update(MERCHANT).set(MERCHANT.PAYOUT_BANK_CODE, "088").set(MERCHANT.PAYOUT_ACCOUNT_HOLDER, "홍길동")
                .set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, oldKeyOnly.encrypt(PURPOSE, "110-123-456789"))
                .where(MERCHANT.ID.eq(merchant.merchantId())).execute();
        TestSettlement settlement = insertSettlementWithReport(merchant.merchantId(), LocalDate.of(2026, 11, 23));
        db.update(PAYOUT).set(PAYOUT.ACCOUNT_NUMBER, oldKeyOnly.encrypt(PURPOSE, "110-123-456789"))
                .where(PAYOUT.ID.eq(settlement.payoutId())).execute();
        // a webhook endpoint and its stored (encrypted) answer, both written under k1, after a rotation of its secret
        Response created = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", "http://127.0.0.1:9/hook",
                "eventTypes", List.of("PAYMENT_STATUS_CHANGED")), Map.of("Idempotency-Key", "hook-1"));
        String secret = created.body().get("secret").asString();
        db.update(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.SECRET, oldKeyOnly.encrypt(WebhookService.SECRET_PURPOSE, secret))
                .set(WEBHOOK_ENDPOINT.PREVIOUS_SECRET, oldKeyOnly.encrypt(WebhookService.SECRET_PURPOSE, "whsec_b2xk"))
                .execute();
        db.update(IDEMPOTENCY_KEY).set(IDEMPOTENCY_KEY.RESPONSE_BODY, oldKeyOnly.encrypt(SecretAnswers.PURPOSE, created.text()))
                .where(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq("hook-1")).execute();

        assertThat(cipher.currentKeyId()).isEqualTo("k2");
        assertThat(get("/v1/admin/merchants/" + merchant.merchantId(), ADMIN).body().get("payoutAccount").get("accountNumber")
                .asString()).as("read under k1").isEqualTo("****6789");

        Response rotated = post("/v1/admin/data-key/rotation", ADMIN, Map.of());
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.body().get("merchantsRewritten").asInt()).isEqualTo(1);
        assertThat(rotated.body().get("payoutsRewritten").asInt()).isEqualTo(1);
        assertThat(rotated.body().get("webhookSecretsRewritten").asInt()).as("secret and previous secret").isEqualTo(2);
        assertThat(rotated.body().get("storedAnswersRewritten").asInt()).isEqualTo(1);
        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.SECRET)).startsWith("v1:k2:");
        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.PREVIOUS_SECRET)).startsWith("v1:k2:");
        assertThat(db.fetchValue(IDEMPOTENCY_KEY.RESPONSE_BODY, IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq("hook-1"))).startsWith("v1:k2:");
        Response replay = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", "http://127.0.0.1:9/hook",
                "eventTypes", List.of("PAYMENT_STATUS_CHANGED")), Map.of("Idempotency-Key", "hook-1"));
        assertThat(replay.body().get("secret").asString()).as("the replay still shows the secret").isEqualTo(secret);
        String merchantNumber = db.fetchValue(MERCHANT.PAYOUT_ACCOUNT_NUMBER, MERCHANT.ID.eq(merchant.merchantId()));
        String payoutNumber = db.fetchValue(PAYOUT.ACCOUNT_NUMBER, PAYOUT.ID.eq(settlement.payoutId()));
        assertThat(merchantNumber).startsWith("v1:k2:");
        assertThat(payoutNumber).startsWith("v1:k2:");
        DataCipher newKeyOnly = DataCipher.of(keyList.substring(0, keyList.indexOf(",k1:")));
        assertThat(newKeyOnly.decrypt(PURPOSE, merchantNumber)).isEqualTo("110-123-456789");
        assertThat(newKeyOnly.decrypt(PURPOSE, payoutNumber)).isEqualTo("110-123-456789");

        assertThat(post("/v1/admin/data-key/rotation", ADMIN, Map.of()).body().get("merchantsRewritten").asInt())
                .as("nothing left under k1").isZero();
        assertThat(db.select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).where(AUDIT_EVENT.TARGET_TYPE.eq("DATA_KEY"))
                .orderBy(AUDIT_EVENT.ID).fetch(AUDIT_EVENT.ACTION))
                .containsExactly("ACCOUNT_NUMBERS_REENCRYPTED", "ACCOUNT_NUMBERS_REENCRYPTED", "WEBHOOK_SECRETS_REENCRYPTED",
                        "WEBHOOK_SECRETS_REENCRYPTED", "STORED_ANSWERS_REENCRYPTED", "DATA_KEY_ROTATION_COMPLETED",
                        "DATA_KEY_ROTATION_COMPLETED");
    }
}
