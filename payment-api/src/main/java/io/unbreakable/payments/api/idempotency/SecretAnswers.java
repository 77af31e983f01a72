package io.unbreakable.payments.api.idempotency;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Answers that carry a secret (a webhook signing secret) are stored for replay only encrypted: an idempotency
 * row keeps a final answer for 15 days, and a secret must not sit there readable. A handler marks its
 * request; the filter encrypts the stored body with DataCipher and decrypts it to replay.
 */
public final class SecretAnswers {

    static final String ATTRIBUTE = SecretAnswers.class.getName();

    /** DataCipher purpose of encrypted stored answers (key rotation rewrites them too). */
    public static final String PURPOSE = "idempotency_key.response_body";

    private SecretAnswers() {
    }

    public static void mark(HttpServletRequest request) {
        request.setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    static boolean marked(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
    }
}
