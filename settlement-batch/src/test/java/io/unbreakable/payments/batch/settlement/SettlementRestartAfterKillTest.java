package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT_LINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a settlement, then the same command again: the result must be exactly the
 * rows of a clean run, which the hand-written set-based SQL of bench/settlement computes independently.
 */
class SettlementRestartAfterKillTest extends BatchTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    static final int MERCHANTS = 3_000;
    static final SettlementDataSet DATA = new SettlementDataSet(DAY, MERCHANTS, 15_000, 0);

    @Test
    void aRunKilledMidWayAndStartedAgainWritesExactlyTheRowsOfACleanRun() throws Exception {
        DATA.generate(dataSource);

        Process run = JobProcesses.start(dataSource, "killed-settlement-run.log", Map.of(),
                "--spring.batch.job.name=settlementJob", "date=" + DAY, "--payments.settlement.chunk-size=20");
        int settledWhenKilled = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (settledWhenKilled == 0 && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
            settledWhenKilled = db.fetchCount(SETTLEMENT);
        }
        run.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback of the job metadata
        run.waitFor(30, TimeUnit.SECONDS);
        settledWhenKilled = db.fetchCount(SETTLEMENT);
        assertThat(settledWhenKilled).as("the kill fell in the middle of settleMerchants").isBetween(1, MERCHANTS - 1);

        assertThat(runner.run("settlementJob", List.of("date=" + DAY))).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(DATA.rowsDifferingFromTheSetBasedSettlement(dataSource)).isZero();
        assertThat(db.fetchCount(SETTLEMENT)).isEqualTo(MERCHANTS);
        assertThat(db.fetchCount(SETTLEMENT_LINE)).isEqualTo(db.fetchCount(PAYMENT) + db.fetchCount(PAYMENT_CANCEL));
        assertThat(db.fetchCount(SETTLEMENT_LINE.where(SETTLEMENT_LINE.MERCHANT_ID.notIn(
                org.jooq.impl.DSL.select(SETTLEMENT.MERCHANT_ID).from(SETTLEMENT).where(SETTLEMENT.SALES_DATE.eq(DAY)))))).isZero();
        assertThat(db.fetchCount(PAYOUT)).isEqualTo(db.fetchCount(SETTLEMENT, SETTLEMENT.PAYOUT_AMOUNT.gt(0L)));
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.TYPE.eq("SETTLEMENT"))).isEqualTo(MERCHANTS);
        assertThat(db.fetchCount(PAYOUT, PAYOUT.REPORT_CSV_PATH.isNull())).as("every payout has its report").isZero();
    }
}
