package io.unbreakable.payments.api.merchant;

import io.unbreakable.payments.api.common.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Merchant API secret keys: 32 random bytes, shown once, stored as SHA-256. A key this random needs
 * no slow hash, and a fast one lets a request find its merchant by an index lookup.
 */
final class SecretKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() {
    }

    static String newSecretKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "test_sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secretKey) {
        return Sha256.hex(secretKey.getBytes(StandardCharsets.UTF_8));
    }

    static String displayPrefix(String secretKey) {
        return secretKey.substring(0, 12);
    }
}
