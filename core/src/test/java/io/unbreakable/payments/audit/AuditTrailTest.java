package io.unbreakable.payments.audit;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(properties = "payments.embedded-database.data-directory=")
@Import(TestDatabaseConfiguration.class)
class AuditTrailTest {

    @Autowired
    AuditTrail audit;

    @Autowired
    DSLContext db;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void emptyDatabase() {
        DatabaseCleaner.clean(dataSource);
    }

    @Test
    void recordsTheCurrentActorWithTheChangeAndCommitsOrRollsBackWithIt() {
        try (AuditContext.Scope scope = AuditContext.open(AuditActor.batchJob("payoutJob"), "job-payoutJob-7", null)) {
            tx.executeWithoutResult(status -> audit.record("PAYOUT_HELD", "PAYOUT", 42L, Map.of("status", "SCHEDULED"),
                    Map.of("status", "HELD")));
            tx.executeWithoutResult(status -> {
                audit.record("PAYOUT_RELEASED", "PAYOUT", 42L, null, null);
                status.setRollbackOnly(); // the change failed: its audit row goes with it
            });
        }

        List<AuditEvent> events = audit.events(AuditFilter.ALL, null, 10);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo(AuditActor.batchJob("payoutJob"));
            assertThat(event.action()).isEqualTo("PAYOUT_HELD");
            assertThat(event.targetType() + ":" + event.targetId()).isEqualTo("PAYOUT:42");
            assertThat(event.before()).isEqualTo("{\"status\": \"SCHEDULED\"}");
            assertThat(event.after()).isEqualTo("{\"status\": \"HELD\"}");
            assertThat(event.requestId()).isEqualTo("job-payoutJob-7");
        });
        assertThat(audit.events(AuditFilter.of(null, "BATCH_JOB:payoutJob", "PAYOUT:42"), null, 10)).hasSize(1);
        assertThat(audit.events(AuditFilter.of(null, "CONSOLE_USER", null), null, 10)).isEmpty();
    }

    @Test
    void refusesToRecordWithoutAnActorOrOutsideATransaction() {
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> audit.record("X_CHANGED", "X", 1, null, null)))
                .hasMessageContaining("no actor");
        try (AuditContext.Scope scope = AuditContext.open(AuditActor.adminToken(), null, null)) {
            assertThatThrownBy(() -> audit.record("X_CHANGED", "X", 1, null, null)).hasMessageContaining("outside a transaction");
        }
        assertThat(db.fetchCount(AUDIT_EVENT)).isZero();
        assertThat(AuditContext.current()).as("a closed scope leaves no actor behind").isEmpty();
    }

    @Test
    void theDatabaseRefusesToUpdateOrDeleteAnAuditRow() {
        try (AuditContext.Scope scope = AuditContext.open(AuditActor.consoleUser("kim"), "req-12345678", "10.0.0.7")) {
            tx.executeWithoutResult(status -> audit.record("MERCHANT_CREATED", "MERCHANT", 1, null, Map.of("name", "상점")));
        }

        assertThatThrownBy(() -> db.update(AUDIT_EVENT).set(AUDIT_EVENT.ACTOR_ID, "someone-else").execute())
                .hasMessageContaining("audit rows are append-only: UPDATE");
        assertThatThrownBy(() -> db.deleteFrom(AUDIT_EVENT).execute())
                .hasMessageContaining("audit rows are append-only: DELETE");
        assertThat(db.fetchSingle(AUDIT_EVENT).getActorId()).isEqualTo("kim");
    }

    @Test
    void pagesByKeysetInBothDirections() {
        try (AuditContext.Scope scope = AuditContext.open(AuditActor.adminToken(), null, null)) {
            for (int i = 1; i <= 5; i++) {
                int n = i;
                tx.executeWithoutResult(status -> audit.record("MERCHANT_CREATED", "MERCHANT", n, null, null));
            }
        }
        List<AuditEvent> first = audit.events(AuditFilter.ALL, null, 2);
        List<AuditEvent> second = audit.events(AuditFilter.ALL, first.get(1).id(), 2);
        assertThat(first).extracting(AuditEvent::targetId).containsExactly("1", "2");
        assertThat(second).extracting(AuditEvent::targetId).containsExactly("3", "4");
        List<AuditEvent> newest = audit.latest(AuditFilter.ALL, null, 2);
        assertThat(newest).extracting(AuditEvent::targetId).containsExactly("5", "4");
        assertThat(audit.latest(AuditFilter.ALL, newest.get(1).id(), 10)).extracting(AuditEvent::targetId).containsExactly("3", "2", "1");
    }
}
