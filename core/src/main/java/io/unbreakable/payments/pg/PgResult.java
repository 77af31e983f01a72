package io.unbreakable.payments.pg;

/**
 * What a PG call came to. A timeout or an unreadable answer is {@link Unknown}, never a failure:
 * the PG may have done the work, so only an inquiry may settle it.
 */
public sealed interface PgResult<T> {

    record Success<T>(T value) implements PgResult<T> {
    }

    /** The PG answered and refused (a card decline, a cancel it won't do): nothing happened there. */
    record Declined<T>(int httpStatus, String code, String message) implements PgResult<T> {
    }

    /**
     * No answer to trust. {@link Kind#NOT_SENT} is the one case where we know more: the request never
     * reached the PG (its breaker was open, its bulkhead full, the connection refused, the deadline
     * gone), so nothing can have happened there and a new payment may go to another PG. It stays an
     * Unknown so that a caller that does not look at the kind still treats it the safe way.
     */
    record Unknown<T>(String reason, Kind kind) implements PgResult<T> {

        public Unknown(String reason) {
            this(reason, Kind.NO_ANSWER);
        }

        public static <T> Unknown<T> notSent(String reason) {
            return new Unknown<>(reason, Kind.NOT_SENT);
        }

        public boolean notSent() {
            return kind == Kind.NOT_SENT;
        }

        public enum Kind {
            /** Sent; the answer was a 5xx, unreadable, or broke off: the PG may have done the work. */
            NO_ANSWER,
            /** Sent; no answer within the timeout: the PG may have done the work. */
            TIMEOUT,
            /** Never reached the PG. */
            NOT_SENT
        }
    }
}
