package io.unbreakable.payments.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signing: {@code webhook-signature} is {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}
 * where the key is the base64 after {@code whsec_}; several signatures (a secret and the one it replaced) are
 * separated by spaces, and a receiver accepts any one it can verify.
 */
final class WebhookSignature {

    static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new signing secret: whsec_ and 32 random bytes in base64. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static String sign(String secret, String messageId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())), "HmacSHA256"));
            byte[] signed = mac.doFinal((messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The header value signed with each of these secrets. */
    static String header(List<String> secrets, String messageId, long timestampSeconds, String body) {
        return secrets.stream().map(secret -> sign(secret, messageId, timestampSeconds, body)).collect(Collectors.joining(" "));
    }
}
