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

    record Unknown<T>(String reason) implements PgResult<T> {
    }
}
