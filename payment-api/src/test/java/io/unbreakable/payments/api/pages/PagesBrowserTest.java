package io.unbreakable.payments.api.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.val;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.merchant.MerchantService;
import io.unbreakable.payments.audit.AuditActor;
import io.unbreakable.payments.audit.AuditContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console and the portal as people use them, in Debian's headless Chromium: sign in, filter,
 * page with HTMX, cancel part of a payment, watch the wallet move, open a settlement, download its
 * report, sign out; a merchant trying another merchant's URLs. Skipped, loudly, without Chromium.
 */
class PagesBrowserTest extends ApiTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    private static Browser browser;

    @Autowired
    MerchantService merchants;

    @BeforeAll
    static void startChromium() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "Chromium and chromedriver are not installed");
        browser = Browser.start();
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.driver.manage().deleteAllCookies();
        browser.consoleMessages(); // start from an empty console
    }

    @AfterEach
    void nothingWasBlockedByTheContentSecurityPolicy() {
        assertThat(browser.consoleMessages()).as("the browser's console").noneMatch(message -> message.contains("Content Security Policy"));
    }

    @Test
    void financeFiltersPaymentsCancelsPartOfOneSeesTheWalletMoveAndDownloadsAPayoutReport() throws Exception {
        TestMerchant cafe = createMerchant("한강 커피", "INDIVIDUAL", "0.033");
        TestMerchant bakery = createMerchant("북악 베이커리", "BUSINESS", "0.025");
        pay(cafe, "cafe", 1, 24_000);
        pay(cafe, "cafe", 2, 13_500);
        pay(bakery, "bakery", 1, 58_000);
        pay(bakery, "bakery", 2, 7_000);
        createOrder(cafe, "cafe-declined", 9_000, 1);
        assertThat(confirm(cafe, "test_decline_cafe", "cafe-declined", 10_000).status()).isEqualTo(403);
        createOrder(cafe, "cafe-timeout", 9_000, 1);
        assertThat(confirm(cafe, "test_timeout_cafe", "cafe-timeout", 10_000).status()).isEqualTo(202);
        TestSettlement settlement = insertSettlementWithReport(cafe.merchantId(), MONDAY);
        insertSettlementLines(cafe.merchantId(), MONDAY);
        insertBatchRunWithDiscrepancy();

        open("/console");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/login");
        browser.screenshot("console-login");
        type("username", "finance");
        type("password", PagesTest.CONSOLE_PASSWORD);
        click(By.id("sign-in"));
        waitFor(By.id("overview-totals"));
        assertThat(text(By.id("trial-balance"))).isEqualTo("차변 = 대변 (일치)");
        assertThat(text(By.id("unknown-payments"))).isEqualTo("결제 1건 확인 중");
        assertThat(text(By.id("approved-today"))).isEqualTo("₩102,500");
        browser.screenshot("console-overview");

        click(By.linkText("결제 내역"));
        waitFor(By.id("payment-filter"));
        assertThat(browser.driver.findElements(By.cssSelector("#payment-rows tr"))).hasSize(6);
        markPage();
        type("merchantId", String.valueOf(cafe.merchantId()));
        new Select(browser.driver.findElement(By.id("status"))).selectByValue("DONE");
        click(By.id("filter-submit"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(driver -> driver.findElements(By.cssSelector("#payment-rows tr")).size() == 2);
        assertThat(pageMarked()).as("HTMX swapped the results without a reload").isTrue();
        assertThat(browser.driver.getCurrentUrl()).contains("status=DONE").contains("merchantId=" + cafe.merchantId());
        assertThat(browser.driver.findElements(By.className("payment-link")).stream().map(WebElement::getText).toList())
                .containsExactly("cafe-0002", "cafe-0001");
        browser.screenshot("console-payments");

        click(By.linkText("cafe-0001"));
        waitFor(By.id("cancel-form"));
        assertThat(text(By.id("payment-status"))).isEqualTo("승인");
        assertThat(browser.driver.findElements(By.className("ledger-transaction"))).hasSize(1);
        type("cancelAmount", "5000");
        type("cancelReason", "라떼 품절");
        click(By.id("cancel-submit"));
        waitFor(By.id("cancel-done"));
        assertThat(text(By.id("payment-status"))).isEqualTo("부분 취소");
        assertThat(text(By.id("balance-amount"))).isEqualTo("₩19,000");
        assertThat(text(By.id("cancels"))).contains("라떼 품절").contains("₩5,000");
        assertThat(browser.driver.findElements(By.className("ledger-transaction"))).hasSize(2);
        browser.screenshot("console-payment");

        click(By.id("merchant-link"));
        waitFor(By.id("wallet-balance"));
        assertThat(text(By.id("wallet-balance"))).isEqualTo("₩32,500");   // 24,000 + 13,500 - 5,000
        assertThat(text(By.id("wallet-history"))).contains("결제 취소").contains("-₩5,000");
        assertThat(walletBalance(cafe)).isEqualTo(32_500);

        click(By.linkText("가맹점"));
        waitFor(By.id("merchants-table"));
        assertThat(text(By.id("merchants-table"))).contains("한강 커피").contains("북악 베이커리").contains("₩65,000");
        browser.screenshot("console-merchants");

        open("/console/settlements?date=" + MONDAY);
        waitFor(By.id("settlements-table"));
        assertThat(text(By.id("total-payout"))).isEqualTo("₩931,900");
        browser.screenshot("console-settlements");
        click(By.className("settlement-link"));
        waitFor(By.id("settlement-amounts"));
        assertThat(text(By.id("payout-amount"))).isEqualTo("₩931,900");
        assertThat(text(By.id("settlement-lines"))).contains("cafe-0001").contains("₩24,000").contains("cafe-0002");
        browser.screenshot("console-settlement");
        click(By.id("report-csv"));
        Path csv = browser.downloaded("payout-report.csv", Duration.ofSeconds(10));
        assertThat(Files.readString(csv, StandardCharsets.UTF_8)).startsWith("\uFEFF거래일시");
        assertThat(browser.driver.getCurrentUrl()).contains("/console/settlements/" + settlement.settlementId());

        click(By.linkText("배치 작업"));
        waitFor(By.id("job-runs"));
        assertThat(text(By.id("job-runs"))).contains("settlementJob").contains("COMPLETED").contains("date=2026-11-23");
        assertThat(text(By.id("discrepancies"))).contains("WALLET_LEDGER_MISMATCH");
        browser.screenshot("console-batch");

        click(By.id("sign-out"));
        waitFor(By.id("logged-out"));
        open("/console/payments");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/login");
    }

    @Test
    void aMerchantPagesThroughItsPaymentsAndGetsA404ForAnotherMerchantsPages() throws Exception {
        TestMerchant cafe = createMerchant("한강 커피", "INDIVIDUAL", "0.033");
        TestMerchant bakery = createMerchant("북악 베이커리", "BUSINESS", "0.025");
        int payments = PaymentPages.PAGE_SIZE + 3;
        for (int i = 1; i <= payments; i++) {
            pay(cafe, "cafe", i, 1_000 + i * 100L);
        }
        pay(bakery, "bakery", 1, 58_000);
        TestSettlement mine = insertSettlementWithReport(cafe.merchantId(), MONDAY);
        TestSettlement theirs = insertSettlementWithReport(bakery.merchantId(), MONDAY.minusDays(1));
        try (AuditContext.Scope finance = AuditContext.open(AuditActor.consoleUser("finance"), "browser-test", "127.0.0.1")) {
            merchants.setPortalPassword(cafe.merchantId(), "cafe-portal-password");
        }

        open("/merchant");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/merchant/login");
        type("username", String.valueOf(cafe.merchantId()));
        type("password", "cafe-portal-password");
        browser.screenshot("portal-login");
        click(By.id("sign-in"));
        waitFor(By.id("wallet-balance"));
        assertThat(text(By.id("merchant-name"))).isEqualTo("한강 커피");
        assertThat(text(By.id("merchant-settlements"))).contains("2026-11-23").contains("₩931,900").doesNotContain("2026-11-22");
        browser.screenshot("portal-home");

        click(By.linkText("결제 내역"));
        waitFor(By.id("payment-rows"));
        assertThat(browser.driver.findElements(By.id("merchantId"))).as("no merchant filter in the portal").isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("#payment-rows tr"))).hasSize(PaymentPages.PAGE_SIZE);
        markPage();
        click(By.id("load-more-button"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(driver -> driver.findElements(By.cssSelector("#payment-rows tr")).size() == payments);
        assertThat(pageMarked()).as("rows appended without a reload").isTrue();
        assertThat(browser.driver.findElements(By.id("load-more-button"))).as("the last page has no more button").isEmpty();
        assertThat(text(By.id("payments-table"))).doesNotContain("bakery");
        browser.screenshot("portal-payments");

        open("/merchant/payouts/" + mine.payoutId() + "/report.html");
        assertThat(browser.driver.getPageSource()).contains("지급 명세서");

        for (String path : List.of("/merchant/payments/bakery-pk-1", "/merchant/settlements/" + theirs.settlementId(),
                "/merchant/payouts/" + theirs.payoutId() + "/report.csv", "/merchant/payouts/" + theirs.payoutId() + "/report.html")) {
            open(path);
            assertThat(text(By.id("error-message"))).as(path).isEqualTo("찾을 수 없습니다");
        }
        browser.screenshot("portal-not-found");
        open("/console");
        assertThat(browser.driver.getCurrentUrl()).as("the portal session is no console session").endsWith("/console/login");

        open("/merchant");
        click(By.id("sign-out"));
        waitFor(By.id("logged-out"));
        open("/merchant/payments");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/merchant/login");
    }

    private void pay(TestMerchant merchant, String prefix, int n, long amount) {
        String orderId = String.format("%s-%04d", prefix, n);
        createOrder(merchant, orderId, amount - 1_000, 1);
        assertThat(confirm(merchant, prefix + "-pk-" + n, orderId, amount).status()).isEqualTo(200);
    }

    /** The merchant's approvals as settlementJob stages them: one line per payment of the sales date. */
    private void insertSettlementLines(long merchantId, LocalDate salesDate) {
        db.execute("""
                insert into settlement_line (merchant_id, sales_date, payment_id, payment_key, order_id, kind, amount, fee_rate, occurred_at)
                select p.merchant_id, {0}, p.id, p.payment_key, o.order_id, 'APPROVAL', p.total_amount, 0.033, p.approved_at
                  from payment p join orders o on o.id = p.order_pk
                 where p.merchant_id = {1} and p.status in ('DONE', 'PARTIAL_CANCELED')""",
                val(salesDate), val(merchantId));
    }

    /** A finished settlementJob run and a reconciliation finding, as the batch module writes them. */
    private void insertBatchRunWithDiscrepancy() {
        db.execute("insert into batch_job_instance (job_instance_id, version, job_name, job_key) values (1, 0, 'settlementJob', 'k1')");
        db.execute("""
                insert into batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time,
                                                 status, exit_code, exit_message, last_updated)
                values (1, 2, 1, localtimestamp - interval '5 minutes', localtimestamp - interval '5 minutes',
                        localtimestamp - interval '4 minutes', 'COMPLETED', 'COMPLETED', '', localtimestamp)""");
        db.execute("""
                insert into batch_job_execution_params (job_execution_id, parameter_name, parameter_type, parameter_value, identifying)
                values (1, 'date', 'java.time.LocalDate', '2026-11-23', 'Y')""");
        db.execute("""
                insert into batch_step_execution (step_execution_id, version, step_name, job_execution_id, create_time, start_time,
                                                  end_time, status, commit_count, read_count, filter_count, write_count,
                                                  read_skip_count, write_skip_count, process_skip_count, rollback_count,
                                                  exit_code, exit_message, last_updated)
                values (1, 3, 'stageLines', 1, localtimestamp, localtimestamp, localtimestamp, 'COMPLETED', 1, 4, 0, 4, 0, 0, 0, 0,
                        'COMPLETED', '', localtimestamp)""");
        db.execute("""
                insert into reconciliation_discrepancy (run_date, job_execution_id, kind, reference, expected_amount, actual_amount, detail)
                values (date '2026-11-23', 1, 'WALLET_LEDGER_MISMATCH', 'merchant:1', 32500, 32400, 'wallet differs from its ledger account')""");
    }

    private void open(String path) {
        browser.driver.get("http://localhost:" + port + path);
    }

    private void type(String id, String value) {
        WebElement field = browser.driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private void click(By by) {
        browser.driver.findElement(by).click();
    }

    private void waitFor(By by) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private String text(By by) {
        return browser.driver.findElement(by).getText().strip();
    }

    /** Marks the loaded document; a full reload would lose the mark, an HTMX swap keeps it. */
    private void markPage() {
        ((JavascriptExecutor) browser.driver).executeScript("window.__notReloaded = true;");
    }

    private boolean pageMarked() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser.driver).executeScript("return window.__notReloaded === true;"));
    }
}
