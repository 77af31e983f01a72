package io.unbreakable.payments.db.test;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Empties every table between tests so each test starts from the migrated schema. Keeps what the
 * migrations seeded: the holiday calendar and the platform's own ledger accounts; releases locks.
 */
public final class DatabaseCleaner {

    private static final List<String> KEPT = List.of("flyway_schema_history", "holiday", "ledger_account", "merchant", "shedlock");

    private DatabaseCleaner() {
    }

    public static void clean(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> tables = jdbc.queryForList(
                "select tablename from pg_tables where schemaname = 'public' and tablename <> all (?::text[])",
                String.class, (Object) KEPT.toArray(String[]::new));
        jdbc.execute("truncate table " + String.join(", ", tables) + " restart identity");
        jdbc.update("delete from holiday where source <> 'SEED'");
        jdbc.update("delete from ledger_account where merchant_id is not null");
        jdbc.update("delete from merchant");
        // ShedLock remembers which lock rows exist and only updates them later: expire, never delete
        jdbc.update("update shedlock set lock_until = now()");
    }
}
