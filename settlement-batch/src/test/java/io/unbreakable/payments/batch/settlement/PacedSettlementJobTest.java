package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT_LINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The job paced for a run beside live payments: one partition (one connection), lines staged in more slices than partitions, pauses. */
@TestPropertySource(properties = {
        "payments.settlement.partitions=1", "payments.settlement.staging-slices=4", "payments.settlement.pause-ratio=0.5"})
class PacedSettlementJobTest extends BatchTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Autowired
    SettlementProperties properties;

    @Autowired
    Pacing pacing;

    @Test
    void stagesEveryLineOnceAcrossMoreSlicesThanPartitionsAndSettlesEverySeller() throws Exception {
        List<Long> sellers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long seller = merchant("BUSINESS", "0.03");
            sellers.add(seller);
            approve(seller, 10_000L * (i + 1), MONDAY);
            cancel(approve(seller, 1_000, MONDAY), 1_000, MONDAY);
        }

        assertThat(properties.stagingSlices()).isEqualTo(4);
        assertThat(runner.run("settlementJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(db.fetchCount(SETTLEMENT_LINE, SETTLEMENT_LINE.SALES_DATE.eq(MONDAY))).isEqualTo(7 * 3);
        for (int i = 0; i < sellers.size(); i++) {
            long sales = 10_000L * (i + 1);
            assertThat(db.select(SETTLEMENT.SALES_AMOUNT).from(SETTLEMENT).where(SETTLEMENT.MERCHANT_ID.eq(sellers.get(i)))
                    .fetchSingle(SETTLEMENT.SALES_AMOUNT)).as("seller %d", i).isEqualTo(sales);
        }
        assertThat(db.fetchCount(PAYOUT, PAYOUT.REPORT_CSV_PATH.isNotNull().and(PAYOUT.REPORT_HTML_PATH.isNotNull()))).isEqualTo(7);
    }

    @Test
    void pausesOnceItsTransactionHasEndedForHalfTheTimeItTook() {
        long[] workDoneAt = new long[1];
        tx.executeWithoutResult(status -> {
            pacing.pauseAfterTransaction();
            sleep(200);
            workDoneAt[0] = System.nanoTime();
        });
        // pause-ratio 0.5 of a transaction that took at least 200 ms
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - workDoneAt[0])).isGreaterThanOrEqualTo(100L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
