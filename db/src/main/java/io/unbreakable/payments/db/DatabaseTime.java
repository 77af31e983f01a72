package io.unbreakable.payments.db;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.val;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.impl.SQLDataType;

/** Leases, retry times and expiries follow the database's clock, the one clock every instance shares. */
public final class DatabaseTime {

    private DatabaseTime() {
    }

    public static Field<OffsetDateTime> nowPlus(Duration duration) {
        return field("now() + {0} * interval '1 millisecond'", SQLDataType.TIMESTAMPWITHTIMEZONE, val(duration.toMillis()));
    }
}
