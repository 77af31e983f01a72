package io.unbreakable.payments.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The published test vector of the Standard Webhooks specification (and its reference libraries' tests). */
    @Test
    void signsTheStandardWebhooksSpecificationTestVector() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String signature = WebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aRotatedEndpointIsSignedWithBothSecretsSpaceSeparated() {
        String current = WebhookSignature.newSecret();
        String previous = WebhookSignature.newSecret();

        String header = WebhookSignature.header(List.of(current, previous), "evt_1", 1_700_000_000L, "{}");

        assertThat(header.split(" ")).containsExactly(WebhookSignature.sign(current, "evt_1", 1_700_000_000L, "{}"),
                WebhookSignature.sign(previous, "evt_1", 1_700_000_000L, "{}"));
        assertThat(current).startsWith("whsec_").isNotEqualTo(previous);
    }
}
