package io.unbreakable.payments.api.audit;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.HandlerEndpoints;
import io.unbreakable.payments.api.pages.PageSession;
import io.unbreakable.payments.audit.AuditActor;
import io.unbreakable.payments.audit.AuditContext;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.db.jooq.tables.records.AuditEventRecord;
import io.unbreakable.payments.payout.PayoutGatewayType;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.payout.PayoutTransition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Every change an admin, a finance user or a merchant in its portal can make through the app leaves an
 * audit row in the same request: the mutating endpoints are read from Spring MVC's mappings, and an
 * endpoint added without a scenario here fails the test until someone says what it records.
 */
class AuditCoverageTest extends ApiTest {

    static final String CONSOLE_PASSWORD = "test-console-password";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    AuditTrail audit;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    PayoutLifecycle lifecycle;

    @Test
    void everyMutatingAdminConsoleAndPortalEndpointWritesAnAuditRowInItsRequest() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 9_000, 1);
        // an endpoint before the payment: its event is a delivery to redeliver below
        assertThat(post("/v1/webhooks", merchant.basicAuth(), Map.of("url", "http://127.0.0.1:9/hook",
                "eventTypes", List.of("PAYMENT_STATUS_CHANGED"))).status()).isEqualTo(201);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        assertThat(post("/v1/admin/console-users", ADMIN, Map.of("username", "kim", "password", "kim-password-1", "role", "VIEWER"))
                .status()).isEqualTo(201);
        PageSession finance = new PageSession(port, "ko");
        assertThat(finance.signIn("/console", "finance", CONSOLE_PASSWORD).location()).isEqualTo("/console");
        String id = Long.toString(merchant.merchantId());

        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("POST /v1/admin/merchants", new Scenario("MERCHANT_CREATED", "ADMIN_TOKEN:admin", () -> requestId(post(
                "/v1/admin/merchants", ADMIN, Map.of("name", "새 상점", "businessType", "BUSINESS", "feeRate", "0.025")))));
        scenarios.put("PUT /v1/admin/merchants/{merchantId}/pg-providers", new Scenario("MERCHANT_PG_PROVIDERS_CHANGED",
                "ADMIN_TOKEN:admin", () -> requestId(put("/v1/admin/merchants/" + id + "/pg-providers", ADMIN,
                        Map.of("pgProviders", List.of("backup", "toss"))))));
        scenarios.put("PUT /v1/admin/merchants/{merchantId}/payout-account", new Scenario("MERCHANT_PAYOUT_ACCOUNT_CHANGED",
                "ADMIN_TOKEN:admin", () -> requestId(put("/v1/admin/merchants/" + id + "/payout-account", ADMIN,
                        Map.of("bankCode", "090", "accountNumber", "3333012345678", "holderName", "홍길동")))));
        long held;
        long failed;
        long failedToo;
        try {
            held = insertSettlementWithReport(merchant.merchantId(), java.time.LocalDate.parse("2026-11-24")).payoutId();
            failed = insertSettlementWithReport(merchant.merchantId(), java.time.LocalDate.parse("2026-11-25")).payoutId();
            failedToo = insertSettlementWithReport(merchant.merchantId(), java.time.LocalDate.parse("2026-11-26")).payoutId();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (long payoutId : List.of(failed, failedToo)) {
            tx.executeWithoutResult(status -> lifecycle.transition(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null)));
            tx.executeWithoutResult(status -> lifecycle.transition(PayoutTransition.failed(payoutId, "CLOSED_ACCOUNT", "해지된 계좌입니다.")));
        }
        scenarios.put("POST /v1/admin/payouts/{payoutId}/hold", new Scenario("PAYOUT_HELD", "ADMIN_TOKEN:admin",
                () -> requestId(post("/v1/admin/payouts/" + held + "/hold", ADMIN, Map.of("reason", "세무 확인")))));
        scenarios.put("POST /v1/admin/payouts/{payoutId}/release", new Scenario("PAYOUT_RELEASED", "ADMIN_TOKEN:admin",
                () -> requestId(post("/v1/admin/payouts/" + held + "/release", ADMIN, Map.of("reason", "확인 완료")))));
        scenarios.put("POST /v1/admin/payouts/{payoutId}/retry", new Scenario("PAYOUT_RETRIED", "ADMIN_TOKEN:admin",
                () -> requestId(post("/v1/admin/payouts/" + failed + "/retry", ADMIN, Map.of("reason", "계좌 변경")))));
        scenarios.put("POST /v1/admin/console-users", new Scenario("CONSOLE_USER_CREATED", "ADMIN_TOKEN:admin", () -> requestId(post(
                "/v1/admin/console-users", ADMIN, Map.of("username", "lee", "password", "lee-password-1", "role", "OPERATOR")))));
        scenarios.put("PATCH /v1/admin/console-users/{username}", new Scenario("CONSOLE_USER_CHANGED", "ADMIN_TOKEN:admin",
                () -> requestId(patch("/v1/admin/console-users/kim", ADMIN, Map.of("role", "OPERATOR")))));
        scenarios.put("POST /v1/admin/data-key/rotation", new Scenario("DATA_KEY_ROTATION_COMPLETED", "ADMIN_TOKEN:admin",
                () -> requestId(post("/v1/admin/data-key/rotation", ADMIN, Map.of()))));
        scenarios.put("POST /console/merchants", new Scenario("MERCHANT_CREATED", "CONSOLE_USER:finance", () -> {
            finance.get("/console/merchants");
            return requestId(finance.post("/console/merchants", Map.of("name", "콘솔 상점", "businessType", "INDIVIDUAL",
                    "feeRatePercent", "3.3")));
        }));
        scenarios.put("POST /console/merchants/{merchantId}/portal-password", new Scenario("MERCHANT_PORTAL_PASSWORD_SET",
                "CONSOLE_USER:finance", () -> {
                    finance.get("/console/merchants/" + id);
                    return requestId(finance.post("/console/merchants/" + id + "/portal-password",
                            Map.of("password", "portal-password-1", "confirmation", "portal-password-1")));
                }));
        scenarios.put("POST /console/payments/{paymentKey}/cancel", new Scenario("PAYMENT_CANCEL_REQUESTED", "CONSOLE_USER:finance",
                () -> {
                    finance.get("/console/payments/pk_1");
                    return requestId(finance.post("/console/payments/pk_1/cancel", Map.of("cancelAmount", "4000", "cancelReason", "고객 요청")));
                }));
        scenarios.put("POST /console/payouts/{payoutId}/hold", new Scenario("PAYOUT_HELD", "CONSOLE_USER:finance", () -> {
            finance.get("/console/payouts");
            return requestId(finance.post("/console/payouts/" + held + "/hold", Map.of("reason", "서류 확인")));
        }));
        scenarios.put("POST /console/payouts/{payoutId}/release", new Scenario("PAYOUT_RELEASED", "CONSOLE_USER:finance", () -> {
            finance.get("/console/payouts");
            return requestId(finance.post("/console/payouts/" + held + "/release", Map.of("reason", "서류 확인 완료")));
        }));
        scenarios.put("POST /console/payouts/{payoutId}/retry", new Scenario("PAYOUT_RETRIED", "CONSOLE_USER:finance", () -> {
            finance.get("/console/payouts");
            return requestId(finance.post("/console/payouts/" + failedToo + "/retry", Map.of("reason", "계좌 수정")));
        }));
        scenarios.put("POST /console/users", new Scenario("CONSOLE_USER_CREATED", "CONSOLE_USER:finance", () -> {
            finance.get("/console/users");
            return requestId(finance.post("/console/users", Map.of("username", "park", "password", "park-password-1", "role", "VIEWER")));
        }));
        scenarios.put("POST /console/users/{username}", new Scenario("CONSOLE_USER_CHANGED", "CONSOLE_USER:finance", () -> {
            finance.get("/console/users");
            return requestId(finance.post("/console/users/park", Map.of("role", "VIEWER")));  // no "enabled": disabled
        }));
        scenarios.put("POST /merchant/password", new Scenario("MERCHANT_PORTAL_PASSWORD_SET", "MERCHANT:" + id, () -> {
            PageSession portal = new PageSession(port, "ko");
            assertThat(portal.signIn("/merchant", id, "portal-password-1").location()).isEqualTo("/merchant");
            portal.get("/merchant");
            return requestId(portal.post("/merchant/password", Map.of("password", "portal-password-2", "confirmation", "portal-password-2")));
        }));
        // a merchant's own webhook endpoints, over the API with its secret key
        Supplier<String> newestEndpoint = () -> Long.toString(db.select(DSL.max(WEBHOOK_ENDPOINT.ID)).from(WEBHOOK_ENDPOINT).fetchSingle().value1());
        Supplier<String> newestDelivery = () -> Long.toString(db.select(DSL.max(WEBHOOK_DELIVERY.ID)).from(WEBHOOK_DELIVERY).fetchSingle().value1());
        scenarios.put("POST /v1/webhooks", new Scenario("WEBHOOK_ENDPOINT_CREATED", "MERCHANT:" + id, () -> requestId(post(
                "/v1/webhooks", merchant.basicAuth(), Map.of("url", "http://127.0.0.1:9/in", "eventTypes", List.of("SETTLEMENT_COMPLETED"))))));
        scenarios.put("POST /v1/webhooks/{id}/rotate-secret", new Scenario("WEBHOOK_SECRET_ROTATED", "MERCHANT:" + id, () -> requestId(post(
                "/v1/webhooks/" + newestEndpoint.get() + "/rotate-secret", merchant.basicAuth(), Map.of()))));
        scenarios.put("POST /v1/webhooks/deliveries/{deliveryId}/redeliver", new Scenario("WEBHOOK_REDELIVERY_REQUESTED", "MERCHANT:" + id,
                () -> requestId(post("/v1/webhooks/deliveries/" + newestDelivery.get() + "/redeliver",
                        merchant.basicAuth(), Map.of()))));
        scenarios.put("POST /console/webhooks/deliveries/{deliveryId}/redeliver", new Scenario("WEBHOOK_REDELIVERY_REQUESTED",
                "CONSOLE_USER:finance", () -> {
                    finance.get("/console/webhooks");
                    return requestId(finance.post("/console/webhooks/deliveries/" + newestDelivery.get() + "/redeliver",
                            Map.of()));
                }));
        scenarios.put("POST /merchant/webhooks/deliveries/{deliveryId}/redeliver", new Scenario("WEBHOOK_REDELIVERY_REQUESTED",
                "MERCHANT:" + id, () -> {
                    PageSession portal = new PageSession(port, "ko");
                    assertThat(portal.signIn("/merchant", id, "portal-password-2").location()).isEqualTo("/merchant");
                    portal.get("/merchant/webhooks");
                    return requestId(portal.post("/merchant/webhooks/deliveries/" + newestDelivery.get() + "/redeliver",
                            Map.of()));
                }));
        scenarios.put("DELETE /v1/webhooks/{id}", new Scenario("WEBHOOK_ENDPOINT_DELETED", "MERCHANT:" + id, () -> requestId(send(
                "DELETE", "/v1/webhooks/" + newestEndpoint.get(), merchant.basicAuth(), ""))));

        assertThat(scenarios.keySet())
                .as("every POST/PUT/PATCH/DELETE under /v1/admin, /console, /merchant and /v1/webhooks has an audit scenario here")
                .containsExactlyInAnyOrderElementsOf(HandlerEndpoints.of(mappings, HandlerEndpoints.MUTATING,
                        List.of("/v1/admin", "/console", "/merchant", "/v1/webhooks")));
        scenarios.forEach((endpoint, scenario) -> {
            String requestId = scenario.call().get();
            List<AuditEventRecord> rows = db.selectFrom(AUDIT_EVENT).where(AUDIT_EVENT.REQUEST_ID.eq(requestId)).fetch();
            assertThat(rows).as("audit rows of %s (request %s)", endpoint, requestId).anySatisfy(row -> {
                assertThat(row.getAction()).isEqualTo(scenario.action());
                assertThat(row.getActorType() + ":" + row.getActorId()).isEqualTo(scenario.actor());
                assertThat(row.getClientIp()).isEqualTo("127.0.0.1");
            });
        });

        // what the rows say, for two of them: the cancel's amounts, the user's role change; never a password
        AuditEventRecord cancel = db.selectFrom(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("PAYMENT_CANCEL_REQUESTED")).fetchSingle();
        assertThat(cancel.getTargetType() + ":" + cancel.getTargetId()).isEqualTo("PAYMENT:pk_1");
        assertThat(JSON.readTree(cancel.getBeforeState().data()).get("balanceAmount").asLong()).isEqualTo(10_000);
        JsonNode after = JSON.readTree(cancel.getAfterState().data());
        assertThat(after.get("balanceAmount").asLong()).isEqualTo(6_000);
        assertThat(after.get("cancelAmount").asLong()).isEqualTo(4_000);
        assertThat(walletBalance(merchant)).isEqualTo(6_000);
        AuditEventRecord promoted = db.selectFrom(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("CONSOLE_USER_CHANGED"))
                .and(AUDIT_EVENT.TARGET_ID.eq("kim")).fetchSingle();
        assertThat(promoted.getBeforeState().data()).contains("\"role\": \"VIEWER\"");
        assertThat(promoted.getAfterState().data()).contains("\"role\": \"OPERATOR\"").contains("\"passwordChanged\": false");
        assertThat(db.fetch("select before_state::text || after_state::text as states from audit_event").getValues(0, String.class))
                .noneMatch(states -> states != null && (states.contains("password-1") || states.contains("password-2")));
    }

    @Test
    void theAuditTrailIsReadByFiltersAndKeysetPagesOverTheAdminApiAndInTheConsole() {
        TestMerchant merchant = createMerchant();
        try (AuditContext.Scope scope = AuditContext.open(AuditActor.consoleUser("kim"), "req-kim-000001", "10.1.2.3")) {
            for (int i = 0; i < AuditAdminController.PAGE_SIZE; i++) {
                tx.executeWithoutResult(status -> audit.record("MERCHANT_PG_PROVIDERS_CHANGED", "MERCHANT", merchant.merchantId(),
                        Map.of("pgProviders", List.of()), Map.of("pgProviders", List.of("backup"))));
            }
        }

        Response first = get("/v1/admin/audit-events", ADMIN);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("events")).hasSize(AuditAdminController.PAGE_SIZE);
        JsonNode created = first.body().get("events").get(0);
        assertThat(created.get("action").asString()).isEqualTo("MERCHANT_CREATED");
        assertThat(created.get("actorType").asString() + ":" + created.get("actorId").asString()).isEqualTo("ADMIN_TOKEN:admin");
        assertThat(created.get("after").get("name").asString()).isEqualTo("테스트상점");
        long nextAfter = first.body().get("nextAfter").asLong();
        Response second = get("/v1/admin/audit-events?after=" + nextAfter, ADMIN);
        assertThat(second.body().get("events")).hasSize(1);
        assertThat(second.body().get("nextAfter").isNull()).isTrue();

        Response byKim = get("/v1/admin/audit-events?actor=CONSOLE_USER:kim&target=MERCHANT:" + merchant.merchantId(), ADMIN);
        assertThat(byKim.body().get("events")).hasSize(AuditAdminController.PAGE_SIZE);
        assertThat(byKim.body().get("events").get(0).get("clientIp").asString()).isEqualTo("10.1.2.3");
        assertThat(get("/v1/admin/audit-events?actor=MERCHANT&since=2099-01-01T00:00:00%2B09:00", ADMIN).body().get("events")).isEmpty();
        Response badActor = get("/v1/admin/audit-events?actor=ROBOT:1", ADMIN);
        assertThat(badActor.status()).isEqualTo(400);
        assertThat(badActor.code()).isEqualTo("INVALID_REQUEST");
        assertThat(get("/v1/admin/audit-events", "Bearer wrong").status()).isEqualTo(401);

        PageSession finance = new PageSession(port, "ko");
        finance.signIn("/console", "finance", CONSOLE_PASSWORD);
        PageSession.Page page = finance.get("/console/audit?actor=ADMIN_TOKEN");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("MERCHANT_CREATED").doesNotContain("MERCHANT_PG_PROVIDERS_CHANGED");
        PageSession.Page latest = finance.get("/console/audit");
        assertThat(latest.count("class=\"audit-event")).isEqualTo(100);
        assertThat(latest.body()).contains("id=\"audit-older\"");
    }

    private static String requestId(Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    private static String requestId(PageSession.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return page.headers().firstValue("X-Request-Id").orElseThrow();
    }

    private Response patch(String path, String authorization, Object body) {
        return send("PATCH", path, authorization, body);
    }

    record Scenario(String action, String actor, Supplier<String> call) {
    }
}
