package io.unbreakable.payments.api.pages;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where a page of the payment list ended: the last row's (requested_at, id). The next page is the
 * rows strictly before it in (requested_at desc, id desc) order, read from the index, never OFFSET.
 * The token is "epoch microseconds.id": PostgreSQL keeps microseconds, so the cursor must too.
 */
record PaymentCursor(OffsetDateTime requestedAt, long id) {

    String token() {
        Instant instant = requestedAt.toInstant();
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        return micros + "." + id;
    }

    static Optional<PaymentCursor> parse(String token) {
        if (token == null || !token.matches("-?[0-9]{1,19}\\.[0-9]{1,19}")) {
            return Optional.empty();
        }
        try {
            int dot = token.indexOf('.');
            long micros = Long.parseLong(token.substring(0, dot));
            Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return Optional.of(new PaymentCursor(instant.atOffset(ZoneOffset.UTC), Long.parseLong(token.substring(dot + 1))));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
