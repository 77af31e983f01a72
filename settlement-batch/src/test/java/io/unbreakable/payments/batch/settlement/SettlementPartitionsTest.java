package io.unbreakable.payments.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.batch.settlement.MerchantRangePartitioner.MerchantLines;
import io.unbreakable.payments.db.test.DatabaseCleaner;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The settlement cut into four partitions on local threads, against the same job with one partition. */
@TestPropertySource(properties = "payments.settlement.partitions=4")
class SettlementPartitionsTest extends BatchTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    /** 400 merchants, the first of them a big seller with half of the 6,000 payments. */
    static final SettlementDataSet DATA = new SettlementDataSet(DAY, 400, 6_000, 50);

    @Autowired
    SettlementRepository settlements;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void aSellerWithHalfTheDaysLinesGetsAPartitionOfItsOwnAndTheOthersShareTheRest() throws Exception {
        DATA.generate(dataSource);
        List<MerchantLines> merchants = settlements.linesByMerchant(DAY);
        MerchantLines big = merchants.stream().max(java.util.Comparator.comparingLong(MerchantLines::lines)).orElseThrow();
        long total = merchants.stream().mapToLong(MerchantLines::lines).sum();
        assertThat(big.lines()).as("the big seller's lines").isBetween(total / 2, total / 2 + total / 50);

        List<MerchantRange> ranges = MerchantRangePartitioner.balance(merchants, 4);

        assertThat(ranges).hasSize(4);
        MerchantRange own = ranges.stream().filter(range -> range.from() <= big.merchantId() && big.merchantId() < range.to())
                .findFirst().orElseThrow();
        assertThat(linesIn(merchants, own)).as("the big seller alone").isEqualTo(big.lines());
        long share = (total - big.lines()) / 3;
        assertThat(ranges).filteredOn(range -> range != own).extracting(range -> linesIn(merchants, range))
                .allSatisfy(lines -> assertThat(lines).isBetween(share * 9 / 10, share * 11 / 10));
    }

    @Test
    void localPartitionsNeedNoBroker() {
        assertThat(context.getBeansOfType(org.springframework.amqp.rabbit.connection.ConnectionFactory.class))
                .as("nothing that could connect to RabbitMQ").isEmpty();
        assertThat(context.getBeansOfType(org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer.class)).isEmpty();
    }

    @Test
    void fourPartitionsWriteExactlyTheRowsOfOnePartition() throws Exception {
        DATA.generate(dataSource);
        Process onePartition = JobProcesses.start(dataSource, "one-partition-settlement.log", Map.of(),
                "--spring.batch.job.name=settlementJob", "date=" + DAY, "--payments.settlement.partitions=1",
                "--payments.settlement.report-directory=target/test-reports");
        assertThat(onePartition.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(onePartition.exitValue()).as("exit code, see target/one-partition-settlement.log").isZero();
        List<String> rowsOfOnePartition = SettlementDataSet.rowsWritten(db);
        assertThat(DATA.rowsDifferingFromTheSetBasedSettlement(dataSource)).isZero();

        DatabaseCleaner.clean(dataSource);
        DATA.generate(dataSource);
        assertThat(runner.run("settlementJob", List.of("date=" + DAY))).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(SettlementDataSet.rowsWritten(db)).isEqualTo(rowsOfOnePartition);
        assertThat(db.fetch("select status from batch_step_execution where step_name like 'settleMerchantRange:%'")
                .getValues(0, String.class)).as("four partitions settled").containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");
    }

    private static long linesIn(List<MerchantLines> merchants, MerchantRange range) {
        return merchants.stream().filter(m -> range.from() <= m.merchantId() && m.merchantId() < range.to())
                .mapToLong(MerchantLines::lines).sum();
    }
}
