package io.unbreakable.payments.api.pages;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's and the portal's sign-in under attack: a user locks after five failures in fifteen
 * minutes (the right password too, with a message saying so) until the clock has moved fifteen
 * minutes, and an address beyond its budget of failures gets 429 with Retry-After, not a slow answer.
 */
class SignInGuardTest extends ApiTest {

    @Test
    void fiveFailuresLockTheConsoleUserEvenForTheRightPasswordUntilFifteenMinutesHavePassed() {
        PageSession browser = new PageSession(port, "en");
        for (int i = 1; i <= SignInGuard.MAX_FAILURES; i++) {
            assertThat(browser.signIn("/console", "finance", "wrong-" + i).location()).as("failure %d", i).isEqualTo("/console/login?error");
        }

        PageSession.Page locked = browser.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD);
        assertThat(locked.location()).isEqualTo("/console/login?locked=15");
        assertThat(browser.get(locked.location()).body()).contains("id=\"login-locked\"")
                .contains("locked for 15 more minute(s), even with the right password");
        assertThat(browser.get("/console").location()).as("not signed in").isEqualTo("/console/login");
        assertThat(actions("CONSOLE_USER", "finance")).containsExactly("SIGN_IN_FAILED", "SIGN_IN_FAILED", "SIGN_IN_FAILED",
                "SIGN_IN_FAILED", "SIGN_IN_FAILED", "SIGN_IN_LOCKED", "SIGN_IN_REFUSED_LOCKED");
        assertThat(db.selectFrom(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("SIGN_IN_FAILED")).fetch())
                .allSatisfy(row -> {
                    assertThat(row.getActorType()).isEqualTo("ANONYMOUS");
                    assertThat(row.getClientIp()).isEqualTo("127.0.0.1");
                });

        clock.advance(Duration.ofMinutes(14));
        assertThat(browser.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD).location()).isEqualTo("/console/login?locked=1");
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(browser.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD).location()).isIn("/console", "/console?continue");
        assertThat(browser.get("/console").status()).isEqualTo(200);
        assertThat(db.selectFrom(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("SIGN_IN_SUCCEEDED")).fetchSingle().getActorId())
                .isEqualTo("finance");
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUpAndAPortalMerchantLocksLikeAConsoleUser() {
        TestMerchant merchant = createMerchant();
        setPortalPassword(merchant.merchantId(), "portal-password-1");
        String id = Long.toString(merchant.merchantId());
        PageSession browser = new PageSession(port, "ko");
        for (int i = 1; i < SignInGuard.MAX_FAILURES; i++) {
            browser.signIn("/merchant", id, "wrong-" + i);
        }
        clock.advance(SignInGuard.WINDOW.plusSeconds(1));
        assertThat(browser.signIn("/merchant", id, "wrong-again").location()).as("a new window").isEqualTo("/merchant/login?error");
        assertThat(browser.signIn("/merchant", id, "portal-password-1").location()).isEqualTo("/merchant");

        PageSession attacker = new PageSession(port, "ko");
        for (int i = 1; i <= SignInGuard.MAX_FAILURES; i++) {
            attacker.signIn("/merchant", id, "guess-" + i);
        }
        assertThat(attacker.signIn("/merchant", id, "portal-password-1").location()).startsWith("/merchant/login?locked=");
        assertThat(actions("MERCHANT", id)).contains("SIGN_IN_LOCKED", "SIGN_IN_REFUSED_LOCKED");
        // a name nobody has locks the same way: a lock tells nothing about who exists
        for (int i = 1; i <= SignInGuard.MAX_FAILURES; i++) {
            attacker.signIn("/console", "nobody-" + id, "guess-" + i);
        }
        assertThat(attacker.signIn("/console", "nobody-" + id, "guess").location()).startsWith("/console/login?locked=");
    }

    @Test
    void anAddressBeyondItsBudgetOfFailuresGets429WithRetryAfterWhileOthersSignIn() {
        PageSession attacker = new PageSession(port, "en", Map.of("X-Forwarded-For", "198.51.100.7"));
        int budget = 20; // payments.rate-limits.sign-in-failures.limit
        for (int i = 0; i < budget; i++) {
            // four failures per name: no name locks, only the address runs out
            assertThat(attacker.signIn("/console", "user-" + (i / 4), "guess-" + i).location()).isEqualTo("/console/login?error");
        }

        PageSession.Page throttled = attacker.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD);
        assertThat(throttled.status()).isEqualTo(429);
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15 * 60L);
        assertThat(throttled.body()).contains("id=\"login-throttled\"").contains("Too many failed sign-ins from your network");
        assertThat(attacker.get("/console").location()).as("the right password was not even checked").isEqualTo("/console/login");
        assertThat(getManagement("/actuator/prometheus").text())
                .containsPattern("payments_sign_in_refusals_total\\{area=\"CONSOLE\",reason=\"address_over_budget\"} [1-9]");

        PageSession colleague = new PageSession(port, "en", Map.of("X-Forwarded-For", "203.0.113.20"));
        assertThat(colleague.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD).location()).isEqualTo("/console");
        assertThat(db.selectFrom(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("SIGN_IN_FAILED")).fetch())
                .hasSize(budget).allSatisfy(row -> assertThat(row.getClientIp()).isEqualTo("198.51.100.7"));

        clock.advance(Duration.ofMinutes(15));
        assertThat(attacker.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD).location()).isIn("/console", "/console?continue");
    }

    private List<String> actions(String targetType, String targetId) {
        return db.select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT)
                .where(AUDIT_EVENT.TARGET_TYPE.eq(targetType)).and(AUDIT_EVENT.TARGET_ID.eq(targetId))
                .orderBy(AUDIT_EVENT.ID).fetch(AUDIT_EVENT.ACTION);
    }

    private void setPortalPassword(long merchantId, String password) {
        PageSession finance = new PageSession(port, "ko");
        finance.signIn("/console", "finance", PagesTest.CONSOLE_PASSWORD);
        finance.get("/console/merchants/" + merchantId);
        assertThat(finance.post("/console/merchants/" + merchantId + "/portal-password",
                Map.of("password", password, "confirmation", password)).status()).isEqualTo(302);
    }
}
