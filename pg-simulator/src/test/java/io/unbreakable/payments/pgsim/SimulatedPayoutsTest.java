package io.unbreakable.payments.pgsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's payouts API over HTTP: one payout per reference, sandbox accounts, seeded failures, async results. */
class SimulatedPayoutsTest {

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

    private HttpResponse<String> payout(String reference, String accountNumber) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v2/payouts")).header("Idempotency-Key", reference)
                .POST(HttpRequest.BodyPublishers.ofString("{\"refPayoutId\":\"" + reference + "\",\"amount\":15000,\"bankCode\":\"088\","
                        + "\"accountNumber\":\"" + accountNumber + "\",\"holderName\":\"홍길동\"}")));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Basic dGVzdDo=").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> inquiry(String reference) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v2/payouts/" + reference)).GET());
    }

    @Test
    void paysOncePerReferenceWhateverTheKeyAndAnInquiryTellsTheSame() throws Exception {
        HttpResponse<String> first = payout("payout-1-1", "110123456789");
        HttpResponse<String> again = payout("payout-1-1", "110123456789");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"status\":\"COMPLETED\"").contains("\"refPayoutId\":\"payout-1-1\"");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(inquiry("payout-1-1").body()).isEqualTo(first.body());
        assertThat(inquiry("payout-2-1").statusCode()).isEqualTo(404);
        assertThat(simulator.completedPayouts()).containsEntry("payout-1", 1L);
        assertThat(simulator.stats().get("payoutsPaidTwice")).isZero();
    }

    @Test
    void sandboxAccountsFailWithTheirReasonAndTheHolderCheckSeesAMismatch() throws Exception {
        assertThat(payout("payout-3-1", "9990001234").body()).contains("\"status\":\"FAILED\"").contains("CLOSED_ACCOUNT");
        assertThat(payout("payout-4-1", "9980001234").body()).contains("INVALID_ACCOUNT_HOLDER");
        assertThat(payout("payout-5-1", "9970001234").body()).contains("BANK_MAINTENANCE");
        assertThat(payout("payout-6-1", "110-123").statusCode()).isEqualTo(400);

        HttpResponse<String> mismatch = send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v2/bank-accounts/holder-check"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"bankCode\":\"088\",\"accountNumber\":\"9980001234\",\"holderName\":\"홍길동\"}")));
        assertThat(mismatch.body()).contains("\"matched\":false");
    }

    @Test
    void aSeededFailureRateFailsTheSameReferencesEveryTime() throws Exception {
        simulator.setPayoutFaults(0.2, 0);
        long failed = IntStream.range(0, 200).filter(i -> {
            try {
                return payout("payout-" + i + "-1", "110123456789").body().contains("FAILED");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
        assertThat(failed).isBetween(20L, 60L);

        PgSimulator other = PgSimulator.start(0, 7, SimulatorFaults.NONE);
        try {
            other.setPayoutFaults(0.2, 0);
            for (int i = 0; i < 20; i++) {
                assertThat(payout("payout-" + i + "-1", "110123456789").body().contains("FAILED"))
                        .isEqualTo(send(HttpRequest.newBuilder(URI.create(other.baseUrl() + "/v2/payouts")).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"refPayoutId\":\"payout-" + i + "-1\",\"amount\":15000,\"bankCode\":\"088\",\"accountNumber\":\"110123456789\","
                                        + "\"holderName\":\"홍길동\"}"))).body().contains("FAILED"));
            }
        } finally {
            other.close();
        }
    }

    @Test
    void anAsynchronousPayoutIsRequestedFirstAndCompletedLater() throws Exception {
        simulator.setPayoutFaults(0, 300);
        assertThat(payout("payout-7-1", "110123456789").body()).contains("\"status\":\"REQUESTED\"");
        Thread.sleep(400);
        assertThat(inquiry("payout-7-1").body()).contains("\"status\":\"COMPLETED\"");
    }
}
