package io.unbreakable.payments.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/** With the default (payments.webhooks.allow-private-addresses=false): our own network is not a webhook target. */
@TestPropertySource(properties = "payments.webhooks.allow-private-addresses=false")
class WebhookSsrfTest extends ApiTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8081/actuator/health", "http://localhost/hook", "http://10.1.2.3/hook",
            "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook"})
    void privateLoopbackAndLinkLocalUrlsAreRefusedAndNothingIsStored(String url) {
        TestMerchant merchant = createMerchant();

        Response refused = post("/v1/webhooks", merchant.basicAuth(), Map.of("url", url, "eventTypes", List.of("PAYMENT_STATUS_CHANGED")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("INVALID_WEBHOOK_URL");
        assertThat(refused.body().get("message").asString()).contains("allow-private-addresses");
        assertThat(count("webhook_endpoint")).isZero();
        assertThat(count("audit_event")).as("only the merchant's creation").isEqualTo(1);
    }
}
