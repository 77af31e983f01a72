package io.unbreakable.payments.pg;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stubbed PGs behind the router: breaker transitions, the bulkhead, and which provider a new call goes to. */
class PgRouterTest {

    private static final String APPROVED = """
            {"paymentKey":"pk_1","orderId":"order-0001","status":"DONE","method":"카드","totalAmount":10000,
             "balanceAmount":10000,"approvedAt":"2026-11-25T10:00:00+09:00","cancels":[]}""";
    /** Opens after 4 calls of which half fail; half-open after 200 ms with 2 probes. */
    private static final PgProperties.Breaker BREAKER = new PgProperties.Breaker(50, Duration.ofSeconds(10), 100, 4, 4,
            Duration.ofMillis(200), 2);

    WireMockServer toss;
    WireMockServer backup;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PgRouter router;

    @BeforeEach
    void start() {
        toss = new WireMockServer(options().dynamicPort());
        backup = new WireMockServer(options().dynamicPort());
        toss.start();
        backup.start();
        PgProperties.Provider provider = new PgProperties.Provider(null, "test_gsk_secret", Duration.ofMillis(500),
                Duration.ofSeconds(5), 1, BREAKER);
        PgProperties properties = new PgProperties(Map.of("toss", provider, "backup", provider), List.of("toss", "backup"),
                Duration.ofSeconds(5), new PgProperties.Simulator(0, 1, 0, 0, 0, 0, 0));
        router = PgRouter.create(properties, name -> name.equals("toss") ? toss.baseUrl() : backup.baseUrl(), meters);
    }

    @AfterEach
    void stop() {
        toss.stop();
        backup.stop();
    }

    @Test
    void theCircuitOpensOnUnansweredCallsProbesWhenHalfOpenAndClosesOnSuccess() {
        PgProvider pg = router.provider("toss");
        toss.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(500).withBody("{\"code\":\"PROVIDER_ERROR\"}")));
        for (int i = 0; i < 4; i++) {
            assertThat(((PgResult.Unknown<PgPayment>) confirm(pg)).notSent()).isFalse();
        }
        assertThat(pg.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

        PgResult<PgPayment> refused = confirm(pg);
        assertThat(((PgResult.Unknown<PgPayment>) refused).notSent()).as("refused without calling the PG").isTrue();
        toss.verify(4, postRequestedFor(urlEqualTo("/v1/payments/confirm")));
        assertThat(pg.admitsCalls()).isFalse();
        assertThat(meters.get("payments.pg.calls").tag("provider", "toss").tag("outcome", "rejected").timer().count()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> pg.breakerState() == CircuitBreaker.State.HALF_OPEN);
        toss.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(200).withBody(APPROVED)));
        assertThat(confirm(pg)).isInstanceOf(PgResult.Success.class);
        assertThat(confirm(pg)).isInstanceOf(PgResult.Success.class);

        assertThat(pg.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "toss").tag("state", "closed").gauge().value()).isEqualTo(1);
    }

    @Test
    void aFailedProbeOpensTheCircuitAgain() {
        PgProvider pg = router.provider("toss");
        toss.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(503).withBody("{\"code\":\"PROVIDER_ERROR\"}")));
        for (int i = 0; i < 4; i++) {
            confirm(pg);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pg.breakerState() == CircuitBreaker.State.HALF_OPEN);

        confirm(pg);
        confirm(pg);

        assertThat(pg.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void declinesAreAHealthyPgAnswering() {
        PgProvider pg = router.provider("toss");
        toss.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(403)
                .withBody("{\"code\":\"REJECT_CARD_PAYMENT\",\"message\":\"한도초과\"}")));
        for (int i = 0; i < 6; i++) {
            assertThat(confirm(pg)).isInstanceOf(PgResult.Declined.class);
        }
        assertThat(pg.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aFullBulkheadRefusesAtOnceWithoutCallingThePg() {
        PgProvider pg = router.provider("toss"); // max 1 call in flight
        toss.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(200).withBody(APPROVED).withFixedDelay(2_000)));
        CompletableFuture<PgResult<PgPayment>> slow = CompletableFuture.supplyAsync(() -> confirm(pg));
        await().atMost(Duration.ofSeconds(10)).until(() -> pg.callsInFlight() == 1);

        PgResult<PgPayment> second = confirm(pg);

        assertThat(((PgResult.Unknown<PgPayment>) second).notSent()).isTrue();
        assertThat(((PgResult.Unknown<PgPayment>) second).reason()).contains("in flight");
        assertThat(router.firstAdmitting(List.of("toss", "backup")).map(PgProvider::provider)).contains("backup");
        assertThat(slow.join()).isInstanceOf(PgResult.Success.class);
        toss.verify(1, postRequestedFor(urlEqualTo("/v1/payments/confirm")));
    }

    @Test
    void newCallsGoToTheFirstProviderThatAdmitsThemInTheMerchantsOrderElseTheDefault() {
        assertThat(router.orderFor(List.of())).containsExactly("toss", "backup");
        assertThat(router.orderFor(List.of("backup", "toss"))).containsExactly("backup", "toss");
        assertThat(router.orderFor(List.of("retired", "backup"))).as("names no longer configured are skipped").containsExactly("backup");
        assertThat(router.firstAdmitting(List.of("toss", "backup")).map(PgProvider::provider)).contains("toss");

        toss.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(500).withBody("{}")));
        for (int i = 0; i < 4; i++) {
            confirm(router.provider("toss"));
        }

        assertThat(router.firstAdmitting(List.of("toss", "backup")).map(PgProvider::provider)).contains("backup");
        assertThat(router.firstAdmitting(List.of("toss"))).isEmpty();
        assertThat(router.retryAfter(List.of("toss"))).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(router.after(List.of("toss", "backup"), "toss")).containsExactly("backup");
    }

    private static PgResult<PgPayment> confirm(PgProvider pg) {
        return pg.confirm("pk_1", "order-0001", 10_000, "confirm-pk_1");
    }
}
