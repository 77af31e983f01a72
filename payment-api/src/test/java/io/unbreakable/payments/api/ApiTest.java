package io.unbreakable.payments.api;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.security.RateLimits;
import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.pg.PgRouter;
import io.unbreakable.payments.pg.PgSimulators;
import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the API tests: the real app on a random port (actuator on another), real HTTP, the embedded
 * PostgreSQL emptied before each test, the in-process PG simulator reset, rate limits full and the clock
 * back to now, and the money invariants checked after each.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabaseConfiguration.class, ApiTest.MovableClock.class})
public abstract class ApiTest {

    protected static final String ADMIN = "Bearer test-admin-token";
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;

    /** Actuator's port (management.server.port): health details, metrics, prometheus. */
    @LocalManagementPort
    protected int managementPort;

    /** The app's clock: {@code clock.advance(...)} instead of sleeping. */
    @Autowired
    protected TestClock clock;

    @Autowired
    protected RateLimits rateLimits;

    @Autowired
    protected DataSource dataSource;

    @Autowired
    protected DSLContext db;

    @Autowired
    protected LedgerService ledger;

    /** The default provider's PG ("toss"); {@link #simulators} holds every simulated provider's. */
    @Autowired
    protected PgSimulator simulator;

    @Autowired
    protected PgSimulators simulators;

    @Autowired
    protected PgRouter router;

    @Value("${payments.settlement.report-directory}")
    protected Path reportDirectory;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startFromAnEmptyDatabase() {
        DatabaseCleaner.clean(dataSource);
        for (PgSimulator pg : simulators.all()) {
            pg.reset();
            pg.setFaults(new SimulatorFaults(0, 0, 0, 0, 3_000, List.of()));
        }
        router.resetCircuits();
        rateLimits.reset();
        clock.reset();
    }

    @AfterEach
    void moneyInvariantsHold() {
        assertThat(ledger.trialBalance().balanced()).as("trial balance: debits = credits").isTrue();
        assertThat(ledger.walletDiscrepancies()).as("every wallet equals its ledger account").isEmpty();
    }

    protected Response post(String path, String authorization, Object body) {
        return post(path, authorization, body, Map.of());
    }

    /** {@code body} is sent as is when it is a String (to send malformed JSON), else as JSON. */
    protected Response post(String path, String authorization, Object body, Map<String, String> headers) {
        return send("POST", path, authorization, body, headers);
    }

    protected Response put(String path, String authorization, Object body) {
        return send("PUT", path, authorization, body, Map.of());
    }

    protected Response send(String method, String path, String authorization, Object body) {
        return send(method, path, authorization, body, Map.of());
    }

    private Response send(String method, String path, String authorization, Object body, Map<String, String> headers) {
        byte[] bytes = body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    protected Response get(String path, String authorization) {
        return get(path, authorization, Map.of());
    }

    /** A GET on actuator's port. */
    protected Response getManagement(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path)).GET().build());
    }

    protected Response get(String path, String authorization, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean json = response.headers().firstValue("Content-Type").map(type -> type.contains("json")).orElse(false);
            JsonNode body = json && !response.body().isEmpty() ? JSON.readTree(response.body()) : JSON.createObjectNode();
            return new Response(response.statusCode(), body, response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected TestMerchant createMerchant(String name, String businessType, String feeRate) {
        Response response = post("/v1/admin/merchants", ADMIN, Map.of("name", name, "businessType", businessType, "feeRate", feeRate));
        assertThat(response.status()).isEqualTo(201);
        String secretKey = response.body().get("secretKey").asString();
        return new TestMerchant(response.body().get("merchantId").asLong(), secretKey,
                "Basic " + Base64.getEncoder().encodeToString((secretKey + ":").getBytes(StandardCharsets.UTF_8)));
    }

    protected TestMerchant createMerchant() {
        return createMerchant("테스트상점", "BUSINESS", "0.033");
    }

    /** An order of {@code quantity} units at {@code unitPrice}, plus one extra item at 1,000 won. */
    protected JsonNode createOrder(TestMerchant merchant, String orderId, long unitPrice, int quantity) {
        Response response = post("/v1/orders", merchant.basicAuth(), Map.of(
                "orderId", orderId, "orderName", "테스트 주문", "customerKey", "customer-1",
                "items", List.of(
                        Map.of("sku", "SKU-A", "name", "상품 A", "unitPrice", unitPrice, "quantity", quantity),
                        Map.of("sku", "SKU-B", "name", "상품 B", "unitPrice", 1_000, "quantity", 1))));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        return response.body();
    }

    protected Response confirm(TestMerchant merchant, String paymentKey, String orderId, long amount) {
        return post("/v1/payments/confirm", merchant.basicAuth(), Map.of("paymentKey", paymentKey, "orderId", orderId, "amount", amount));
    }

    protected long walletBalance(TestMerchant merchant) {
        return get("/v1/wallet", merchant.basicAuth()).body().get("balance").asLong();
    }

    protected int count(String table) {
        return db.fetchCount(db.meta().getTables(table).get(0));
    }

    /**
     * A settlement of {@code salesDate} as settlementJob writes it for an INDIVIDUAL seller with
     * 1,000,000 won of sales at 3.3 % (fee 33,000, VAT 3,300, withholding 31,800, payout 931,900), its
     * payout and both payout report files.
     */
    protected TestSettlement insertSettlementWithReport(long merchantId, LocalDate salesDate) throws IOException {
        long settlementId = db.insertInto(SETTLEMENT).set(SETTLEMENT.MERCHANT_ID, merchantId).set(SETTLEMENT.SALES_DATE, salesDate)
                .set(SETTLEMENT.BUSINESS_TYPE, "INDIVIDUAL").set(SETTLEMENT.FEE_RATE, new BigDecimal("0.033"))
                .set(SETTLEMENT.APPROVAL_COUNT, 1).set(SETTLEMENT.APPROVAL_AMOUNT, 1_000_000L)
                .set(SETTLEMENT.CANCEL_COUNT, 0).set(SETTLEMENT.CANCEL_AMOUNT, 0L).set(SETTLEMENT.SALES_AMOUNT, 1_000_000L)
                .set(SETTLEMENT.FEE, 33_000L).set(SETTLEMENT.FEE_VAT, 3_300L).set(SETTLEMENT.WITHHOLDING_INCOME_TAX, 28_910L)
                .set(SETTLEMENT.WITHHOLDING_LOCAL_TAX, 2_890L).set(SETTLEMENT.WITHHOLDING, 31_800L)
                .set(SETTLEMENT.CARRIED_IN_AMOUNT, 0L).set(SETTLEMENT.CARRIED_OUT_AMOUNT, 0L).set(SETTLEMENT.PAYOUT_AMOUNT, 931_900L)
                .set(SETTLEMENT.PAYOUT_DATE, salesDate.plusDays(1))
                .returning(SETTLEMENT.ID).fetchSingle(SETTLEMENT.ID);
        String csv = salesDate + "/merchant-" + merchantId + "/payout-report.csv";
        Files.createDirectories(reportDirectory.resolve(csv).getParent());
        Files.writeString(reportDirectory.resolve(csv), "\uFEFF거래일시,구분\r\n", StandardCharsets.UTF_8);
        Files.writeString(reportDirectory.resolve(csv.replace(".csv", ".html")), "<html><body>지급 명세서</body></html>", StandardCharsets.UTF_8);
        long payoutId = db.insertInto(PAYOUT).set(PAYOUT.SETTLEMENT_ID, settlementId).set(PAYOUT.MERCHANT_ID, merchantId)
                .set(PAYOUT.AMOUNT, 931_900L).set(PAYOUT.PAYOUT_DATE, salesDate.plusDays(1)).set(PAYOUT.STATUS, "SCHEDULED")
                .set(PAYOUT.REPORT_CSV_PATH, csv).set(PAYOUT.REPORT_HTML_PATH, csv.replace(".csv", ".html"))
                .returning(PAYOUT.ID).fetchSingle(PAYOUT.ID);
        return new TestSettlement(settlementId, payoutId);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class MovableClock {

        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock();
        }
    }

    public record TestSettlement(long settlementId, long payoutId) {
    }

    public record TestMerchant(long merchantId, String secretKey, String basicAuth) {
    }

    /** {@code body} is the parsed JSON (empty for other content), {@code text} the raw body. */
    public record Response(int status, JsonNode body, HttpHeaders headers, String text) {

        public String code() {
            return body.path("code").asString(null);
        }
    }
}
