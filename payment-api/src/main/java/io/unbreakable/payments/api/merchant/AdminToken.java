package io.unbreakable.payments.api.merchant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Finance's bearer token for /v1/admin: PAYMENT_ADMIN_TOKEN, or, when none is set, a random one
 * printed once at start-up so the embedded default works out of the box.
 */
@Component
class AdminToken {

    private final byte[] token;

    AdminToken(@Value("${payments.admin-token:}") String configured) {
        String value = configured;
        if (value == null || value.isBlank()) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            value = "admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // shown once, on the console of the process that made it; set PAYMENT_ADMIN_TOKEN to choose your own
            System.out.println("\n  PAYMENT_ADMIN_TOKEN was not set; this run's admin token is: " + value + "\n");
        }
        this.token = value.getBytes(StandardCharsets.UTF_8);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }
}
