package io.unbreakable.payments.api.pages;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console and the portal over real HTTP with a real session: who may see what, CSRF, forms that
 * refuse bad input without writing, keyset pages through HTMX, and the JSON API left as it was.
 */
class PagesTest extends ApiTest {

    static final String CONSOLE_PASSWORD = "test-console-password";
    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Test
    void theJsonApiKeepsItsOwnStatelessAuthentication() {
        TestMerchant merchant = createMerchant();

        Response anonymous = get("/v1/wallet", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHORIZED_KEY");
        Response wallet = get("/v1/wallet", merchant.basicAuth());
        assertThat(wallet.status()).isEqualTo(200);
        assertThat(wallet.headers().firstValue("Set-Cookie")).as("no session for the API").isEmpty();
        assertThat(get("/v1/admin/ledger/trial-balance", "Bearer wrong").status()).isEqualTo(401);
        assertThat(get("/actuator/health", null).status()).as("actuator is on the management port only").isEqualTo(404);
        assertThat(getManagement("/actuator/health").status()).isEqualTo(200);
        assertThat(get("/v3/api-docs", null).status()).isEqualTo(200);
        assertThat(get("/swagger-ui/index.html", null).text()).contains("swagger-ui");
        // a console session is no key to the API
        PageSession finance = new PageSession(port, "ko");
        finance.signIn("/console", "finance", CONSOLE_PASSWORD);
        assertThat(finance.get("/v1/admin/ledger/trial-balance").status()).isEqualTo(401);
    }

    @Test
    void theConsoleNeedsFinanceToSignInAndEveryPostNeedsItsCsrfToken() {
        PageSession browser = new PageSession(port, "ko");
        assertThat(browser.get("/console").location()).isEqualTo("/console/login");
        assertThat(browser.get("/console/payments").location()).isEqualTo("/console/login");
        assertThat(browser.signIn("/console", "finance", "wrong-password").location()).isEqualTo("/console/login?error");
        assertThat(browser.get("/console").status()).isEqualTo(302);

        // back to the page asked for before signing in (Spring Security marks it with ?continue)
        assertThat(browser.signIn("/console", "finance", CONSOLE_PASSWORD).location()).isEqualTo("/console?continue");
        PageSession.Page overview = browser.get("/console");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).contains("시산표").contains("차변 = 대변 (일치)");

        PageSession.Page forged = browser.postWithoutToken("/console/merchants",
                Map.of("name", "forged", "businessType", "BUSINESS", "feeRatePercent", "3.3"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(db.fetchCount(MERCHANT)).isZero();

        browser.get("/console");
        assertThat(browser.post("/console/logout", Map.of()).location()).isEqualTo("/console/login?logout");
        assertThat(browser.get("/console").location()).isEqualTo("/console/login");
    }

    @Test
    void aMerchantSeesOnlyItsOwnPaymentsSettlementsAndReports() throws Exception {
        TestMerchant mine = createMerchant("내 상점", "INDIVIDUAL", "0.033");
        TestMerchant other = createMerchant("남의 상점", "BUSINESS", "0.033");
        createOrder(mine, "order-mine-1", 9_000, 1);
        createOrder(other, "order-other-1", 9_000, 1);
        assertThat(confirm(mine, "pk_mine_1", "order-mine-1", 10_000).status()).isEqualTo(200);
        assertThat(confirm(other, "pk_other_1", "order-other-1", 10_000).status()).isEqualTo(200);
        TestSettlement mySettlement = insertSettlementWithReport(mine.merchantId(), MONDAY);
        TestSettlement otherSettlement = insertSettlementWithReport(other.merchantId(), MONDAY);
        setPortalPassword(mine, "mine-password-1");
        setPortalPassword(other, "other-password-1");

        PageSession merchant = new PageSession(port, "ko");
        assertThat(merchant.signIn("/merchant", String.valueOf(mine.merchantId()), mine.secretKey()).location())
                .as("the API secret is not a portal password").isEqualTo("/merchant/login?error");
        assertThat(merchant.signIn("/merchant", String.valueOf(mine.merchantId()), "mine-password-1").location()).isEqualTo("/merchant");

        PageSession.Page home = merchant.get("/merchant");
        assertThat(home.body()).contains("내 상점").contains("₩10,000").doesNotContain("남의 상점");
        PageSession.Page payments = merchant.get("/merchant/payments?merchantId=" + other.merchantId());
        assertThat(payments.body()).contains("order-mine-1").doesNotContain("order-other-1");
        assertThat(merchant.get("/merchant/payments?q=order-other-1").body()).doesNotContain("pk_other_1");

        assertThat(merchant.get("/merchant/payments/pk_mine_1").status()).isEqualTo(200);
        assertThat(merchant.get("/merchant/settlements/" + mySettlement.settlementId()).status()).isEqualTo(200);
        PageSession.Page csv = merchant.get("/merchant/payouts/" + mySettlement.payoutId() + "/report.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).startsWith("\uFEFF거래일시");
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(value -> assertThat(value).contains("attachment"));

        for (String path : List.of("/merchant/payments/pk_other_1", "/merchant/settlements/" + otherSettlement.settlementId(),
                "/merchant/payouts/" + otherSettlement.payoutId() + "/report.csv",
                "/merchant/payouts/" + otherSettlement.payoutId() + "/report.html", "/merchant/payments/pk_nobody",
                "/merchant/settlements/not-a-number")) {
            PageSession.Page refused = merchant.get(path);
            assertThat(refused.status()).as(path).isEqualTo(404);
            assertThat(refused.body()).as(path).doesNotContain("남의 상점").doesNotContain("931,900");
        }
        assertThat(merchant.get("/console").location()).as("a merchant's session is not finance's").isEqualTo("/console/login");
        assertThat(merchant.get("/console/payments/pk_other_1").location()).isEqualTo("/console/login");
    }

    @Test
    void aMerchantWithoutAPortalPasswordCannotSignIn() {
        TestMerchant merchant = createMerchant();
        PageSession browser = new PageSession(port, "ko");
        assertThat(browser.signIn("/merchant", String.valueOf(merchant.merchantId()), "anything-at-all").location())
                .isEqualTo("/merchant/login?error");
        assertThat(browser.signIn("/merchant", "finance", CONSOLE_PASSWORD).location()).isEqualTo("/merchant/login?error");
    }

    @Test
    void formsRefuseBadInputNextToTheFieldAndWriteNothing() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 9_000, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        PageSession finance = signedInFinance();
        finance.get("/console/merchants");

        PageSession.Page badMerchant = finance.post("/console/merchants",
                Map.of("name", " ", "businessType", "", "feeRatePercent", "150"));
        assertThat(badMerchant.status()).isEqualTo(200);
        assertThat(badMerchant.body()).contains("id=\"name-error\"").contains("필수 입력입니다")
                .contains("id=\"businessType-error\"").contains("100 미만이어야 합니다");
        assertThat(finance.post("/console/merchants", Map.of("name", "상점", "businessType", "BUSINESS", "feeRatePercent", "삼"))
                .body()).contains("숫자여야 합니다");
        assertThat(db.fetchCount(MERCHANT)).isEqualTo(1);

        finance.get("/console/merchants/" + merchant.merchantId());
        PageSession.Page shortPassword = finance.post("/console/merchants/" + merchant.merchantId() + "/portal-password",
                Map.of("password", "short", "confirmation", "short"));
        assertThat(shortPassword.body()).contains("10자 이상 100자 이하여야 합니다");
        PageSession.Page mismatch = finance.post("/console/merchants/" + merchant.merchantId() + "/portal-password",
                Map.of("password", "long-enough-1", "confirmation", "long-enough-2"));
        assertThat(mismatch.body()).contains("두 비밀번호가 다릅니다");
        assertThat(db.fetchValue(MERCHANT.PORTAL_PASSWORD_HASH)).isNull();

        finance.get("/console/payments/pk_1");
        PageSession.Page tooMuch = finance.post("/console/payments/pk_1/cancel", Map.of("cancelAmount", "10001", "cancelReason", "환불"));
        assertThat(tooMuch.body()).contains("id=\"cancelAmount-error\"").contains("취소 가능 잔액을 초과합니다");
        PageSession.Page noReason = finance.post("/console/payments/pk_1/cancel", Map.of("cancelAmount", "1000", "cancelReason", ""));
        assertThat(noReason.body()).contains("id=\"cancelReason-error\"");
        PageSession.Page negative = finance.post("/console/payments/pk_1/cancel", Map.of("cancelAmount", "-5", "cancelReason", "환불"));
        assertThat(negative.body()).contains("0보다 큰 숫자여야 합니다");
        assertThat(db.fetchCount(PAYMENT_CANCEL)).isZero();
        assertThat(walletBalance(merchant)).isEqualTo(10_000);

        PageSession.Page backwards = finance.get("/console/payments?from=2026-11-24&to=2026-11-23");
        assertThat(backwards.body()).contains("id=\"to-error\"").contains("시작일보다 빠를 수 없습니다");
        assertThat(finance.get("/console/payments?from=yesterday").body()).contains("날짜 형식(YYYY-MM-DD)이어야 합니다");
        assertThat(finance.get("/console/payments?after=garbage").body()).contains("올바르지 않은 페이지 링크입니다");
        assertThat(finance.get("/console/settlements?date=nope").body()).contains("id=\"date-error\"");
    }

    @Test
    void financeCancelsPartOfAPaymentThroughThePaymentServiceAndTheWalletMoves() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 9_000, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        PageSession finance = signedInFinance();
        finance.get("/console/payments/pk_1");

        PageSession.Page canceled = finance.post("/console/payments/pk_1/cancel", Map.of("cancelAmount", "4000", "cancelReason", "고객 요청"));

        assertThat(canceled.location()).isEqualTo("/console/payments/pk_1");
        PageSession.Page payment = finance.get("/console/payments/pk_1");
        assertThat(payment.body()).contains("취소가 완료되었습니다").contains("부분 취소").contains("₩6,000")
                .contains("PAYMENT_CANCELED").contains("고객 요청");
        assertThat(walletBalance(merchant)).isEqualTo(6_000);
        assertThat(simulator.stats().get("requests")).isGreaterThanOrEqualTo(2L);
        assertThat(finance.get("/console/merchants/" + merchant.merchantId()).body()).contains("₩6,000").contains("-₩4,000");
    }

    @Test
    void thePaymentListPagesByKeysetThroughHtmxWithoutSkippingOrRepeatingARow() {
        TestMerchant merchant = createMerchant();
        int payments = 2 * PaymentPages.PAGE_SIZE + 5;
        for (int i = 1; i <= payments; i++) {
            String orderId = String.format("order-%04d", i);
            createOrder(merchant, orderId, 9_000, 1);
            assertThat(confirm(merchant, "pk_" + i, orderId, 10_000).status()).isEqualTo(200);
        }
        PageSession finance = signedInFinance();

        PageSession.Page first = finance.get("/console/payments?merchantId=" + merchant.merchantId());
        List<String> seen = new ArrayList<>(orderIds(first.body()));
        assertThat(seen).hasSize(PaymentPages.PAGE_SIZE);
        String next = nextPage(first.body());
        PageSession.Page second = finance.get(next, Map.of("HX-Request", "true"));
        assertThat(second.body()).doesNotContain("<html").contains("hx-swap-oob=\"true\"");
        seen.addAll(orderIds(second.body()));
        PageSession.Page third = finance.get(nextPage(second.body()), Map.of("HX-Request", "true"));
        seen.addAll(orderIds(third.body()));
        assertThat(third.body()).doesNotContain("load-more-button");

        List<String> expected = new ArrayList<>();
        for (int i = payments; i >= 1; i--) {
            expected.add(String.format("order-%04d", i));
        }
        assertThat(seen).containsExactlyElementsOf(expected);

        PageSession.Page filtered = finance.get("/console/payments?status=DONE&q=order-0007", Map.of("HX-Request", "true"));
        assertThat(orderIds(filtered.body())).containsExactly("order-0007");
        assertThat(orderIds(finance.get("/console/payments?q=pk_9").body())).containsExactly("order-0009");
        assertThat(orderIds(finance.get("/console/payments?status=CANCELED").body())).isEmpty();
    }

    @Test
    void labelsFollowTheBrowsersLanguageAndAmountsAreWon() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 1_233_566, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 1_234_566).status()).isEqualTo(200);

        PageSession korean = signedInFinance();
        assertThat(korean.get("/console/payments").body()).contains("결제 내역").contains("₩1,234,566").contains("승인");
        PageSession english = new PageSession(port, "en-US,en;q=0.9");
        english.signIn("/console", "finance", CONSOLE_PASSWORD);
        assertThat(english.get("/console/payments").body()).contains("Payments").contains("Requested at").contains("₩1,234,566")
                .doesNotContain("결제 내역");
        assertThat(english.get("/console/login").body()).contains("Finance console sign-in");
    }

    private PageSession signedInFinance() {
        PageSession finance = new PageSession(port, "ko");
        assertThat(finance.signIn("/console", "finance", CONSOLE_PASSWORD).location()).isEqualTo("/console");
        return finance;
    }

    private void setPortalPassword(TestMerchant merchant, String password) {
        PageSession finance = signedInFinance();
        finance.get("/console/merchants/" + merchant.merchantId());
        assertThat(finance.post("/console/merchants/" + merchant.merchantId() + "/portal-password",
                Map.of("password", password, "confirmation", password)).location()).isEqualTo("/console/merchants/" + merchant.merchantId());
    }

    private static List<String> orderIds(String html) {
        Matcher matcher = Pattern.compile("class=\"payment-link[^\"]*\"[^>]*>([^<]+)<").matcher(html);
        List<String> ids = new ArrayList<>();
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String nextPage(String html) {
        Matcher matcher = Pattern.compile("hx-get=\"([^\"]+)\"[^>]*id=\"load-more-button\"|id=\"load-more-button\"[^>]*hx-get=\"([^\"]+)\"").matcher(html);
        assertThat(matcher.find()).as("a load-more button").isTrue();
        String url = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        return url.replace("&amp;", "&");
    }
}
