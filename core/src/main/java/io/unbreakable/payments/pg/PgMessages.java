package io.unbreakable.payments.pg;

/** What we keep of a PG's failure text: a PG may answer a page of HTML, a row needs a line. */
public final class PgMessages {

    private static final int STORED_LENGTH = 500;

    private PgMessages() {
    }

    public static String storable(String message) {
        return message == null || message.length() <= STORED_LENGTH ? message : message.substring(0, STORED_LENGTH);
    }
}
