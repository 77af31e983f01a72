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
}
