package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT_LINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.SettlementBatchApplication;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.crypto.DataCipher;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a settlement, then the same command again: the result must be exactly the
 * rows of a clean run, which the hand-written set-based SQL of bench/settlement computes independently.
 */
class SettlementRestartAfterKillTest extends BatchTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    static final int MERCHANTS = 3_000;
    static final int PAYMENTS = 15_000;
    static final Path BENCH = Path.of("..", "bench", "settlement");

    @Test
    void aRunKilledMidWayAndStartedAgainWritesExactlyTheRowsOfACleanRun() throws Exception {
        runScript("generate.sql");

        Process run = startJobProcess();
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

        assertThat(rowsDifferingFromTheSetBasedSettlement()).isZero();
        assertThat(db.fetchCount(SETTLEMENT)).isEqualTo(MERCHANTS);
        assertThat(db.fetchCount(SETTLEMENT_LINE)).isEqualTo(db.fetchCount(PAYMENT) + db.fetchCount(PAYMENT_CANCEL));
        assertThat(db.fetchCount(SETTLEMENT_LINE.where(SETTLEMENT_LINE.MERCHANT_ID.notIn(
                org.jooq.impl.DSL.select(SETTLEMENT.MERCHANT_ID).from(SETTLEMENT).where(SETTLEMENT.SALES_DATE.eq(DAY)))))).isZero();
        assertThat(db.fetchCount(PAYOUT)).isEqualTo(db.fetchCount(SETTLEMENT, SETTLEMENT.PAYOUT_AMOUNT.gt(0L)));
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.TYPE.eq("SETTLEMENT"))).isEqualTo(MERCHANTS);
        assertThat(db.fetchCount(PAYOUT, PAYOUT.REPORT_CSV_PATH.isNull())).as("every payout has its report").isZero();
    }

    private Process startJobProcess() throws Exception {
        URI database = URI.create(jdbcUrl().substring("jdbc:".length()));
        Path log = Path.of("target", "killed-settlement-run.log");
        ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SettlementBatchApplication.class.getName(),
                "--spring.batch.job.name=settlementJob", "date=" + DAY,
                "--payments.settlement.chunk-size=20")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        process.environment().put("DB_HOST", database.getHost());
        process.environment().put("DB_PORT", Integer.toString(database.getPort()));
        process.environment().put("DB_NAME", database.getPath().substring(1));
        process.environment().put("DB_USERNAME", "postgres");
        process.environment().put("DB_PASSWORD", "");
        // a job against a database server needs the data key; this one only copies ciphertext, any key will do
        process.environment().put("PAYMENTS_DATA_KEY", DataCipher.newKey("test"));
        return process.start();
    }

    private String jdbcUrl() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        }
    }

    private void runScript(String name) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(script(name));
        }
    }

    private long rowsDifferingFromTheSetBasedSettlement() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(script("settle-set-based.sql"));
            try (ResultSet result = statement.executeQuery("""
                    select count(*) from expected_settlement e
                      full join (select * from settlement where sales_date = '%s') s on s.merchant_id = e.merchant_id
                     where s.id is null or e.merchant_id is null
                        or (s.approval_count, s.approval_amount, s.cancel_count, s.cancel_amount, s.sales_amount, s.fee,
                            s.fee_vat, s.withholding_income_tax, s.withholding_local_tax, s.withholding, s.carried_in_amount,
                            s.payout_amount, s.carried_out_amount)
                           is distinct from
                           (e.approval_count::int, e.approval_amount, e.cancel_count::int, e.cancel_amount, e.sales_amount, e.fee,
                            e.fee_vat, e.withholding_income_tax, e.withholding_local_tax, e.withholding, e.carried_in_amount,
                            e.payout_amount, e.carried_out_amount)
                    """.formatted(DAY))) {
                result.next();
                long differing = result.getLong(1);
                statement.execute("drop table expected_settlement");
                return differing;
            }
        }
    }

    /** The bench's psql script with its variables filled in, so the test and the benchmark share one generator. */
    private static String script(String name) throws Exception {
        return Files.readString(BENCH.resolve(name))
                .replace(":'sales_date'", "'" + DAY + "'")
                .replace(":merchants", Integer.toString(MERCHANTS))
                .replace(":payments", Integer.toString(PAYMENTS))
                .replace(":cancel_every", "20");
    }
}
