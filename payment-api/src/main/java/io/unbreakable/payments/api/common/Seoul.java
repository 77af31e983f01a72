package io.unbreakable.payments.api.common;

import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Times leave the API in Asia/Seoul, as Korean integrators and finance read them. */
public final class Seoul {

    public static final ZoneId ZONE = ZoneId.of("Asia/Seoul");

    private Seoul() {
    }

    public static OffsetDateTime time(OffsetDateTime instant) {
        return instant == null ? null : instant.atZoneSameInstant(ZONE).toOffsetDateTime();
    }
}
