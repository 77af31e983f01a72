package io.unbreakable.payments.api.idempotency;

import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IdempotencyTest extends ApiTest {

    private static String orderBody(String orderId, long unitPrice) {
        return "{\"orderId\":\"" + orderId + "\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":"
                + unitPrice + ",\"quantity\":1}]}";
    }

    @Test
    void theSameKeyAndRequestReplaysTheFirstResponseWithoutRunningAgain() {
        TestMerchant merchant = createMerchant();
        Map<String, String> key = Map.of("Idempotency-Key", "create-order-1");

        Response first = post("/v1/orders", merchant.basicAuth(), orderBody("order-0001", 5_000), key);
        Response replay = post("/v1/orders", merchant.basicAuth(), orderBody("order-0001", 5_000), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(db.fetchCount(ORDERS)).isEqualTo(1);
    }

    @Test
    void aKeyReusedForADifferentRequestIsRefused() {
        TestMerchant merchant = createMerchant();
        Map<String, String> key = Map.of("Idempotency-Key", "k-1");
        post("/v1/orders", merchant.basicAuth(), orderBody("order-0001", 5_000), key);

        Response reused = post("/v1/orders", merchant.basicAuth(), orderBody("order-0002", 5_000), key);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(db.fetchCount(ORDERS)).isEqualTo(1);
    }

    @Test
    void keysBelongToOneMerchant() {
        TestMerchant first = createMerchant("first", "BUSINESS", "0.03");
        TestMerchant second = createMerchant("second", "BUSINESS", "0.03");
        Map<String, String> key = Map.of("Idempotency-Key", "same-key");

        assertThat(post("/v1/orders", first.basicAuth(), orderBody("order-0001", 5_000), key).status()).isEqualTo(201);
        assertThat(post("/v1/orders", second.basicAuth(), orderBody("order-0001", 7_000), key).status()).isEqualTo(201);
        assertThat(db.fetchCount(ORDERS)).isEqualTo(2);
    }

    @Test
    void aFinalClientErrorIsReplayedToo() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        Map<String, String> key = Map.of("Idempotency-Key", "bad-amount");
        Map<String, Object> body = Map.of("paymentKey", "pk_1", "orderId", "order-0001", "amount", 1);

        Response first = post("/v1/payments/confirm", merchant.basicAuth(), body, key);
        Response replay = post("/v1/payments/confirm", merchant.basicAuth(), body, key);

        assertThat(first.code()).isEqualTo("INVALID_AMOUNT");
        assertThat(replay.code()).isEqualTo("INVALID_AMOUNT");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void aSecondRequestWhileTheFirstRunsGets409AndTheCardIsChargedOnce() throws Exception {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        simulator.setFaults(new SimulatorFaults(400, 0, 0, 0, 3_000, List.of())); // slow, yet inside the 700 ms read timeout
        Map<String, String> key = Map.of("Idempotency-Key", "confirm-once");
        Map<String, Object> body = Map.of("paymentKey", "pk_1", "orderId", "order-0001", "amount", 10_000);

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> post("/v1/payments/confirm", merchant.basicAuth(), body, key));
        // wait until the first request holds the key (and is then waiting on the slow PG)
        long deadline = System.currentTimeMillis() + 5_000;
        while (db.fetchCount(IDEMPOTENCY_KEY) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Response second = post("/v1/payments/confirm", merchant.basicAuth(), body, key);

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("IDEMPOTENT_REQUEST_PROCESSING");
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), body, key).status()).isEqualTo(200);
        assertThat(simulator.approvals()).isEqualTo(1);
    }

    @Test
    void aRequestWhoseProcessDiedAfterThePgApprovedIsResumedByItsRetryWithoutASecondCharge() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        String body = "{\"paymentKey\":\"test_timeout_crash\",\"orderId\":\"order-0001\",\"amount\":10000}";
        // the first attempt: the PG approves but its answer never arrives
        Response first = post("/v1/payments/confirm", merchant.basicAuth(), body, Map.of());
        assertThat(first.status()).isEqualTo(202);
        assertThat(simulator.isApproved("test_timeout_crash")).isTrue();
        // now make it look as if the process died right after the PG call: payment claimed, key held
        db.update(PAYMENT).set(PAYMENT.STATUS, "IN_PROGRESS")
                .set(PAYMENT.UPDATED_AT, OffsetDateTime.now().minusMinutes(5)).execute();
        db.insertInto(IDEMPOTENCY_KEY)
                .set(IDEMPOTENCY_KEY.MERCHANT_ID, merchant.merchantId())
                .set(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_, "crash-key")
                .set(IDEMPOTENCY_KEY.REQUEST_METHOD, "POST")
                .set(IDEMPOTENCY_KEY.REQUEST_PATH, "/v1/payments/confirm")
                .set(IDEMPOTENCY_KEY.REQUEST_HASH, IdempotencyFilter.sha256("POST", "/v1/payments/confirm", body.getBytes(StandardCharsets.UTF_8)))
                .set(IDEMPOTENCY_KEY.RECOVERY_POINT, "STARTED")
                .set(IDEMPOTENCY_KEY.LOCKED_AT, OffsetDateTime.now().minusMinutes(5))
                .set(IDEMPOTENCY_KEY.EXPIRES_AT, OffsetDateTime.now().plusDays(15))
                .execute();

        Response resumed = post("/v1/payments/confirm", merchant.basicAuth(), body, Map.of("Idempotency-Key", "crash-key"));

        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body().get("status").asString()).isEqualTo("DONE");
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
        assertThat(db.select(IDEMPOTENCY_KEY.RECOVERY_POINT).from(IDEMPOTENCY_KEY).fetchSingle(IDEMPOTENCY_KEY.RECOVERY_POINT))
                .isEqualTo("FINISHED");
    }

    @Test
    void anOverlongKeyIsRefused() {
        TestMerchant merchant = createMerchant();
        Response response = post("/v1/orders", merchant.basicAuth(), orderBody("order-0001", 5_000), Map.of("Idempotency-Key", "k".repeat(301)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(db.fetchCount(ORDERS)).isZero();
    }
}
