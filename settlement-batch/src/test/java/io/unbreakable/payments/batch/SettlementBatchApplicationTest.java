package io.unbreakable.payments.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

@SpringBootTest
@Import(TestDatabaseConfiguration.class)
class SettlementBatchApplicationTest {

    @Autowired
    DSLContext db;

    @Test
    void startsOnTheMigratedDatabaseWithTheBatchMetadataTables() {
        assertThat(db.meta().getTables("batch_job_execution")).hasSize(1);
        assertThat(db.meta().getTables("shedlock")).hasSize(1);
    }
}
