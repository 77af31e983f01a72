package io.unbreakable.payments.pg;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP adapter against a stubbed PG: every answer it cannot trust is UNKNOWN, never a failure. */
class HttpPgClientTest {

    private static final String APPROVED = """
            {"paymentKey":"pk_1","orderId":"order-0001","status":"DONE","method":"카드","totalAmount":10000,
             "balanceAmount":10000,"approvedAt":"2026-11-25T10:00:00+09:00","cancels":[],"someNewField":1}""";

    WireMockServer pg;
    HttpPgClient client;

    @BeforeEach
    void start() {
        pg = new WireMockServer(options().dynamicPort());
        pg.start();
        client = new HttpPgClient("toss", pg.baseUrl(), settings(Duration.ofMillis(1_500)));
    }

    static PgProperties.Provider settings(Duration readTimeout) {
        return new PgProperties.Provider(null, "test_gsk_secret", Duration.ofMillis(500), readTimeout, 4, PgProperties.Breaker.defaults());
    }

    @AfterEach
    void stop() {
        pg.stop();
    }

    @Test
    void confirmsWithOurIdempotencyKeyAndTheSecretKeyAsBasicUser() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(200).withBody(APPROVED)));

        PgResult<PgPayment> result = client.confirm("pk_1", "order-0001", 10_000, "confirm-pk_1");

        assertThat(result).isInstanceOf(PgResult.Success.class);
        PgPayment payment = ((PgResult.Success<PgPayment>) result).value();
        assertThat(payment.approved()).isTrue();
        assertThat(payment.totalAmount()).isEqualTo(10_000);
        pg.verify(postRequestedFor(urlEqualTo("/v1/payments/confirm"))
                .withHeader("Idempotency-Key", equalTo("confirm-pk_1"))
                .withHeader("Authorization", equalTo("Basic dGVzdF9nc2tfc2VjcmV0Og=="))
                .withRequestBody(equalToJson("{\"paymentKey\":\"pk_1\",\"orderId\":\"order-0001\",\"amount\":10000}")));
    }

    @Test
    void aRefusalWithACodeIsDeclined() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(403)
                .withBody("{\"code\":\"REJECT_CARD_PAYMENT\",\"message\":\"한도초과\"}")));

        PgResult<PgPayment> result = client.confirm("pk_1", "order-0001", 10_000, "k");

        assertThat(result).isEqualTo(new PgResult.Declined<PgPayment>(403, "REJECT_CARD_PAYMENT", "한도초과"));
    }

    @Test
    void aServerErrorIsUnknown() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(500).withBody("{\"code\":\"PROVIDER_ERROR\"}")));
        assertThat(client.confirm("pk_1", "order-0001", 10_000, "k")).isInstanceOf(PgResult.Unknown.class);
    }

    @Test
    void anUnreadableSuccessIsUnknown() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(200).withBody("<html>gateway</html>")));
        assertThat(client.confirm("pk_1", "order-0001", 10_000, "k")).isInstanceOf(PgResult.Unknown.class);
    }

    @Test
    void aSlowAnswerIsUnknownAfterTheReadTimeout() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(200).withBody(APPROVED).withFixedDelay(4_000)));

        long started = System.nanoTime();
        PgResult<PgPayment> result = client.confirm("pk_1", "order-0001", 10_000, "k");

        assertThat(result).isInstanceOf(PgResult.Unknown.class);
        assertThat(((PgResult.Unknown<PgPayment>) result).kind()).isEqualTo(PgResult.Unknown.Kind.TIMEOUT);
        assertThat(((PgResult.Unknown<PgPayment>) result).reason()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3_800));
    }

    @Test
    void theRequestsDeadlineCutsTheReadTimeout() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withStatus(200).withBody(APPROVED).withFixedDelay(5_000)));
        HttpPgClient patient = new HttpPgClient("toss", pg.baseUrl(), settings(Duration.ofSeconds(30)));

        long started = System.nanoTime();
        PgResult<PgPayment> result = patient.until(Instant.now().plusMillis(300)).confirm("pk_1", "order-0001", 10_000, "k");

        assertThat(((PgResult.Unknown<PgPayment>) result).kind()).isEqualTo(PgResult.Unknown.Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the deadline, not the 30 s read timeout")
                .isLessThan(Duration.ofMillis(4_000));
    }

    @Test
    void aConnectionThatBreaksAfterSendingIsUnknownAndMayHaveReachedThePg() {
        pg.stubFor(post("/v1/payments/confirm").willReturn(aResponse().withFault(
                com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        PgResult<PgPayment> result = client.confirm("pk_1", "order-0001", 10_000, "k");
        assertThat(result).isInstanceOf(PgResult.Unknown.class);
        assertThat(((PgResult.Unknown<PgPayment>) result).notSent()).isFalse();
    }

    @Test
    void aRefusedConnectionIsNotSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpPgClient nobodyHome = new HttpPgClient("toss", "http://127.0.0.1:" + closedPort, settings(Duration.ofMillis(400)));

        PgResult<PgPayment> result = nobodyHome.confirm("pk_1", "order-0001", 10_000, "k");

        assertThat(((PgResult.Unknown<PgPayment>) result).notSent()).as(result.toString()).isTrue();
    }

    @Test
    void anInquiryOfAnUnknownPaymentIsDeclinedWith404() {
        pg.stubFor(get("/v1/payments/pk_9").willReturn(aResponse().withStatus(404)
                .withBody("{\"code\":\"NOT_FOUND_PAYMENT\",\"message\":\"없음\"}")));
        PgResult<PgPayment> result = client.inquire("pk_9");
        assertThat(result).isInstanceOf(PgResult.Declined.class);
        assertThat(((PgResult.Declined<PgPayment>) result).httpStatus()).isEqualTo(404);
    }

    @Test
    void chargesABillingKeyWithItsCustomerAndOurKey() {
        pg.stubFor(post("/v1/billing/bk_1").willReturn(aResponse().withStatus(200).withBody(APPROVED)));

        PgResult<PgPayment> result = client.chargeBillingKey("bk_1", "cust-1", 10_000, "sub_7_3", "Pro plan", "sub_7_c3_a1");

        assertThat(result).isInstanceOf(PgResult.Success.class);
        pg.verify(postRequestedFor(urlEqualTo("/v1/billing/bk_1"))
                .withHeader("Idempotency-Key", equalTo("sub_7_c3_a1"))
                .withRequestBody(equalToJson("{\"customerKey\":\"cust-1\",\"amount\":10000,\"orderId\":\"sub_7_3\",\"orderName\":\"Pro plan\"}")));
    }

    @Test
    void issuesABillingKey() {
        pg.stubFor(post("/v1/billing/authorizations/issue").willReturn(aResponse().withStatus(200).withBody(
                "{\"billingKey\":\"bk_1\",\"customerKey\":\"cust-1\",\"cardCompany\":\"신한\",\"cardNumber\":\"4330****1234****\",\"authenticatedAt\":\"2026-11-25T10:00:00+09:00\"}")));

        PgResult<PgBillingKey> result = client.issueBillingKey("cust-1", "auth_1", "issue-1");

        assertThat(result).isEqualTo(new PgResult.Success<>(new PgBillingKey("bk_1", "cust-1", "신한", "4330****1234****")));
    }
}
