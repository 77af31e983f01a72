package io.unbreakable.payments.pgsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The simulator over real HTTP: sandbox conventions, idempotent answers, faults. */
class PgSimulatorTest {

    PgSimulator simulator;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        simulator = PgSimulator.start(0, 7, SimulatorFaults.NONE);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey, Duration timeout) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .header("Authorization", "Basic dGVzdDo=").header("Content-Type", "application/json")
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> confirm(String paymentKey, String idempotencyKey) throws Exception {
        return post("/v1/payments/confirm", "{\"paymentKey\":\"" + paymentKey + "\",\"orderId\":\"order-1\",\"amount\":15000}",
                idempotencyKey, Duration.ofSeconds(5));
    }

    @Test
    void approvesOnceAndAnswersARetryWithTheSameKeyTheSame() throws Exception {
        HttpResponse<String> first = confirm("pk_1", "k1");
        HttpResponse<String> retry = confirm("pk_1", "k1");
        HttpResponse<String> otherKey = confirm("pk_1", "k2");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"status\":\"DONE\"").contains("\"totalAmount\":15000").contains("\"vat\":1364");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(otherKey.statusCode()).isEqualTo(400);
        assertThat(otherKey.body()).contains("ALREADY_PROCESSED_PAYMENT");
        assertThat(simulator.approvals()).isEqualTo(1);
    }

    @Test
    void declinesTestDeclineKeys() throws Exception {
        HttpResponse<String> declined = confirm("test_decline_card", "k");
        assertThat(declined.statusCode()).isEqualTo(403);
        assertThat(declined.body()).contains("REJECT_CARD_PAYMENT");
        assertThat(simulator.isApproved("test_decline_card")).isFalse();
    }

    @Test
    void approvesTestTimeoutKeysButNeverAnswersTheFirstCall() throws Exception {
        simulator.setFaults(new SimulatorFaults(0, 0, 0, 0, 2_000, List.of()));
        assertThrows(HttpTimeoutException.class, () -> post("/v1/payments/confirm",
                "{\"paymentKey\":\"test_timeout_1\",\"orderId\":\"order-1\",\"amount\":15000}", "k", Duration.ofMillis(300)));
        assertThat(simulator.isApproved("test_timeout_1")).isTrue();

        HttpResponse<String> inquiry = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/payments/test_timeout_1"))
                .header("Authorization", "Basic dGVzdDo=").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(inquiry.body()).contains("\"status\":\"DONE\"");
        assertThat(confirm("test_timeout_1", "k").statusCode()).as("the retry gets the stored answer").isEqualTo(200);
    }

    @Test
    void cancelsPartiallyAndRefusesMoreThanTheBalance() throws Exception {
        confirm("pk_1", "k");
        HttpResponse<String> part = post("/v1/payments/pk_1/cancel", "{\"cancelReason\":\"x\",\"cancelAmount\":5000}", "c1", Duration.ofSeconds(5));
        HttpResponse<String> tooMuch = post("/v1/payments/pk_1/cancel", "{\"cancelReason\":\"x\",\"cancelAmount\":10001}", "c2", Duration.ofSeconds(5));
        HttpResponse<String> rest = post("/v1/payments/pk_1/cancel", "{\"cancelReason\":\"x\"}", "c3", Duration.ofSeconds(5));

        assertThat(part.body()).contains("\"status\":\"PARTIAL_CANCELED\"").contains("\"balanceAmount\":10000");
        assertThat(tooMuch.body()).contains("EXCEED_CANCEL_AMOUNT");
        assertThat(rest.body()).contains("\"status\":\"CANCELED\"").contains("\"balanceAmount\":0");
    }

    @Test
    void injectsErrorsAndOutagesWithoutDoingAnything() throws Exception {
        simulator.setFaults(new SimulatorFaults(0, 0, 1.0, 0, 0, List.of()));
        assertThat(confirm("pk_err", "k").statusCode()).isEqualTo(500);
        simulator.setFaults(new SimulatorFaults(0, 0, 0, 0, 0,
                List.of(new SimulatorFaults.Outage(Instant.now().minusSeconds(1), Instant.now().plusSeconds(60)))));
        assertThat(confirm("pk_out", "k").statusCode()).isEqualTo(503);
        assertThat(simulator.approvals()).isZero();
    }

    @Test
    void takesFaultsOverHttp() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/__sim/faults"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":5,\"latencyJitterMs\":0,\"errorRate\":0.25,\"timeoutRate\":0,\"hangMs\":100,\"outages\":[]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(simulator.faults().errorRate()).isEqualTo(0.25);
        assertThat(simulator.faults().latencyMs()).isEqualTo(5);
    }

    private HttpResponse<String> send(String method, String path, String body, boolean authorized) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorized) {
            request.header("Authorization", "Basic dGVzdDo=");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesCallsWithoutASecretKeyAndUnknownEndpoints() throws Exception {
        assertThat(send("GET", "/v1/payments/pk_1", null, false).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = send("DELETE", "/v1/payments/pk_1", null, true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no such endpoint: DELETE /v1/payments/pk_1");
        assertThat(send("POST", "/v1/payments/confirm", "{\"paymentKey\":\"pk_1\"}", true).body()).contains("INVALID_REQUEST");
        assertThat(send("POST", "/v1/payments/confirm", "", true).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/payments/confirm", "{\"paymentKey\":\"pk_1\",\"orderId\":\"o\",\"amount\":0}", true).statusCode())
                .isEqualTo(400);
    }

    @Test
    void answersInquiriesByPaymentKeyAndByOrderId() throws Exception {
        confirm("pk_1", null);
        assertThat(send("GET", "/v1/payments/orders/order-1", null, true).body()).contains("\"paymentKey\":\"pk_1\"");
        assertThat(send("GET", "/v1/payments/orders/order-2", null, true).body()).contains("NOT_FOUND_PAYMENT");
        assertThat(send("GET", "/v1/payments/pk_2", null, true).statusCode()).isEqualTo(404);
        assertThat(simulator.approvedBalances()).containsExactly(java.util.Map.entry("pk_1", 15_000L));
    }

    @Test
    void refusesCancelsOfWhatItDoesNotHoldOrOfNothing() throws Exception {
        assertThat(post("/v1/payments/pk_none/cancel", "{}", null, Duration.ofSeconds(5)).statusCode()).isEqualTo(404);
        confirm("test_decline_1", null);
        assertThat(post("/v1/payments/test_decline_1/cancel", "{}", null, Duration.ofSeconds(5)).statusCode()).isEqualTo(404);
        assertThat(confirm("test_decline_1", null).body()).as("a declined key stays declined").contains("REJECT_CARD_PAYMENT");
        confirm("pk_1", null);
        assertThat(post("/v1/payments/pk_1/cancel", "{\"cancelAmount\":0}", null, Duration.ofSeconds(5)).body()).contains("INVALID_REQUEST");
        assertThat(post("/v1/payments/pk_1/cancel", "{}", null, Duration.ofSeconds(5)).body()).contains("\"status\":\"CANCELED\"");
        assertThat(post("/v1/payments/pk_1/cancel", "{\"cancelAmount\":1}", null, Duration.ofSeconds(5)).body()).contains("ALREADY_CANCELED_PAYMENT");
        assertThat(simulator.approvedBalances()).containsExactly(java.util.Map.entry("pk_1", 0L));
    }

    @Test
    void issuesAndChargesBillingKeys() throws Exception {
        assertThat(send("POST", "/v1/billing/authorizations/issue", "{\"customerKey\":\"c1\"}", true).body()).contains("INVALID_REQUEST");
        assertThat(send("POST", "/v1/billing/authorizations/issue", "{\"authKey\":\"a\"}", true).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/billing/authorizations/issue", "{\"customerKey\":\"c1\",\"authKey\":\"test_decline_1\"}", true).body())
                .contains("REJECT_CARD_COMPANY");
        String issued = send("POST", "/v1/billing/authorizations/issue", "{\"customerKey\":\"c1\",\"authKey\":\"a\"}", true).body();
        String billingKey = issued.replaceAll(".*\"billingKey\":\"([^\"]+)\".*", "$1");

        assertThat(send("POST", "/v1/billing/bk_unknown", "{\"customerKey\":\"c1\",\"orderId\":\"o1\",\"amount\":9900}", true).body())
                .contains("NOT_FOUND_BILLING_KEY");
        assertThat(send("POST", "/v1/billing/" + billingKey, "{\"customerKey\":\"c2\",\"orderId\":\"o1\",\"amount\":9900}", true).statusCode())
                .as("another customer's key").isEqualTo(404);
        assertThat(send("POST", "/v1/billing/" + billingKey, "{\"customerKey\":\"c1\",\"amount\":9900}", true).body()).contains("INVALID_REQUEST");
        assertThat(send("POST", "/v1/billing/" + billingKey, "{\"customerKey\":\"c1\",\"orderId\":\"o1\"}", true).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/billing/" + billingKey, "{\"customerKey\":\"c1\",\"orderId\":\"o1\",\"amount\":9900}", true).body())
                .contains("\"status\":\"DONE\"");

        assertThat(send("PUT", "/__sim/billing", "{\"billingKey\":\"" + billingKey + "\",\"declining\":true}", false).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/billing/" + billingKey, "{\"customerKey\":\"c1\",\"orderId\":\"o2\",\"amount\":9900}", true).body())
                .contains("REJECT_CARD_PAYMENT");
        simulator.setDecliningCharges(billingKey, false);
        assertThat(send("POST", "/v1/billing/" + billingKey, "{\"customerKey\":\"c1\",\"orderId\":\"o3\",\"amount\":9900}", true).statusCode())
                .isEqualTo(200);

        String declining = send("POST", "/v1/billing/authorizations/issue", "{\"customerKey\":\"test_decline_c\",\"authKey\":\"a\"}", true).body()
                .replaceAll(".*\"billingKey\":\"([^\"]+)\".*", "$1");
        assertThat(send("POST", "/v1/billing/" + declining, "{\"customerKey\":\"test_decline_c\",\"orderId\":\"o4\",\"amount\":9900}", true)
                .statusCode()).isEqualTo(403);
        assertThat(simulator.approvals()).isEqualTo(2);
    }

    @Test
    void controlEndpointsSeedReportAndReset() throws Exception {
        assertThat(send("POST", "/__sim/billing/seed", "{\"count\":2}", false).body()).contains("\"seeded\":2");
        assertThat(send("POST", "/v1/billing/bk_seed_2", "{\"customerKey\":\"customer-2\",\"orderId\":\"o1\",\"amount\":100}", true)
                .statusCode()).isEqualTo(200);
        assertThat(send("GET", "/__sim/stats", null, false).body()).contains("\"approvals\":1");
        assertThat(send("GET", "/__sim/faults", null, false).body()).contains("\"errorRate\":0.0");
        assertThat(send("PUT", "/__sim/faults", "{\"errorRate\":2}", false).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/__sim/nothing", null, false).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/__sim/reset", null, false).body()).contains("\"approvals\":0");
        assertThat(simulator.approvedBalances()).isEmpty();
    }

    @Test
    void addsLatencyWithJitterFromItsSeed() throws Exception {
        simulator.setFaults(new SimulatorFaults(20, 10, 0, 0, 0, null));
        long started = System.nanoTime();
        assertThat(confirm("pk_slow", null).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(simulator.faults().outages()).isEmpty();
    }

    @Test
    void faultsRefuseImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(-1, 0, 0, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(0, -1, 0, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(0, 0, 0, 0, -1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(0, 0, -0.1, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(0, 0, 1.1, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(0, 0, 0, -0.1, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorFaults(0, 0, 0, 1.1, 0, List.of()));
        Instant now = Instant.now();
        SimulatorFaults window = new SimulatorFaults(0, 0, 0, 0, 0, List.of(new SimulatorFaults.Outage(now, now.plusSeconds(10))));
        assertThat(window.inOutage(now.minusMillis(1))).isFalse();
        assertThat(window.inOutage(now)).isTrue();
        assertThat(window.inOutage(now.plusSeconds(10))).isFalse();
    }
}
