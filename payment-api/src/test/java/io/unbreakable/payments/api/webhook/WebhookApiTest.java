package io.unbreakable.payments.api.webhook;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.payment.PaymentRecovery;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The webhook endpoints of the API, and the outbox: which state changes become events, with what data. */
class WebhookApiTest extends ApiTest {

    private static final String ALL_TYPES_URL = "https://hooks.example/receive";

    @Autowired
    WebhookOutbox outbox;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    PaymentRecovery recovery;

    private Response register(TestMerchant merchant, String url, List<String> types, Map<String, String> headers) {
        return post("/v1/webhooks", merchant.basicAuth(), Map.of("url", url, "eventTypes", types), headers);
    }

    private long registerAll(TestMerchant merchant) {
        Response created = register(merchant, "http://127.0.0.1:9/hook",
                List.of("PAYMENT_STATUS_CHANGED", "SUBSCRIPTION_STATUS_CHANGED", "SETTLEMENT_COMPLETED"), Map.of());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.body().get("id").asLong();
    }

    @Test
    void anEndpointIsRegisteredWithASecretShownOnceAndStoredOnlyEncrypted() {
        TestMerchant merchant = createMerchant();

        Response created = register(merchant, "http://127.0.0.1:9/hook", List.of("PAYMENT_STATUS_CHANGED"), Map.of("Idempotency-Key", "hook-1"));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String secret = created.body().get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        long id = created.body().get("id").asLong();
        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.SECRET, WEBHOOK_ENDPOINT.ID.eq(id))).startsWith("v1:").doesNotContain(secret.substring(6));
        // the idempotency row keeps the answer for replay, encrypted: the same request again gets the same secret
        assertThat(db.fetchValue(IDEMPOTENCY_KEY.RESPONSE_BODY, IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_.eq("hook-1"))).startsWith("v1:")
                .doesNotContain(secret.substring(6));
        Response replay = register(merchant, "http://127.0.0.1:9/hook", List.of("PAYMENT_STATUS_CHANGED"), Map.of("Idempotency-Key", "hook-1"));
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body().get("secret").asString()).isEqualTo(secret);
        assertThat(count("webhook_endpoint")).isEqualTo(1);
        assertThat(db.fetch("select before_state::text || after_state::text from audit_event").getValues(0, String.class))
                .noneMatch(states -> states != null && states.contains(secret.substring(6)));
        assertThat(db.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("WEBHOOK_ENDPOINT_CREATED"))).isEqualTo(1);

        JsonNode listed = get("/v1/webhooks", merchant.basicAuth()).body();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("url").asString()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(listed.get(0).get("status").asString()).isEqualTo("ENABLED");
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(get("/v1/webhooks", createMerchant().basicAuth()).body()).as("another merchant's list").isEmpty();
    }

    @Test
    void rotationSignsWithBothSecretsForADayAndDeleteStopsDeliveries() {
        TestMerchant merchant = createMerchant();
        long id = registerAll(merchant);
        String before = db.fetchValue(WEBHOOK_ENDPOINT.SECRET, WEBHOOK_ENDPOINT.ID.eq(id));

        Response rotated = post("/v1/webhooks/" + id + "/rotate-secret", merchant.basicAuth(), Map.of());

        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
        assertThat(rotated.body().get("secret").asString()).startsWith("whsec_");
        assertThat(rotated.body().get("previousSecretExpiresAt").isNull()).isFalse();
        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.PREVIOUS_SECRET, WEBHOOK_ENDPOINT.ID.eq(id))).isEqualTo(before);
        assertThat(db.fetchSingle("select previous_secret_expires_at - now() between interval '23 hours 59 minutes' and interval '24 hours'"
                + " from webhook_endpoint where id = ?", id).get(0, Boolean.class)).isTrue();
        assertThat(post("/v1/webhooks/" + id + "/rotate-secret", createMerchant().basicAuth(), Map.of()).code())
                .as("another merchant's endpoint").isEqualTo("NOT_FOUND_WEBHOOK");

        assertThat(send("DELETE", "/v1/webhooks/" + id, merchant.basicAuth(), "").status()).isEqualTo(204);
        assertThat(get("/v1/webhooks", merchant.basicAuth()).body()).isEmpty();
        assertThat(send("DELETE", "/v1/webhooks/" + id, merchant.basicAuth(), "").code()).isEqualTo("NOT_FOUND_WEBHOOK");
        assertThat(db.fetch("select action from audit_event where target_type = 'WEBHOOK_ENDPOINT' order by id").getValues(0, String.class))
                .containsExactly("WEBHOOK_ENDPOINT_CREATED", "WEBHOOK_SECRET_ROTATED", "WEBHOOK_ENDPOINT_DELETED");
    }

    @Test
    void badInputIsRefusedWithACodeAndNothingIsStored() {
        TestMerchant merchant = createMerchant();
        List<String> eleven = new ArrayList<>(Collections.nCopies(11, "PAYMENT_STATUS_CHANGED"));

        assertThat(register(merchant, ALL_TYPES_URL, List.of("PAYMENT_HAPPENED"), Map.of()).code()).isEqualTo("INVALID_REQUEST");
        assertThat(register(merchant, ALL_TYPES_URL, List.of(), Map.of()).code()).isEqualTo("INVALID_REQUEST");
        assertThat(register(merchant, ALL_TYPES_URL, eleven, Map.of()).code()).isEqualTo("INVALID_REQUEST");
        assertThat(register(merchant, "not a url", List.of("PAYMENT_STATUS_CHANGED"), Map.of()).code()).isEqualTo("INVALID_WEBHOOK_URL");
        assertThat(register(merchant, "ftp://127.0.0.1/hook", List.of("PAYMENT_STATUS_CHANGED"), Map.of()).code()).isEqualTo("INVALID_WEBHOOK_URL");
        assertThat(register(merchant, "https://" + "a".repeat(2050) + ".example", List.of("PAYMENT_STATUS_CHANGED"), Map.of()).code())
                .isEqualTo("INVALID_REQUEST");
        Response missing = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", ALL_TYPES_URL));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(get("/v1/webhooks/12345/deliveries", merchant.basicAuth()).code()).isEqualTo("NOT_FOUND_WEBHOOK");
        assertThat(get("/v1/webhooks/1/deliveries?status=LOST", merchant.basicAuth()).code()).isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/webhooks/deliveries/777/redeliver", merchant.basicAuth(), Map.of()).code()).isEqualTo("NOT_FOUND_WEBHOOK_DELIVERY");
        assertThat(count("webhook_endpoint")).isZero();
        assertThat(db.fetchCount(AUDIT_EVENT, AUDIT_EVENT.TARGET_TYPE.like("WEBHOOK%"))).isZero();
    }

    @Test
    void aConfirmedPaymentIsAnEventWhoseDataIsThePaymentAsItsGetAnswers() {
        TestMerchant merchant = createMerchant();
        TestMerchant silent = createMerchant(); // no endpoint: no event
        long endpointId = registerAll(merchant);
        createOrder(merchant, "order-0001", 9_000, 1);
        createOrder(silent, "order-0001", 9_000, 1);

        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        assertThat(confirm(silent, "pk_2", "order-0001", 10_000).status()).isEqualTo(200);
        assertThat(post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "부분 환불", "cancelAmount", 4_000)).status())
                .isEqualTo(200);

        List<JsonNode> events = events("PAYMENT_STATUS_CHANGED");
        assertThat(events).hasSize(2);
        JsonNode done = events.get(0);
        JsonNode partial = events.get(1);
        assertThat(done.get("eventId").asString()).startsWith("evt_");
        assertThat(done.get("data").get("status").asString()).isEqualTo("DONE");
        assertThat(partial.get("data").get("status").asString()).isEqualTo("PARTIAL_CANCELED");
        assertThat(partial.get("data").get("version").asLong()).as("a later state has a higher version")
                .isGreaterThan(done.get("data").get("version").asLong());
        ObjectNode data = (ObjectNode) partial.get("data").deepCopy();
        data.remove("version");
        assertThat(data).isEqualTo(get("/v1/payments/pk_1", merchant.basicAuth()).body());
        assertThat(db.fetchCount(WEBHOOK_DELIVERY, WEBHOOK_DELIVERY.ENDPOINT_ID.eq(endpointId))).isEqualTo(2);
    }

    @Test
    void anUnknownPaymentSettledByThePollerAndADeclinedOneAreEvents() {
        TestMerchant merchant = createMerchant();
        registerAll(merchant);
        createOrder(merchant, "order-0001", 4_500, 2);
        createOrder(merchant, "order-0002", 4_500, 2);

        assertThat(confirm(merchant, "test_timeout_1", "order-0001", 10_000).status()).isEqualTo(202);
        assertThat(events("PAYMENT_STATUS_CHANGED")).as("UNKNOWN is not an outcome").isEmpty();
        assertThat(recovery.runOnce()).isEqualTo(1);
        assertThat(confirm(merchant, "test_decline_1", "order-0002", 10_000).status()).isEqualTo(403);

        List<JsonNode> events = events("PAYMENT_STATUS_CHANGED");
        assertThat(events).extracting(e -> e.get("data").get("paymentKey").asString() + ":" + e.get("data").get("status").asString())
                .containsExactly("test_timeout_1:DONE", "test_decline_1:ABORTED");
        assertThat(events.get(1).get("data").get("failure").get("code").asString()).isEqualTo("REJECT_CARD_PAYMENT");
    }

    @Test
    void billingChargesAndSubscriptionChangesAreEvents() {
        TestMerchant merchant = createMerchant();
        registerAll(merchant);
        String billingKey = post("/v1/billing/authorizations/issue", merchant.basicAuth(),
                Map.of("customerKey", "customer-1", "authKey", "auth_customer-1")).body().get("billingKey").asString();

        Response charged = post("/v1/billing/" + billingKey, merchant.basicAuth(), Map.of("customerKey", "customer-1", "amount", 5_000,
                "orderId", "billing-order-1", "orderName", "일회 결제"));
        assertThat(charged.status()).as(charged.text()).isEqualTo(200);
        Map<String, Object> subscription = new HashMap<>(Map.of("customerKey", "customer-1", "billingKey", billingKey,
                "planName", "프리미엄 월간", "amount", 9_900, "interval", "MONTHLY"));
        long subscriptionId = post("/v1/subscriptions", merchant.basicAuth(), subscription).body().get("id").asLong();
        assertThat(post("/v1/subscriptions/" + subscriptionId + "/cancel", merchant.basicAuth(), Map.of("atPeriodEnd", false)).status())
                .isEqualTo(200);
        String declining = post("/v1/billing/authorizations/issue", merchant.basicAuth(),
                Map.of("customerKey", "customer-2", "authKey", "auth_customer-2")).body().get("billingKey").asString();
        simulator.setDecliningCharges(declining, true);
        subscription.putAll(Map.of("customerKey", "customer-2", "billingKey", declining));
        assertThat(post("/v1/subscriptions", merchant.basicAuth(), subscription).body().get("status").asString()).isEqualTo("PAST_DUE");

        assertThat(events("PAYMENT_STATUS_CHANGED")).extracting(e -> e.get("data").get("orderId").asString())
                .containsExactly("billing-order-1", "sub_" + subscriptionId + "_1");
        List<JsonNode> changes = events("SUBSCRIPTION_STATUS_CHANGED");
        assertThat(changes).extracting(e -> e.get("data").get("status").asString()).containsExactly("ACTIVE", "CANCELED", "PAST_DUE");
        assertThat(changes.get(2).get("data").get("lastErrorCode").asString()).isEqualTo("REJECT_CARD_PAYMENT");
        ObjectNode canceled = (ObjectNode) changes.get(1).get("data").deepCopy();
        canceled.remove("version");
        assertThat(canceled).isEqualTo(get("/v1/subscriptions/" + subscriptionId, merchant.basicAuth()).body());
    }

    @Test
    void aRolledBackChangeWritesNoEventAndEventsNeedTheChangesTransaction() {
        TestMerchant merchant = createMerchant();
        registerAll(merchant);
        createOrder(merchant, "order-0001", 9_000, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        long paymentId = db.fetchSingle("select id from payment where payment_key = 'pk_1'").get(0, Long.class);
        int before = count("webhook_event");

        tx.executeWithoutResult(status -> {
            outbox.paymentIdsChanged(List.of(paymentId));
            assertThat(count("webhook_event")).as("written inside the transaction").isEqualTo(before + 1);
            status.setRollbackOnly();
        });
        assertThat(count("webhook_event")).as("a rollback is no event").isEqualTo(before);
        assertThat(count("webhook_delivery")).isEqualTo(before);

        tx.executeWithoutResult(status -> outbox.paymentIdsChanged(List.of(paymentId)));
        assertThat(count("webhook_event")).as("a commit is an event").isEqualTo(before + 1);
        assertThatThrownBy(() -> outbox.paymentIdsChanged(List.of(paymentId))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction");
    }

    private List<JsonNode> events(String type) {
        return db.select(WEBHOOK_EVENT.PAYLOAD).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.EVENT_TYPE.eq(type)).orderBy(WEBHOOK_EVENT.ID)
                .fetch(r -> JSON.readTree(r.value1()));
    }
}
