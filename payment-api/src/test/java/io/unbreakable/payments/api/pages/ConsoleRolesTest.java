package io.unbreakable.payments.api.pages;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.CONSOLE_USER;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.HandlerEndpoints;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Finance users and their roles: a VIEWER reads every page and is refused every change the console
 * offers (the endpoints come from Spring MVC's mappings, so a new form is covered the day it is added);
 * a disabled user is signed out on its next request, a changed role applies at once.
 */
class ConsoleRolesTest extends ApiTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void aViewerReadsEverythingAndIsRefusedEveryMutatingConsoleEndpoint() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 9_000, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        createUser("viewer.kim", "VIEWER");
        createUser("lee", "OPERATOR");
        long auditRows = db.fetchCount(AUDIT_EVENT);
        PageSession viewer = signedIn("viewer.kim");

        assertThat(viewer.get("/console/merchants").body()).contains("merchants-table").doesNotContain("id=\"new-merchant\"");
        assertThat(viewer.get("/console/payments/pk_1").body()).contains("payment-status").doesNotContain("id=\"cancel-form\"");
        assertThat(viewer.get("/console/merchants/" + merchant.merchantId()).body()).doesNotContain("id=\"password-form\"");
        assertThat(viewer.get("/console/users").body()).contains("viewer.kim").doesNotContain("id=\"new-user\"");

        Set<String> mutating = HandlerEndpoints.of(mappings, HandlerEndpoints.MUTATING, List.of("/console"));
        assertThat(mutating).as("the console's changes").hasSizeGreaterThanOrEqualTo(5);
        Map<String, String> form = Map.of("name", "x", "businessType", "BUSINESS", "feeRatePercent", "3.3", "password", "long-enough-1",
                "confirmation", "long-enough-1", "cancelAmount", "1000", "cancelReason", "r", "username", "intruder", "role", "OPERATOR");
        for (String endpoint : mutating) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("{merchantId}", Long.toString(merchant.merchantId()))
                    .replace("{paymentKey}", "pk_1").replace("{username}", "lee").replace("{payoutId}", "1").replace("{deliveryId}", "1");
            assertThat(method).as("the console changes things by form POST only").isEqualTo("POST");
            viewer.get("/console");
            PageSession.Page refused = viewer.post(path, form);
            assertThat(refused.status()).as(endpoint).isEqualTo(403);
            assertThat(refused.body()).as(endpoint).contains("id=\"error-message\"");
        }
        assertThat(db.fetchCount(MERCHANT)).isEqualTo(1);
        assertThat(db.fetchCount(PAYMENT_CANCEL)).isZero();
        assertThat(db.fetchValue(MERCHANT.PORTAL_PASSWORD_HASH)).isNull();
        assertThat(db.fetchCount(CONSOLE_USER)).isEqualTo(2);
        assertThat(db.fetchValue(CONSOLE_USER.ROLE, CONSOLE_USER.USERNAME.eq("lee"))).isEqualTo("OPERATOR");
        assertThat(db.fetchCount(AUDIT_EVENT)).as("only the viewer's own sign-in was recorded").isEqualTo(auditRows + 1);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    @Test
    void aDisabledUserIsSignedOutOnItsNextRequestAndARoleChangeAppliesAtOnce() {
        createUser("lee", "OPERATOR");
        createUser("choi", "OPERATOR");
        PageSession lee = signedIn("lee");
        PageSession choi = signedIn("choi");
        assertThat(lee.get("/console/merchants").body()).contains("id=\"new-merchant\"");

        assertThat(patch("lee", Map.of("role", "VIEWER")).body().get("role").asString()).isEqualTo("VIEWER");
        assertThat(lee.get("/console/merchants").body()).doesNotContain("id=\"new-merchant\"");
        assertThat(lee.post("/console/merchants", Map.of("name", "x", "businessType", "BUSINESS", "feeRatePercent", "3.3")).status())
                .isEqualTo(403);

        assertThat(patch("choi", Map.of("enabled", false)).body().get("enabled").asBoolean()).isFalse();
        assertThat(choi.get("/console").location()).isEqualTo("/console/login?error");
        assertThat(choi.get("/console").location()).as("and stays out").isEqualTo("/console/login");
        assertThat(new PageSession(port, "ko").signIn("/console", "choi", "choi-password-1").location()).isEqualTo("/console/login?error");
        assertThat(db.fetchCount(MERCHANT)).isZero();
    }

    @Test
    void theAdminApiRefusesBadUsersWithProblemsAndNeverShowsAHash() {
        Response created = post("/v1/admin/console-users", ADMIN, Map.of("username", "kim", "password", "kim-password-1", "role", "VIEWER"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text()).doesNotContain("password").doesNotContain("$2a$");
        assertThat(post("/v1/admin/console-users", ADMIN, Map.of("username", "kim", "password", "kim-password-2", "role", "VIEWER")).code())
                .isEqualTo("DUPLICATED_CONSOLE_USER");
        assertThat(post("/v1/admin/console-users", ADMIN, Map.of("username", "finance", "password", "x-password-1", "role", "VIEWER"))
                .code()).as("the bootstrap user's name").isEqualTo("DUPLICATED_CONSOLE_USER");
        Response badName = post("/v1/admin/console-users", ADMIN, Map.of("username", "Kim Lee", "password", "kim-password-1", "role", "VIEWER"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body().get("detail").asString()).contains("username");
        assertThat(post("/v1/admin/console-users", ADMIN, Map.of("username", "short", "password", "short", "role", "VIEWER")).code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/admin/console-users", ADMIN, Map.of("username", "x1y", "password", "long-enough-1", "role", "ADMIN")).status())
                .isEqualTo(400);
        assertThat(patch("finance", Map.of("enabled", false)).status()).as("the bootstrap user lives in the environment").isEqualTo(400);
        assertThat(patch("nobody", Map.of("enabled", false)).status()).isEqualTo(404);
        assertThat(db.fetchCount(CONSOLE_USER)).isEqualTo(1);
        assertThat(get("/v1/admin/console-users", ADMIN).body()).extracting(user -> user.get("username").asString())
                .containsExactly("finance", "kim");
    }

    private void createUser(String username, String role) {
        assertThat(post("/v1/admin/console-users", ADMIN, Map.of("username", username, "password", username + "-password-1", "role", role))
                .status()).isEqualTo(201);
    }

    private Response patch(String username, Map<String, Object> change) {
        return send("PATCH", "/v1/admin/console-users/" + username, ADMIN, change);
    }

    private PageSession signedIn(String username) {
        PageSession session = new PageSession(port, "ko");
        assertThat(session.signIn("/console", username, username + "-password-1").location()).isEqualTo("/console");
        return session;
    }
}
