package io.unbreakable.payments.api.security;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.HandlerEndpoints;
import io.unbreakable.payments.api.pages.PageSession;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Actuator off the public port; every page under a Content-Security-Policy; the session cookie's flags. */
class ManagementPortAndPageHeadersTest extends ApiTest {

    static final String CONSOLE_PASSWORD = "test-console-password";
    private static final Pattern INLINE = Pattern.compile("<script(?![^>]*src=)|<style|\\sstyle=|\\son[a-z]+=|javascript:|hx-on");

    @Autowired
    DataCipher cipher;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    ServletContext servletContext;

    @Test
    void actuatorAnswersOnlyOnTheManagementPortAndTheApiPortSays404() {
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/metrics", "/actuator/health/liveness")) {
            Response onApiPort = get(path, null);
            assertThat(onApiPort.status()).as(path).isEqualTo(404);
            assertThat(onApiPort.code()).as(path).isEqualTo("NOT_FOUND");
            assertThat(onApiPort.text()).as(path).doesNotContain("pgProviders").doesNotContain("jvm_");
        }
        Response health = getManagement("/actuator/health");
        assertThat(health.body().get("status").asString()).isEqualTo("UP");
        assertThat(health.body().get("components").get("pgProviders").get("details").has("toss")).as("details, here only").isTrue();
        assertThat(getManagement("/actuator/prometheus").text()).contains("jvm_memory_used_bytes");
        assertThat(getManagement("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void everyConsoleAndPortalPageCarriesAContentSecurityPolicyWithoutInlineScript() throws Exception {
        TestMerchant merchant = createMerchant();
        long endpointId = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", "http://127.0.0.1:9/hook",
                "eventTypes", List.of("PAYMENT_STATUS_CHANGED"))).body().get("id").asLong();
        createOrder(merchant, "order-0001", 9_000, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        TestSettlement settlement = insertSettlementWithReport(merchant.merchantId(), LocalDate.of(2026, 11, 23));
        // its payout written into a bank transfer file, so the file's download page has something to serve
        db.update(PAYOUT).set(PAYOUT.TRANSFER_FILE, "transfer-2026-11-24.csv").set(PAYOUT.BANK_CODE, "088").set(PAYOUT.ACCOUNT_HOLDER, "홍길동")
                .set(PAYOUT.ACCOUNT_NUMBER, cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, "110123456789"))
                .where(PAYOUT.ID.eq(settlement.payoutId())).execute();
        PageSession finance = new PageSession(port, "ko");
        assertThat(finance.signIn("/console", "finance", CONSOLE_PASSWORD).location()).isEqualTo("/console");
        finance.get("/console/merchants/" + merchant.merchantId());
        finance.post("/console/merchants/" + merchant.merchantId() + "/portal-password",
                Map.of("password", "portal-password-1", "confirmation", "portal-password-1"));
        PageSession portal = new PageSession(port, "ko");
        assertThat(portal.signIn("/merchant", Long.toString(merchant.merchantId()), "portal-password-1").location()).isEqualTo("/merchant");
        Map<String, String> values = Map.of("{paymentKey}", "pk_1", "{merchantId}", Long.toString(merchant.merchantId()),
                "{settlementId}", Long.toString(settlement.settlementId()), "{payoutId}", Long.toString(settlement.payoutId()),
                "{fileName:transfer-[0-9-]+\\.csv}", "transfer-2026-11-24.csv", "{endpointId}", Long.toString(endpointId));

        Set<String> pages = HandlerEndpoints.of(mappings, Set.of(RequestMethod.GET), List.of("/console", "/merchant"));
        assertThat(pages).hasSizeGreaterThan(15);
        for (String endpoint : pages) {
            String path = endpoint.substring("GET ".length());
            for (Map.Entry<String, String> value : values.entrySet()) {
                path = path.replace(value.getKey(), value.getValue());
            }
            assertThat(path).as(endpoint).doesNotContain("{");
            PageSession.Page page = (path.startsWith("/console") ? finance : portal).get(path);
            assertThat(page.status()).as(path).isIn(200, 403);
            assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(page.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }

        try (Stream<Path> templates = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path template : templates.filter(file -> file.toString().endsWith(".html")).toList()) {
                assertThat(INLINE.matcher(Files.readString(template)).find())
                        .as("%s has an inline script, style or event handler, which the CSP blocks", template).isFalse();
            }
        }
    }

    @Test
    void theSessionCookieIsLaxHttpOnlySecureOverTlsAndLastsThirtyMinutes() throws IOException {
        PageSession plain = new PageSession(port, "ko");
        String cookie = plain.get("/console/login").headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("JSESSIONID=").contains("SameSite=Lax").contains("HttpOnly").doesNotContain("Secure");

        PageSession behindTls = new PageSession(port, "ko", Map.of("X-Forwarded-Proto", "https"));
        assertThat(behindTls.get("/console/login").headers().firstValue("Set-Cookie").orElseThrow())
                .contains("SameSite=Lax").contains("HttpOnly").contains("Secure");
        assertThat(servletContext.getSessionTimeout()).as("minutes").isEqualTo(30);
    }
}
