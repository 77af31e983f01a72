package io.unbreakable.payments.batch.payout;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.payout.BankTransferFile;
import io.unbreakable.payments.payout.PayoutStatus;
import io.unbreakable.payments.pgsim.PgSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The bank-file gateway's round trip: payoutJob marks the due payouts REQUESTED into the day's transfer
 * file and writes it; payoutResultJob applies the bank's result file, all of it or, when anything in it
 * does not match, none of it.
 */
@TestPropertySource(properties = "payments.payout.gateway=bank-file")
class BankFilePayoutTest extends BatchTest {

    static final LocalDate SALES_DATE = LocalDate.parse("2026-11-24");
    static final LocalDate PAYOUT_DATE = LocalDate.parse("2026-11-25");
    static final Path TRANSFERS = Path.of("target/test-transfers");

    @Autowired
    PgSimulator simulator;

    long first;
    long second;
    long firstPayout;
    long secondPayout;

    @BeforeEach
    void twoSettledSellers() throws Exception {
        simulator.reset();
        first = merchant("BUSINESS", "0");
        second = merchant("BUSINESS", "0");
        approve(first, 50_000, SALES_DATE);
        approve(second, 70_000, SALES_DATE);
        assertThat(runner.run("settlementJob", List.of("date=" + SALES_DATE))).isEqualTo(BatchExitCode.COMPLETED);
        firstPayout = payoutId(first);
        secondPayout = payoutId(second);
    }

    long payoutId(long merchantId) {
        return db.select(PAYOUT.ID).from(PAYOUT).where(PAYOUT.MERCHANT_ID.eq(merchantId)).fetchSingle(PAYOUT.ID);
    }

    String status(long payoutId) {
        return db.select(PAYOUT.STATUS).from(PAYOUT).where(PAYOUT.ID.eq(payoutId)).fetchSingle(PAYOUT.STATUS);
    }

    BatchExitCode importResults(String content) throws Exception {
        Path file = Files.createTempFile("payout-results", ".csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return runner.run("payoutResultJob", List.of("file=" + file));
    }

    @Test
    void theTransferFileListsTheDuePayoutsAndTheResultFileSettlesThem() throws Exception {
        assertThat(runner.run("payoutJob", List.of("date=" + PAYOUT_DATE))).isEqualTo(BatchExitCode.COMPLETED);

        String transfer = Files.readString(TRANSFERS.resolve("transfer-2026-11-25.csv"), StandardCharsets.UTF_8);
        String[] lines = transfer.split("\n");
        assertThat(lines[0]).isEqualTo(BankTransferFile.TRANSFER_HEADER);
        String firstLine = "088,110123456789,홍길동,50000,UP정산 " + firstPayout + "," + firstPayout;
        String secondLine = "088,110123456789,홍길동,70000,UP정산 " + secondPayout + "," + secondPayout;
        // in payout id order; the settlement's partitions run side by side, so either seller's payout may have the lower id
        assertThat(List.of(lines[1], lines[2])).isEqualTo(firstPayout < secondPayout ? List.of(firstLine, secondLine) : List.of(secondLine, firstLine));
        assertThat(lines[3]).startsWith("TRAILER,2,120000,").hasSize("TRAILER,2,120000,".length() + 64);
        assertThat(status(firstPayout)).isEqualTo("REQUESTED");
        assertThat(simulator.stats().get("payoutRequests")).as("no PG transfer").isZero();

        String results = BankTransferFile.renderResults(List.of(
                new BankTransferFile.Result(firstPayout, PayoutStatus.PAID, 50_000, null, null),
                new BankTransferFile.Result(secondPayout, PayoutStatus.FAILED, 70_000, "CLOSED_ACCOUNT", "해지된 계좌, 확인 요망")));
        assertThat(importResults(results)).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(status(firstPayout)).isEqualTo("PAID");
        assertThat(status(secondPayout)).isEqualTo("FAILED");
        assertThat(db.select(PAYOUT.STATUS_MESSAGE).from(PAYOUT).where(PAYOUT.ID.eq(secondPayout)).fetchSingle(PAYOUT.STATUS_MESSAGE))
                .isEqualTo("해지된 계좌, 확인 요망");
        assertThat(wallet(second)).isEqualTo(70_000);
        long entries = db.fetchCount(LEDGER_ENTRY);
        assertThat(importResults(results)).as("the same file again").isEqualTo(BatchExitCode.COMPLETED);
        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(entries);
    }

    @Test
    void aResultFileForUnknownPayoutsOrWithWrongTotalsOrAChangedByteIsRefusedWholeAndChangesNothing() throws Exception {
        runner.run("payoutJob", List.of("date=" + PAYOUT_DATE));
        long entries = db.fetchCount(LEDGER_ENTRY);
        String good = BankTransferFile.renderResults(List.of(new BankTransferFile.Result(firstPayout, PayoutStatus.PAID, 50_000, null, null),
                new BankTransferFile.Result(secondPayout, PayoutStatus.PAID, 70_000, null, null)));

        String unknownPayout = BankTransferFile.renderResults(List.of(new BankTransferFile.Result(firstPayout, PayoutStatus.PAID, 50_000, null, null),
                new BankTransferFile.Result(99_999, PayoutStatus.PAID, 1_000, null, null)));
        String wrongAmount = BankTransferFile.renderResults(List.of(new BankTransferFile.Result(firstPayout, PayoutStatus.PAID, 50_001, null, null)));
        String wrongTotal = good.replace("TRAILER,2,120000,", "TRAILER,2,120001,");
        String changed = good.replace(firstPayout + ",PAID,50000", firstPayout + ",PAID,50000 ");
        String truncated = good.substring(0, good.indexOf("TRAILER"));
        for (String bad : List.of(unknownPayout, wrongAmount, wrongTotal, changed, truncated)) {
            assertThat(importResults(bad)).isEqualTo(BatchExitCode.FAILED);
        }

        assertThat(status(firstPayout)).isEqualTo("REQUESTED");
        assertThat(status(secondPayout)).isEqualTo("REQUESTED");
        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(entries);
        assertThat(runner.run("payoutResultJob", List.of())).as("no file= at all").isEqualTo(BatchExitCode.FAILED);
        assertThat(importResults(good)).isEqualTo(BatchExitCode.COMPLETED);
        assertThat(status(secondPayout)).isEqualTo("PAID");
    }

    @Test
    void parsingRefusesALineWithoutAReasonForAFailureAndARepeatedPayout() {
        String failedWithoutReason = BankTransferFile.renderResults(List.of(new BankTransferFile.Result(1, PayoutStatus.FAILED, 10, null, null)));
        assertThatThrownBy(() -> BankTransferFile.parseResults(failedWithoutReason)).hasMessageContaining("line 2").hasMessageContaining("reason_code");
        String twice = BankTransferFile.renderResults(List.of(new BankTransferFile.Result(1, PayoutStatus.PAID, 10, null, null),
                new BankTransferFile.Result(1, PayoutStatus.PAID, 10, null, null)));
        assertThatThrownBy(() -> BankTransferFile.parseResults(twice)).hasMessageContaining("appears twice");
    }
}
