package io.unbreakable.payments.api.subscription;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION_CHARGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Billing keys and subscriptions over real HTTP; the first cycle's charge is a payment like any other. */
class SubscriptionApiTest extends ApiTest {

    private final LocalDate today = Seoul.time(OffsetDateTime.now()).toLocalDate();

    private String issueBillingKey(TestMerchant merchant, String customerKey) {
        Response issued = post("/v1/billing/authorizations/issue", merchant.basicAuth(),
                Map.of("customerKey", customerKey, "authKey", "auth_" + customerKey));
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        assertThat(issued.body().get("cardNumber").asString()).contains("****");
        return issued.body().get("billingKey").asString();
    }

    private Response subscribe(TestMerchant merchant, String customerKey, String billingKey, Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>(Map.of("customerKey", customerKey, "billingKey", billingKey,
                "planName", "프리미엄 월간", "amount", 9_900, "interval", "MONTHLY"));
        body.putAll(overrides);
        return post("/v1/subscriptions", merchant.basicAuth(), body);
    }

    @Test
    void theFirstCycleIsChargedAtCreationAsARefundablePayment() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");

        Response created = subscribe(merchant, "customer-1", billingKey, Map.of());

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode subscription = created.body();
        assertThat(subscription.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(subscription.get("paidCycles").asInt()).isEqualTo(1);
        assertThat(subscription.get("billingKey").asString()).isNotEqualTo(billingKey).contains("****");
        assertThat(subscription.get("nextBillingDate").asString()).isEqualTo(today.plusMonths(1).toString());
        assertThat(subscription.get("upcomingBillingDates").get(0).asString()).isEqualTo(today.plusMonths(1).toString());
        JsonNode charge = subscription.get("charges").get(0);
        assertThat(charge.get("status").asString()).isEqualTo("DONE");
        assertThat(charge.get("orderId").asString()).isEqualTo("sub_" + subscription.get("id").asLong() + "_1");
        assertThat(walletBalance(merchant)).isEqualTo(9_900);
        assertThat(simulator.approvals()).isEqualTo(1);

        String paymentKey = charge.get("paymentKey").asString();
        JsonNode payment = get("/v1/payments/" + paymentKey, merchant.basicAuth()).body();
        assertThat(payment.get("status").asString()).isEqualTo("DONE");
        assertThat(payment.get("vat").asLong()).isEqualTo(900);
        Response refund = post("/v1/payments/" + paymentKey + "/cancel", merchant.basicAuth(),
                Map.of("cancelReason", "일할 환불", "cancelAmount", 3_300));
        assertThat(refund.status()).as(refund.text()).isEqualTo(200);
        assertThat(walletBalance(merchant)).isEqualTo(6_600);

        TestMerchant other = createMerchant();
        assertThat(get("/v1/subscriptions/" + subscription.get("id").asLong(), other.basicAuth()).code())
                .isEqualTo("NOT_FOUND_SUBSCRIPTION");
        assertThat(subscribe(other, "customer-1", billingKey, Map.of()).code()).as("another merchant's key").isEqualTo("NOT_FOUND_BILLING_KEY");
    }

    @Test
    void aFutureFirstBillingDateChargesNothingNow() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");

        Response created = subscribe(merchant, "customer-1", billingKey,
                Map.of("firstBillingDate", today.plusDays(10).toString(), "interval", "WEEKLY"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("paidCycles").asInt()).isZero();
        assertThat(created.body().get("nextBillingDate").asString()).isEqualTo(today.plusDays(10).toString());
        assertThat(created.body().get("upcomingBillingDates").get(1).asString()).isEqualTo(today.plusDays(17).toString());
        assertThat(simulator.approvals()).isZero();
        assertThat(db.fetchCount(PAYMENT)).isZero();
    }

    @Test
    void aDeclinedFirstChargeLeavesTheSubscriptionPastDueWithTheReason() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");
        simulator.setDecliningCharges(billingKey, true);

        JsonNode subscription = subscribe(merchant, "customer-1", billingKey, Map.of()).body();

        assertThat(subscription.get("status").asString()).isEqualTo("PAST_DUE");
        assertThat(subscription.get("lastErrorCode").asString()).isEqualTo("REJECT_CARD_PAYMENT");
        assertThat(subscription.get("retryCount").asInt()).isEqualTo(1);
        assertThat(Seoul.time(OffsetDateTime.parse(subscription.get("nextRetryAt").asString())))
                .isEqualTo(Seoul.startOf(today.plusDays(1)));
        assertThat(walletBalance(merchant)).isZero();
    }

    @Test
    void aRefusedAuthorizationWritesNothing() {
        TestMerchant merchant = createMerchant();

        Response refused = post("/v1/billing/authorizations/issue", merchant.basicAuth(),
                Map.of("customerKey", "customer-1", "authKey", "test_decline_auth"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("REJECT_CARD_COMPANY");
        assertThat(db.fetchCount(BILLING_KEY)).isZero();
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");

        List<Map<String, Object>> bad = List.of(
                Map.of("amount", 0),
                Map.of("amount", -9_900),
                Map.of("amount", 9_999_999_999L),
                Map.of("interval", "DAILY"),
                Map.of("planName", ""),
                Map.of("firstBillingDate", today.minusDays(1).toString()),
                Map.of("firstBillingDate", "tomorrow"),
                Map.of("customerKey", "customer-2"));
        for (Map<String, Object> override : bad) {
            Response response = subscribe(merchant, "customer-1", billingKey, override);
            assertThat(response.status()).as(override + " → " + response.text()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("INVALID_REQUEST");
        }
        assertThat(subscribe(merchant, "customer-1", "bk_nope", Map.of()).code()).isEqualTo("NOT_FOUND_BILLING_KEY");
        assertThat(post("/v1/subscriptions/1/cancel", merchant.basicAuth(), Map.of()).code()).isEqualTo("INVALID_REQUEST");
        assertThat(db.fetchCount(SUBSCRIPTION)).isZero();
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE)).isZero();

        Response reserved = post("/v1/orders", merchant.basicAuth(), Map.of("orderId", "sub_1_1", "orderName", "x",
                "items", List.of(Map.of("sku", "A", "name", "a", "unitPrice", 1_000, "quantity", 1))));
        assertThat(reserved.status()).as("sub_ orderIds belong to subscription charges").isEqualTo(400);
    }

    @Test
    void cancelAtPeriodEndKeepsThePaidPeriodAndThenCancelNowEndsIt() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");
        long id = subscribe(merchant, "customer-1", billingKey, Map.of()).body().get("id").asLong();

        JsonNode atPeriodEnd = post("/v1/subscriptions/" + id + "/cancel", merchant.basicAuth(), Map.of("atPeriodEnd", true)).body();
        assertThat(atPeriodEnd.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(atPeriodEnd.get("cancelAtPeriodEnd").asBoolean()).isTrue();
        assertThat(atPeriodEnd.get("upcomingBillingDates")).isEmpty();

        JsonNode now = post("/v1/subscriptions/" + id + "/cancel", merchant.basicAuth(), Map.of("atPeriodEnd", false)).body();
        assertThat(now.get("status").asString()).isEqualTo("CANCELED");
        assertThat(now.get("canceledAt").isNull()).isFalse();

        assertThat(post("/v1/subscriptions/" + id + "/cancel", merchant.basicAuth(), Map.of("atPeriodEnd", false)).code())
                .isEqualTo("ALREADY_CANCELED_SUBSCRIPTION");
        assertThat(walletBalance(merchant)).as("nothing refunded by cancelling").isEqualTo(9_900);
    }
}
