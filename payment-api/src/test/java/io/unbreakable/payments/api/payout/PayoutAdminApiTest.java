package io.unbreakable.payments.api.payout;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.payout.PayoutGatewayType;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.payout.PayoutTransition;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Finance's payout account and payout endpoints: what they change, what they refuse (with nothing written). */
class PayoutAdminApiTest extends ApiTest {

    @Autowired
    PayoutLifecycle lifecycle;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aNewPayoutAccountIsStoredEncryptedAnsweredMaskedAndUncheckedAgain() {
        TestMerchant merchant = createMerchant();
        db.update(MERCHANT).set(MERCHANT.PAYOUT_ACCOUNT_CHECK, "MISMATCH").where(MERCHANT.ID.eq(merchant.merchantId())).execute();

        Response changed = put("/v1/admin/merchants/" + merchant.merchantId() + "/payout-account", ADMIN,
                Map.of("bankCode", "090", "accountNumber", "3333012345678", "holderName", "김철수"));

        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.body().get("payoutAccount").get("accountNumber").asString()).isEqualTo("****5678");
        assertThat(changed.body().get("payoutAccount").get("holderName").asString()).isEqualTo("김철수");
        assertThat(changed.body().get("payoutAccountCheck").asString()).isEqualTo("UNVERIFIED");
        assertThat(changed.text()).doesNotContain("3333012345678");
        assertThat(db.select(MERCHANT.PAYOUT_ACCOUNT_NUMBER).from(MERCHANT).where(MERCHANT.ID.eq(merchant.merchantId()))
                .fetchSingle(MERCHANT.PAYOUT_ACCOUNT_NUMBER)).startsWith("v1:").doesNotContain("3333012345678");
        assertThat(db.fetch("select after_state::text from audit_event where action = 'MERCHANT_PAYOUT_ACCOUNT_CHANGED'")
                .getValues(0, String.class)).singleElement().asString().contains("****5678").doesNotContain("3333012345678");
    }

    @Test
    void refusesAnUnknownBankCodeANonDigitAccountAndABlankHolderWritingNothing() {
        TestMerchant merchant = createMerchant();
        String path = "/v1/admin/merchants/" + merchant.merchantId() + "/payout-account";
        int audits = db.fetchCount(AUDIT_EVENT);

        for (Map<String, Object> body : java.util.List.<Map<String, Object>>of(
                Map.of("bankCode", "999", "accountNumber", "3333012345678", "holderName", "김철수"),
                Map.of("bankCode", "090", "accountNumber", "3333-01-2345678", "holderName", "김철수"),
                Map.of("bankCode", "090", "accountNumber", "12345", "holderName", "김철수"),
                Map.of("bankCode", "090", "accountNumber", "3333012345678", "holderName", " "),
                Map.of("bankCode", "090", "accountNumber", "3333012345678", "holderName", "김,철수"))) {
            Response refused = put(path, ADMIN, body);
            assertThat(refused.status()).as(body.toString()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("INVALID_REQUEST");
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.text()).doesNotContain("3333012345678").doesNotContain("3333-01-2345678");
        }
        assertThat(db.fetchCount(AUDIT_EVENT)).isEqualTo(audits);
        assertThat(get("/v1/admin/merchants/" + merchant.merchantId(), ADMIN).body().get("payoutAccount").isNull()).isTrue();
        assertThat(put("/v1/admin/merchants/99999/payout-account", ADMIN,
                Map.of("bankCode", "090", "accountNumber", "3333012345678", "holderName", "김철수")).status()).isEqualTo(404);
    }

    @Test
    void financeHoldsReleasesAndRetriesPayoutsOnlyFromTheStatusesThatAllowIt() throws Exception {
        TestMerchant merchant = createMerchant();
        long payoutId = insertSettlementWithReport(merchant.merchantId(), LocalDate.parse("2026-11-24")).payoutId();

        Response held = post("/v1/admin/payouts/" + payoutId + "/hold", ADMIN, Map.of("reason", "세무 확인 중"));
        assertThat(held.status()).as(held.text()).isEqualTo(200);
        assertThat(held.body().get("status").asString()).isEqualTo("HELD");
        assertThat(held.body().get("reason").asString()).isEqualTo("FINANCE_HOLD");
        assertThat(held.body().get("message").asString()).isEqualTo("세무 확인 중");

        Response retryHeld = post("/v1/admin/payouts/" + payoutId + "/retry", ADMIN, Map.of("reason", "again"));
        assertThat(retryHeld.status()).isEqualTo(409);
        assertThat(retryHeld.code()).isEqualTo("NOT_CHANGEABLE_PAYOUT");
        assertThat(post("/v1/admin/payouts/" + payoutId + "/release", ADMIN, Map.of("reason", "")).status()).isEqualTo(400);

        assertThat(post("/v1/admin/payouts/" + payoutId + "/release", ADMIN, Map.of("reason", "확인 완료")).body()
                .get("status").asString()).isEqualTo("RELEASED");
        tx.executeWithoutResult(status -> lifecycle.transition(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null)));
        tx.executeWithoutResult(status -> lifecycle.transition(PayoutTransition.failed(payoutId, "CLOSED_ACCOUNT", "해지된 계좌입니다.")));
        assertThat(walletBalance(merchant)).as("the failed payout back in the wallet").isEqualTo(931_900);

        Response retried = post("/v1/admin/payouts/" + payoutId + "/retry", ADMIN, Map.of("reason", "계좌 변경 확인"));
        assertThat(retried.body().get("status").asString()).isEqualTo("SCHEDULED");
        assertThat(retried.body().get("attempt").asInt()).isEqualTo(1);
        assertThat(walletBalance(merchant)).isZero();

        JsonNode list = get("/v1/admin/payouts?payoutDate=2026-11-25&status=SCHEDULED", ADMIN).body();
        assertThat(list.get("payouts")).hasSize(1);
        assertThat(list.get("totals").get("amount").asLong()).isEqualTo(931_900);
        assertThat(list.get("totals").get("byStatus").get("SCHEDULED").get("count").asLong()).isEqualTo(1);
        assertThat(get("/v1/admin/payouts?status=PAID", ADMIN).body().get("payouts")).isEmpty();
        assertThat(get("/v1/admin/payouts?status=NOPE", ADMIN).status()).isEqualTo(400);
        assertThat(post("/v1/admin/payouts/99999/hold", ADMIN, Map.of("reason", "x")).status()).isEqualTo(404);
    }

    @Test
    void aPayoutStatusChangedEventCarriesThePayoutExactlyAsTheGetAnswersItPlusVersion() throws Exception {
        TestMerchant merchant = createMerchant();
        assertThat(put("/v1/admin/merchants/" + merchant.merchantId() + "/payout-account", ADMIN,
                Map.of("bankCode", "090", "accountNumber", "3333012345678", "holderName", "김철수")).status()).isEqualTo(200);
        Response registered = post("/v1/webhooks", merchant.basicAuth(),
                Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("PAYOUT_STATUS_CHANGED")));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        long payoutId = insertSettlementWithReport(merchant.merchantId(), LocalDate.parse("2026-11-24")).payoutId();

        assertThat(post("/v1/admin/payouts/" + payoutId + "/hold", ADMIN, Map.of("reason", "세무 확인 중")).status()).isEqualTo(200);
        JsonNode held = get("/v1/admin/payouts/" + payoutId, ADMIN).body();
        assertThat(post("/v1/admin/payouts/" + payoutId + "/hold", ADMIN, Map.of("reason", "again")).status())
                .as("a refused change is no event").isEqualTo(409);
        post("/v1/admin/payouts/" + payoutId + "/release", ADMIN, Map.of("reason", "확인 완료"));
        tx.executeWithoutResult(status -> lifecycle.transition(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null)));
        JsonNode requested = get("/v1/admin/payouts/" + payoutId, ADMIN).body();

        List<JsonNode> events = db.select(WEBHOOK_EVENT.PAYLOAD).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.EVENT_TYPE.eq("PAYOUT_STATUS_CHANGED"))
                .orderBy(WEBHOOK_EVENT.ID).fetch(r -> JsonMapper.builder().build().readTree(r.value1()));
        assertThat(events).extracting(e -> e.get("data").get("status").asString()).containsExactly("HELD", "RELEASED", "REQUESTED");
        assertThat(withoutVersion(events.get(0))).isEqualTo(held);
        assertThat(withoutVersion(events.get(2))).isEqualTo(requested);
        assertThat(requested.get("account").get("accountNumber").asString()).isEqualTo("****5678");
        assertThat(events.toString()).doesNotContain("3333012345678").doesNotContain("v1:");
    }

    private static ObjectNode withoutVersion(JsonNode event) {
        ObjectNode data = (ObjectNode) event.get("data").deepCopy();
        assertThat(data.remove("version").asLong()).isPositive();
        return data;
    }
}
