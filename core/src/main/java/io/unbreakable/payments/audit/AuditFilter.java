package io.unbreakable.payments.audit;

import java.time.OffsetDateTime;

/**
 * What to list: events at or after {@code since}, of one actor and/or one target. An actor or a target
 * is given as {@code TYPE} (every one of that type) or {@code TYPE:id}; null fields do not filter.
 */
public record AuditFilter(OffsetDateTime since, String actorType, String actorId, String targetType, String targetId) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

    /** From the query-string form: {@code actor=CONSOLE_USER:kim}, {@code target=MERCHANT:12}; blank = any. */
    public static AuditFilter of(OffsetDateTime since, String actor, String target) {
        String[] who = split(actor);
        String[] what = split(target);
        return new AuditFilter(since, who[0], who[1], what[0], what[1]);
    }

    private static String[] split(String typeAndId) {
        if (typeAndId == null || typeAndId.isBlank()) {
            return new String[] {null, null};
        }
        String value = typeAndId.strip();
        int colon = value.indexOf(':');
        return colon < 0 ? new String[] {value.toUpperCase(), null}
                : new String[] {value.substring(0, colon).toUpperCase(), value.substring(colon + 1)};
    }
}
