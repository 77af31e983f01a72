package io.unbreakable.payments.api.payment;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PG_CALL;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Two simulated PGs, "toss" (default first) and "backup", plus "offline" (connection refused): which
 * PG a payment goes to, when it may move, and what is left when none can take it. Circuits open
 * after 4 unanswered calls (test settings) and stay open until reset.
 */
class PgOutageTest extends ApiTest {

    private static final SimulatorFaults ERRORS = new SimulatorFaults(0, 0, 1.0, 0, 3_000, List.of());
    private static final SimulatorFaults APPROVES_BUT_NEVER_ANSWERS = new SimulatorFaults(0, 0, 0, 1.0, 3_000, List.of());

    @Autowired
    PaymentRecovery recovery;

    PgSimulator toss;
    PgSimulator backup;

    @org.junit.jupiter.api.BeforeEach
    void twoPgs() {
        toss = simulators.get("toss");
        backup = simulators.get("backup");
    }

    @Test
    void aPaymentGoesToTheMerchantsFirstPgAndItsCancelGoesToTheSamePg() {
        TestMerchant merchant = createMerchant();
        Response changed = put("/v1/admin/merchants/" + merchant.merchantId() + "/pg-providers", ADMIN,
                Map.of("pgProviders", List.of("backup", "toss")));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.body().get("pgProviders").get(0).asString()).isEqualTo("backup");
        createOrder(merchant, "order-0001", 4_500, 2);

        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        put("/v1/admin/merchants/" + merchant.merchantId() + "/pg-providers", ADMIN, Map.of("pgProviders", List.of("toss")));
        Response cancel = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "cancelAmount", 3_000));

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(providerOf("pk_1")).isEqualTo("backup");
        assertThat(backup.isApproved("pk_1")).isTrue();
        assertThat(backup.stats().get("cancels")).isEqualTo(1);
        assertThat(toss.stats().get("requests")).as("the new order does not move an existing payment").isZero();
        assertThat(walletBalance(merchant)).isEqualTo(7_000);
    }

    @Test
    void refusesAnUnknownProviderInAMerchantsOrder() {
        TestMerchant merchant = createMerchant();

        Response response = put("/v1/admin/merchants/" + merchant.merchantId() + "/pg-providers", ADMIN,
                Map.of("pgProviders", List.of("toss", "nicepay")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_REQUEST");
        assertThat(response.body().get("detail").asString()).contains("nicepay");
    }

    @Test
    void whileThePrimarysCircuitIsOpenNewPaymentsGoToTheBackupAndUnknownOnesStayWithThePrimary() {
        TestMerchant merchant = createMerchant();
        toss.setFaults(ERRORS);
        for (int i = 1; i <= 4; i++) {
            createOrder(merchant, "order-000" + i, 4_500, 2);
            Response response = confirm(merchant, "pk_" + i, "order-000" + i, 10_000);
            assertThat(response.status()).as("a 5xx may hide an approval: unknown, not failed over").isEqualTo(202);
        }
        assertThat(router.provider("toss").breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

        createOrder(merchant, "order-0005", 4_500, 2);
        Response failedOver = confirm(merchant, "pk_5", "order-0005", 10_000);

        assertThat(failedOver.status()).isEqualTo(200);
        assertThat(failedOver.body().get("status").asString()).isEqualTo("DONE");
        assertThat(providerOf("pk_5")).isEqualTo("backup");
        assertThat(List.of(providerOf("pk_1"), providerOf("pk_2"), providerOf("pk_3"), providerOf("pk_4")))
                .containsOnly("toss");
        assertThat(backup.stats().get("requests")).as("backup saw only pk_5").isEqualTo(1);
        assertThat(toss.stats().get("requests")).as("nothing sent to toss once its circuit opened").isEqualTo(4);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);

        JsonNode health = getManagement("/actuator/health").body();
        assertThat(health.get("status").asString()).as("a PG outage is not an app outage").isEqualTo("UP");
        JsonNode pgs = health.get("components").get("pgProviders");
        assertThat(pgs.get("status").asString()).isEqualTo("UP");
        assertThat(pgs.get("details").get("toss").get("status").asString()).isEqualTo("DOWN");
        assertThat(pgs.get("details").get("toss").get("circuit").asString()).isEqualTo("OPEN");
        assertThat(pgs.get("details").get("backup").get("status").asString()).isEqualTo("UP");

        String metrics = getManagement("/actuator/prometheus").text();
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{name=\"toss\",state=\"open\"} 1.0");
        // meters count since start (the context is shared between tests): the series are what is checked here
        assertThat(metrics).contains("payments_pg_calls_seconds_count{operation=\"confirm\",outcome=\"no_answer\",provider=\"toss\"}");
        assertThat(metrics).contains("payments_pg_calls_seconds_count{operation=\"confirm\",outcome=\"success\",provider=\"backup\"}");
        assertThat(metrics).contains("resilience4j_bulkhead_available_concurrent_calls{name=\"backup\"}");
    }

    @Test
    void aConfirmWhoseOutcomeIsUnknownIsRetriedAtTheSamePgEvenWhenItsCircuitIsOpen() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        toss.setFaults(APPROVES_BUT_NEVER_ANSWERS);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(202);
        assertThat(toss.isApproved("pk_1")).as("approved at toss; we did not hear it").isTrue();
        toss.setFaults(ERRORS);
        for (int i = 2; i <= 5; i++) {
            createOrder(merchant, "order-000" + i, 4_500, 2);
            confirm(merchant, "pk_" + i, "order-000" + i, 10_000);
        }

        Response retry = confirm(merchant, "pk_1", "order-0001", 10_000);

        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body().get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(providerOf("pk_1")).isEqualTo("toss");
        assertThat(backup.isApproved("pk_1")).as("never sent to a second PG: that could charge twice").isFalse();
        assertThat(walletBalance(merchant)).as("pk_5 went to backup").isEqualTo(10_000);
    }

    @Test
    void whenNoPgCanTakeAPaymentTheAnswerIsAFast503AndNothingIsWritten() {
        TestMerchant merchant = createMerchant();
        toss.setFaults(ERRORS);
        backup.setFaults(ERRORS);
        for (int i = 1; i <= 8; i++) { // 4 open toss's circuit, the next 4 backup's
            createOrder(merchant, "order-000" + i, 4_500, 2);
            confirm(merchant, "pk_" + i, "order-000" + i, 10_000);
        }
        int paymentsBefore = db.fetchCount(PAYMENT);
        int pgCallsBefore = db.fetchCount(PG_CALL);
        long requestsBefore = toss.stats().get("requests") + backup.stats().get("requests");
        createOrder(merchant, "order-0009", 4_500, 2);

        Response response = post("/v1/payments/confirm", merchant.basicAuth(),
                Map.of("paymentKey", "pk_9", "orderId", "order-0009", "amount", 10_000), Map.of("Idempotency-Key", "confirm-9"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.code()).isEqualTo("PG_UNAVAILABLE");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(response.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 600L));
        assertThat(db.fetchCount(PAYMENT)).as("no claim left behind").isEqualTo(paymentsBefore);
        assertThat(db.fetchCount(PG_CALL)).isEqualTo(pgCallsBefore);
        assertThat(toss.stats().get("requests") + backup.stats().get("requests")).isEqualTo(requestsBefore);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isZero();
        assertThat(getManagement("/actuator/health").body().get("status").asString()).isEqualTo("UP");

        // the PGs come back: the same request, same Idempotency-Key, now goes through (a 503 is not replayed)
        toss.setFaults(SimulatorFaults.NONE);
        backup.setFaults(SimulatorFaults.NONE);
        router.resetCircuits();
        Response retried = post("/v1/payments/confirm", merchant.basicAuth(),
                Map.of("paymentKey", "pk_9", "orderId", "order-0009", "amount", 10_000), Map.of("Idempotency-Key", "confirm-9"));
        assertThat(retried.status()).isEqualTo(200);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    @Test
    void aRefusedConnectionMovesTheUnsentClaimToTheNextPgOrRemovesItWhenNoneIsLeft() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        createOrder(merchant, "order-0002", 4_500, 2);
        put("/v1/admin/merchants/" + merchant.merchantId() + "/pg-providers", ADMIN, Map.of("pgProviders", List.of("offline", "backup")));

        Response movedOn = confirm(merchant, "pk_1", "order-0001", 10_000);

        assertThat(movedOn.status()).isEqualTo(200);
        assertThat(providerOf("pk_1")).isEqualTo("backup");
        assertThat(db.fetchCount(PG_CALL, PG_CALL.PG_PROVIDER.eq("offline"))).as("no PG saw that attempt").isZero();

        put("/v1/admin/merchants/" + merchant.merchantId() + "/pg-providers", ADMIN, Map.of("pgProviders", List.of("offline")));
        Response nowhere = confirm(merchant, "pk_2", "order-0002", 10_000);

        assertThat(nowhere.status()).isEqualTo(503);
        assertThat(nowhere.code()).isEqualTo("PG_UNAVAILABLE");
        assertThat(db.fetchCount(PAYMENT, PAYMENT.PAYMENT_KEY.eq("pk_2"))).as("the claim was removed").isZero();
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    @Test
    void unknownPaymentsWaitWhileTheirPgsCircuitIsOpenAndAreAllSettledWhenItIsBack() {
        TestMerchant merchant = createMerchant();
        toss.setFaults(APPROVES_BUT_NEVER_ANSWERS);
        for (int i = 1; i <= 4; i++) {
            createOrder(merchant, "order-000" + i, 4_500, 2);
            assertThat(confirm(merchant, "pk_" + i, "order-000" + i, 10_000).status()).isEqualTo(202);
        }
        assertThat(router.provider("toss").breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        toss.setFaults(SimulatorFaults.NONE);
        long tossRequests = toss.stats().get("requests");

        assertThat(recovery.runOnce()).as("an open circuit's work waits in the table").isZero();
        assertThat(toss.stats().get("requests")).isEqualTo(tossRequests);

        router.resetCircuits(); // the circuit closes again (in production: half-open probes after open-for)
        assertThat(recovery.runOnce()).isEqualTo(4);

        assertThat(db.fetchCount(PAYMENT, PAYMENT.STATUS.eq("DONE"))).isEqualTo(4);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).as("one posting each: no double charge").isEqualTo(4);
        assertThat(toss.approvals()).isEqualTo(4);
        assertThat(backup.approvals()).isZero();
        assertThat(walletBalance(merchant)).isEqualTo(40_000);
        assertThat(recovery.runOnce()).isZero();
    }

    @Test
    void aCancelOfAPaymentWhosePgIsDownIsRefusedBeforeAnythingIsReserved() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        toss.setFaults(ERRORS);
        for (int i = 2; i <= 5; i++) {
            createOrder(merchant, "order-000" + i, 4_500, 2);
            confirm(merchant, "pk_" + i, "order-000" + i, 10_000);
        }
        put("/v1/admin/merchants/" + merchant.merchantId() + "/pg-providers", ADMIN, Map.of("pgProviders", List.of("backup")));

        Response cancel = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x"));

        assertThat(cancel.status()).as("only toss can cancel toss's payment").isEqualTo(503);
        assertThat(cancel.code()).isEqualTo("PG_UNAVAILABLE");
        JsonNode payment = get("/v1/payments/pk_1", merchant.basicAuth()).body();
        assertThat(payment.get("balanceAmount").asLong()).isEqualTo(10_000);
        assertThat(payment.get("cancels")).isEmpty();
        assertThat(backup.stats().get("cancels")).isZero();
        assertThat(toss.stats().get("cancels")).isZero();
    }

    private String providerOf(String paymentKey) {
        return db.select(PAYMENT.PG_PROVIDER).from(PAYMENT).where(PAYMENT.PAYMENT_KEY.eq(paymentKey)).fetchSingle(PAYMENT.PG_PROVIDER);
    }
}
