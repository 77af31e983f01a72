package io.unbreakable.payments.api.webhook;

import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.pages.PageSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's and the portal's webhook pages: endpoints (a disabled one shown so), deliveries by status, redelivery. */
class WebhookPagesTest extends ApiTest {

    @Test
    void financeAndTheMerchantSeeEndpointsAndDeliveriesByStatusAndRedeliver() {
        TestMerchant merchant = createMerchant();
        TestMerchant other = createMerchant();
        long endpointId = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", "http://127.0.0.1:9/in",
                "eventTypes", List.of("PAYMENT_STATUS_CHANGED"))).body().get("id").asLong();
        long otherEndpoint = post("/v1/webhooks", other.basicAuth(), Map.of("url", "http://127.0.0.1:9/other",
                "eventTypes", List.of("PAYMENT_STATUS_CHANGED"))).body().get("id").asLong();
        createOrder(merchant, "order-0001", 9_000, 1);
        createOrder(merchant, "order-0002", 9_000, 1);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);
        assertThat(confirm(merchant, "pk_2", "order-0002", 10_000).status()).isEqualTo(200);
        long first = db.fetchValue(WEBHOOK_DELIVERY.ID, WEBHOOK_DELIVERY.ENDPOINT_ID.eq(endpointId).and(WEBHOOK_DELIVERY.ID.eq(
                db.select(org.jooq.impl.DSL.min(WEBHOOK_DELIVERY.ID)).from(WEBHOOK_DELIVERY))));
        db.execute("update webhook_delivery set status = 'FAILED', attempts = 8, last_http_status = 500, last_error = 'HTTP 500: down' where id = ?", first);
        db.execute("update webhook_endpoint set status = 'DISABLED', disabled_at = now(), failing_since = now() - interval '5 days' where id = ?",
                otherEndpoint);

        PageSession finance = new PageSession(port, "en");
        finance.signIn("/console", "finance", "test-console-password");
        PageSession.Page list = finance.get("/console/webhooks");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.count("class=\"endpoint-row")).isEqualTo(2);
        assertThat(list.body()).contains("http://127.0.0.1:9/in").contains("disabled (failing for 5 days)");
        PageSession.Page failed = finance.get("/console/webhooks/" + endpointId + "?status=FAILED");
        assertThat(failed.count("class=\"delivery-row")).isEqualTo(1);
        assertThat(failed.body()).contains("HTTP 500: down").contains("pk_1");
        assertThat(finance.get("/console/webhooks/" + endpointId).count("class=\"delivery-row")).isEqualTo(2);

        PageSession.Page redelivered = finance.post("/console/webhooks/deliveries/" + first + "/redeliver", Map.of());
        assertThat(redelivered.status()).isEqualTo(302);
        assertThat(redelivered.location()).isEqualTo("/console/webhooks/" + endpointId);
        assertThat(db.fetchValue(WEBHOOK_DELIVERY.STATUS, WEBHOOK_DELIVERY.ID.eq(first))).isEqualTo("PENDING");
        assertThat(finance.get("/console/webhooks/" + endpointId + "?status=FAILED").body()).contains("id=\"no-deliveries\"");
        assertThat(finance.get("/console/webhooks/" + otherEndpoint).body()).contains("id=\"disabled-note\"");

        finance.get("/console/merchants/" + merchant.merchantId());
        finance.post("/console/merchants/" + merchant.merchantId() + "/portal-password",
                Map.of("password", "portal-password-1", "confirmation", "portal-password-1"));
        PageSession portal = new PageSession(port, "ko");
        assertThat(portal.signIn("/merchant", Long.toString(merchant.merchantId()), "portal-password-1").location()).isEqualTo("/merchant");
        PageSession.Page mine = portal.get("/merchant/webhooks");
        assertThat(mine.count("class=\"endpoint-row")).as("its own only").isEqualTo(1);
        assertThat(mine.body()).contains("http://127.0.0.1:9/in").doesNotContain("127.0.0.1:9/other");
        assertThat(portal.get("/merchant/webhooks/" + endpointId + "?status=PENDING").count("class=\"delivery-row")).isEqualTo(2);
        assertThat(portal.get("/merchant/webhooks/" + otherEndpoint).status()).as("another merchant's endpoint").isEqualTo(404);
    }
}
