package io.unbreakable.payments.api.common;

import java.util.Optional;

/**
 * What every text the API takes (JSON strings, path and query values, the Idempotency-Key) may
 * contain: any Unicode text except control characters and broken surrogate pairs. Refused are
 * U+0000-U+001F (tab and line breaks too: no field of this API is multi-line, and the values end up
 * in CSV reports, log lines and PG requests), U+007F-U+009F, and a surrogate without its pair;
 * PostgreSQL cannot store U+0000 at all. Korean text, emoji and other characters beyond the BMP pass.
 */
public final class PlainText {

    private PlainText() {
    }

    /** Why {@code text} is refused, or empty when it is plain text. */
    public static Optional<String> violation(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of(String.format("must not contain control characters (U+%04X at index %d)", (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("must be valid Unicode (an unpaired surrogate U+%04X at index %d)", (int) c, i));
            }
        }
        return Optional.empty();
    }
}
