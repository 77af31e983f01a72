package io.unbreakable.payments.api.webhook;

import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY_ATTEMPT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.db.jooq.tables.records.WebhookDeliveryRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Delivery to a real receiver over HTTP, driven step by step (the test config switches the dispatcher's own
 * loop off and sets retry delays of 1s, 2s, 3s, a 1.5 s timeout and a 2 s lease).
 */
class WebhookDeliveryTest extends ApiTest {

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    WebhookRepository repository;

    @Autowired
    WebhookProperties properties;

    private Receiver receiver;
    private TestMerchant merchant;
    private String secret;
    private long endpointId;

    @BeforeEach
    void aMerchantWithAReceiver() throws Exception {
        receiver = new Receiver();
        merchant = createMerchant();
        Response created = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", receiver.url(), "eventTypes", List.of("PAYMENT_STATUS_CHANGED")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        secret = created.body().get("secret").asString();
        endpointId = created.body().get("id").asLong();
    }

    @AfterEach
    void stopTheReceiver() {
        receiver.close();
    }

    private void pay(String paymentKey, String orderId) {
        createOrder(merchant, orderId, 9_000, 1);
        assertThat(confirm(merchant, paymentKey, orderId, 10_000).status()).isEqualTo(200);
    }

    private WebhookDeliveryRecord delivery() {
        return db.selectFrom(WEBHOOK_DELIVERY).fetchSingle();
    }

    /** The retry's wait has passed (the database's clock is everyone's: move the row, not the clock). */
    private void dueNow() {
        db.execute("update webhook_delivery set next_attempt_at = now() where status = 'PENDING'");
    }

    @Test
    void anEventIsDeliveredOnceSignedPerStandardWebhooks() throws Exception {
        pay("pk_1", "order-0001");

        dispatcher.drain();
        dispatcher.drain();

        assertThat(receiver.received()).hasSize(1);
        Receiver.Received received = receiver.received().get(0);
        JsonNode body = JSON.readTree(received.body());
        assertThat(received.headers().get("webhook-id")).isEqualTo(body.get("eventId").asString());
        long timestamp = Long.parseLong(received.headers().get("webhook-timestamp"));
        assertThat(timestamp).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(received.headers().get("webhook-signature"))
                .isEqualTo(WebhookSignature.sign(secret, body.get("eventId").asString(), timestamp, received.body()));
        assertThat(body.get("eventType").asString()).isEqualTo("PAYMENT_STATUS_CHANGED");
        assertThat(body.get("data").get("paymentKey").asString()).isEqualTo("pk_1");
        assertThat(delivery().getStatus()).isEqualTo("DELIVERED");

        JsonNode deliveries = get("/v1/webhooks/" + endpointId + "/deliveries?status=DELIVERED", merchant.basicAuth()).body();
        assertThat(deliveries.get("deliveries")).hasSize(1);
        JsonNode attempt = deliveries.get("deliveries").get(0).get("attempts").get(0);
        assertThat(attempt.get("httpStatus").asInt()).isEqualTo(204);
        assertThat(attempt.get("latencyMs").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(get("/v1/webhooks/" + endpointId + "/deliveries?status=FAILED", merchant.basicAuth()).body().get("deliveries")).isEmpty();
        assertThat(getManagement("/actuator/prometheus").text()).contains("payments_webhooks_deliveries_total{outcome=\"delivered\"}");
    }

    @Test
    void aFailingReceiverIsRetriedOnTheScheduleThenFailedAndRedeliveredOnRequest() throws Exception {
        receiver.answer(Receiver.Mode.FAIL_500);
        pay("pk_1", "order-0001");
        List<Duration> delays = properties.retryDelays();

        for (int attempt = 1; attempt <= delays.size(); attempt++) {
            dispatcher.drain();
            WebhookDeliveryRecord row = delivery();
            assertThat(row.getStatus()).isEqualTo("PENDING");
            assertThat(row.getAttempts()).isEqualTo(attempt);
            assertThat(row.getLastHttpStatus()).isEqualTo(500);
            assertThat(row.getLastError()).isEqualTo("HTTP 500: receiver broken");
            assertThat(Duration.between(row.getUpdatedAt(), row.getNextAttemptAt()))
                    .as("wait after attempt %d", attempt).isEqualTo(delays.get(attempt - 1));
            dispatcher.drain();
            assertThat(receiver.received()).as("not sent again before its time").hasSize(attempt);
            dueNow();
        }
        dispatcher.drain();
        assertThat(delivery().getStatus()).as("after the last delay").isEqualTo("FAILED");
        assertThat(receiver.received()).hasSize(delays.size() + 1);
        assertThat(db.fetchCount(WEBHOOK_DELIVERY_ATTEMPT)).isEqualTo(delays.size() + 1);
        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.STATUS, WEBHOOK_ENDPOINT.ID.eq(endpointId))).as("failing for seconds, not days")
                .isEqualTo("ENABLED");
        JsonNode failed = get("/v1/webhooks/" + endpointId + "/deliveries?status=FAILED", merchant.basicAuth()).body().get("deliveries");
        assertThat(failed.get(0).get("attempts")).hasSize(delays.size() + 1);

        receiver.answer(Receiver.Mode.OK);
        Response redelivered = post("/v1/webhooks/deliveries/" + delivery().getId() + "/redeliver", merchant.basicAuth(), Map.of());
        assertThat(redelivered.status()).as(redelivered.text()).isEqualTo(200);
        assertThat(post("/v1/webhooks/deliveries/" + delivery().getId() + "/redeliver", createMerchant().basicAuth(), Map.of()).code())
                .as("another merchant's delivery").isEqualTo("NOT_FOUND_WEBHOOK_DELIVERY");
        dispatcher.drain();
        assertThat(delivery().getStatus()).isEqualTo("DELIVERED");
        assertThat(receiver.received()).hasSize(delays.size() + 2);
    }

    @Test
    void anEndpointFailingForDaysIsDisabledAndARedeliveryThatSucceedsEnablesItAgain() throws Exception {
        receiver.answer(Receiver.Mode.FAIL_500);
        pay("pk_1", "order-0001");
        dispatcher.drain();
        db.execute("update webhook_endpoint set failing_since = now() - interval '5 days 1 minute' where id = ?", endpointId);
        dueNow();

        dispatcher.drain();

        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.STATUS, WEBHOOK_ENDPOINT.ID.eq(endpointId))).isEqualTo("DISABLED");
        assertThat(delivery().getStatus()).isEqualTo("FAILED");
        assertThat(get("/v1/webhooks", merchant.basicAuth()).body().get(0).get("status").asString()).isEqualTo("DISABLED");
        pay("pk_2", "order-0002");
        assertThat(count("webhook_delivery")).as("a disabled endpoint gets no new deliveries").isEqualTo(1);

        receiver.answer(Receiver.Mode.OK);
        post("/v1/webhooks/deliveries/" + delivery().getId() + "/redeliver", merchant.basicAuth(), Map.of());
        dispatcher.drain();
        assertThat(db.fetchValue(WEBHOOK_ENDPOINT.STATUS, WEBHOOK_ENDPOINT.ID.eq(endpointId))).isEqualTo("ENABLED");
    }

    @Test
    void aReceiverThatHangsRedirectsOrAnswersTenMegabytesFailsTheAttemptInBoundedTime() throws Exception {
        for (Receiver.Mode mode : List.of(Receiver.Mode.HANG, Receiver.Mode.REDIRECT, Receiver.Mode.HUGE_BODY)) {
            receiver.answer(mode);
            pay("pk_" + mode, "order-" + mode);
            long started = System.nanoTime();

            dispatcher.drain();

            long tookMs = (System.nanoTime() - started) / 1_000_000;
            WebhookDeliveryRecord row = db.selectFrom(WEBHOOK_DELIVERY).orderBy(WEBHOOK_DELIVERY.ID.desc()).limit(1).fetchSingle();
            assertThat(row.getStatus()).as(mode.name()).isEqualTo("PENDING");
            assertThat(row.getAttempts()).as(mode.name()).isEqualTo(1);
            assertThat(tookMs).as(mode + ": at most the timeout, plus slack").isLessThan(properties.timeout().toMillis() + 3_000);
            switch (mode) {
                case HANG -> assertThat(row.getLastError()).startsWith("no answer within 1500 ms");
                case REDIRECT -> assertThat(row.getLastHttpStatus()).isEqualTo(302);
                default -> assertThat(row.getLastError()).contains("answer body over 65536 bytes");
            }
        }
        assertThat(receiver.received()).extracting(Receiver.Received::path).as("the redirect was not followed").doesNotContain("/elsewhere");
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("webhook-sender")).count())
                .as("a fixed pool, whatever the receivers do").isLessThanOrEqualTo(properties.threads());
    }

    @Test
    void aDispatcherThatDiesBetweenSendAndRecordLeavesTheDeliveryToBeSentAgainAfterItsLease() throws Exception {
        pay("pk_1", "order-0001");
        // a dispatcher claims and sends, then its process is killed before it records the attempt
        List<WebhookRepository.Due> claimed = repository.claimDue(10, properties.lease(), List.of());
        assertThat(claimed).hasSize(1);
        assertThat(dispatcher.send(claimed.get(0)).error()).isNull();
        assertThat(receiver.received()).hasSize(1);

        dispatcher.drain();
        assertThat(receiver.received()).as("leased: no other dispatcher sends it meanwhile").hasSize(1);

        Thread.sleep(properties.lease().toMillis() + 200);
        dispatcher.drain();

        assertThat(receiver.received()).as("sent again after the lease: never lost").hasSize(2);
        assertThat(receiver.received().get(1).headers().get("webhook-id")).as("the same webhook-id: the receiver deduplicates")
                .isEqualTo(receiver.received().get(0).headers().get("webhook-id"));
        assertThat(delivery().getStatus()).isEqualTo("DELIVERED");
    }
}
