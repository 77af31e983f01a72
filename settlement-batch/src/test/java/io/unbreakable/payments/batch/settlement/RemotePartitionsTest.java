package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT_LINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.db.test.DatabaseCleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The settlement's partitions sent through RabbitMQ to worker processes (the same app, role worker), with this
 * test's JVM as the manager. The timeout test runs first, before any worker listens on the class's queue; then
 * one worker serves the class, and the kill test starts a second one to kill.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemotePartitionsTest extends BatchTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 18); // a date no other test class settles: their runs cannot hold its job lock
    static RemoteWorkers workers;
    static boolean sharedWorkerStarted;

    @BeforeAll
    static void brokerAnswers() {
        RemoteWorkers.assumeBrokerAnswers();
        workers = new RemoteWorkers();
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        if (workers != null) {
            workers.close();
        }
    }

    @DynamicPropertySource
    static void remoteWorkers(DynamicPropertyRegistry registry) {
        registry.add("payments.settlement.workers", () -> "remote");
        registry.add("payments.settlement.partitions", () -> "4");
        registry.add("payments.settlement.queue", () -> workers.queue);
        registry.add("payments.settlement.partition-timeout", () -> "PT5S");
        registry.add("RABBITMQ_HOST", () -> RemoteWorkers.HOST);
        registry.add("RABBITMQ_PORT", () -> RemoteWorkers.PORT);
    }

    private void sharedWorker() throws Exception {
        if (!sharedWorkerStarted) {
            RemoteWorkers.awaitListening(workers.start(dataSource, "remote-worker.log"), "remote-worker.log");
            sharedWorkerStarted = true;
        }
    }

    @Test
    @Order(1)
    void partitionsNoWorkerTakesFailTheJobWithAClearMessageAfterThePartitionTimeout() throws Exception {
        approve(merchant("BUSINESS", "0.03"), 10_000, DAY);

        assertThat(settle(DAY)).isEqualTo(BatchExitCode.FAILED);

        assertThat(db.fetchOne("select exit_message from batch_step_execution where step_name = 'stageSettlementLines'").get(0, String.class))
                .contains("4 partition(s) waited PT5S", "no worker took them", workers.queue);
        assertThat(db.fetch("select status, exit_message from batch_step_execution where step_name like 'stageMerchantRange:%'"))
                .hasSize(4).allSatisfy(partition -> {
                    assertThat(partition.get("status", String.class)).isEqualTo("FAILED");
                    assertThat(partition.get("exit_message", String.class)).contains("no worker took this partition within PT5S");
                });
        assertThat(db.fetchCount(SETTLEMENT_LINE)).isZero();
    }

    @Test
    @Order(2)
    void remoteWorkersWriteExactlyTheRowsOfLocalPartitions() throws Exception {
        SettlementDataSet data = new SettlementDataSet(DAY, 300, 4_000, 30);
        data.generate(dataSource);
        sharedWorker();

        assertThat(runner.run("settlementJob", List.of("date=" + DAY))).isEqualTo(BatchExitCode.COMPLETED);
        List<String> rowsOfRemote = SettlementDataSet.rowsWritten(db);
        assertThat(data.rowsDifferingFromTheSetBasedSettlement(dataSource)).isZero();
        assertThat(partitionStatuses("settleMerchantRange")).containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");

        DatabaseCleaner.clean(dataSource);
        data.generate(dataSource);
        Process local = JobProcesses.start(dataSource, "local-partitions-settlement.log", Map.of(),
                "--spring.batch.job.name=settlementJob", "date=" + DAY, "--payments.settlement.partitions=4",
                "--payments.settlement.report-directory=target/test-reports");
        assertThat(local.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(local.exitValue()).as("exit code, see target/local-partitions-settlement.log").isZero();

        assertThat(SettlementDataSet.rowsWritten(db)).isEqualTo(rowsOfRemote);
    }

    @Test
    @Order(3)
    void aWorkerKilledMidPartitionFailsThatPartitionAloneAndTheSameCommandAgainFinishesIt() throws Exception {
        SettlementDataSet data = new SettlementDataSet(DAY, 2_000, 12_000, 0);
        data.generate(dataSource);
        Process victim = workers.start(dataSource, "killed-worker.log");
        sharedWorker();
        RemoteWorkers.awaitListening(victim, "killed-worker.log");

        CompletableFuture<BatchExitCode> run = CompletableFuture.supplyAsync(() -> settle(DAY));
        long victimsPartition = settlingPartitionOf(Path.of("target", "killed-worker.log"));
        victim.destroyForcibly(); // SIGKILL, mid-partition
        victim.waitFor(30, TimeUnit.SECONDS);

        assertThat(run.get(3, TimeUnit.MINUTES)).isEqualTo(BatchExitCode.FAILED);
        assertThat(db.fetch("select step_execution_id, status, exit_message from batch_step_execution where step_name like 'settleMerchantRange:%'"))
                .hasSize(4).allSatisfy(partition -> {
                    if (partition.get("step_execution_id", Long.class) == victimsPartition) {
                        assertThat(partition.get("status", String.class)).isEqualTo("FAILED");
                        assertThat(partition.get("exit_message", String.class)).contains("the worker running this partition is gone");
                    } else {
                        assertThat(partition.get("status", String.class)).isEqualTo("COMPLETED");
                    }
                });
        int settledByTheFailedRun = db.fetchCount(SETTLEMENT);
        assertThat(settledByTheFailedRun).isBetween(1, data.merchants() - 1);

        assertThat(settle(DAY)).as("the same command again").isEqualTo(BatchExitCode.COMPLETED);

        assertThat(partitionStatuses("settleMerchantRange")).as("only the failed partition ran again")
                .containsExactlyInAnyOrder("COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "COMPLETED");
        assertThat(data.rowsDifferingFromTheSetBasedSettlement(dataSource)).isZero();
        assertThat(db.fetchCount(SETTLEMENT)).isEqualTo(data.merchants());
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.TYPE.eq("SETTLEMENT"))).isEqualTo(data.merchants());
        assertThat(db.fetchCount(PAYOUT, PAYOUT.REPORT_CSV_PATH.isNull())).as("every payout has its report").isZero();
    }

    /** Waits until the worker logging to {@code log} is settling a partition and has committed a chunk of it. */
    private long settlingPartitionOf(Path log) throws Exception {
        Pattern running = Pattern.compile("running settleMerchantRange:partition\\d+ \\(step execution (\\d+)\\)");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = running.matcher(Files.readString(log));
            while (matcher.find()) {
                long id = Long.parseLong(matcher.group(1));
                Integer commits = db.fetchValue("select commit_count from batch_step_execution where step_execution_id = ? and status = 'STARTED'", id)
                        instanceof Number n ? n.intValue() : null;
                if (commits != null && commits > 0) {
                    return id;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the worker never got to settling a partition, see " + log);
    }

    private List<String> partitionStatuses(String workerStep) {
        return db.fetch("select status from batch_step_execution where step_name like ? order by step_execution_id", workerStep + ":%")
                .getValues(0, String.class);
    }

    private BatchExitCode settle(LocalDate date) {
        try {
            return runner.run("settlementJob", List.of("date=" + date));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
