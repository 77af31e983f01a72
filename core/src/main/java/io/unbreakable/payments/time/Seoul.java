package io.unbreakable.payments.time;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Business days and displayed times are Asia/Seoul, whatever the servers' zone. */
public final class Seoul {

    public static final ZoneId ZONE = ZoneId.of("Asia/Seoul");

    private Seoul() {
    }

    /** An instant as Korean integrators and finance read it (+09:00). */
    public static OffsetDateTime time(OffsetDateTime instant) {
        return instant == null ? null : instant.atZoneSameInstant(ZONE).toOffsetDateTime();
    }

    /** Midnight in Seoul at the start of {@code date}: a sales date runs from here to the next day's. */
    public static OffsetDateTime startOf(LocalDate date) {
        return date.atStartOfDay(ZONE).toOffsetDateTime();
    }
}
