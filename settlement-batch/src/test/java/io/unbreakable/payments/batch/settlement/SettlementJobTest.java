package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT_LINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.db.jooq.tables.records.PayoutRecord;
import io.unbreakable.payments.db.jooq.tables.records.SettlementRecord;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SettlementJobTest extends BatchTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Autowired
    SettlementProperties properties;

    @Autowired
    PayoutReports payoutReports;

    @Autowired
    WebhookOutbox webhooks;

    private BatchExitCode settle(LocalDate date) throws Exception {
        return runner.run("settlementJob", List.of("date=" + date));
    }

    private SettlementRecord settlementOf(long merchantId, LocalDate date) {
        return db.selectFrom(SETTLEMENT).where(SETTLEMENT.MERCHANT_ID.eq(merchantId)).and(SETTLEMENT.SALES_DATE.eq(date)).fetchSingle();
    }

    @Test
    void settlesABusinessSellersDayWithFeeAndVatAndPaysTheNextBusinessDay() throws Exception {
        long seller = merchant("BUSINESS", "0.033");
        approve(seller, 60_000, MONDAY);
        approve(seller, 40_000, MONDAY);
        approve(seller, 5_000, MONDAY.plusDays(1)); // Tuesday's sale: not Monday's settlement

        assertThat(settle(MONDAY)).isEqualTo(BatchExitCode.COMPLETED);

        SettlementRecord settlement = settlementOf(seller, MONDAY);
        assertThat(settlement.getApprovalCount()).isEqualTo(2);
        assertThat(settlement.getSalesAmount()).isEqualTo(100_000);
        assertThat(settlement.getFee()).isEqualTo(3_300);
        assertThat(settlement.getFeeVat()).isEqualTo(330);
        assertThat(settlement.getWithholding()).isZero();
        assertThat(settlement.getPayoutAmount()).isEqualTo(96_370);
        assertThat(settlement.getPayoutDate()).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(db.fetchCount(SETTLEMENT_LINE, SETTLEMENT_LINE.SALES_DATE.eq(MONDAY).and(SETTLEMENT_LINE.MERCHANT_ID.eq(seller)))).isEqualTo(2);
        assertThat(db.selectFrom(PAYOUT).fetchSingle().getAmount()).isEqualTo(96_370);
        // the wallet keeps only the unsettled Tuesday sale
        assertThat(wallet(seller)).isEqualTo(5_000);
    }

    @Test
    void withholdsFromAnIndividualSellerAboveTheThresholdOnly() throws Exception {
        long above = merchant("INDIVIDUAL", "0.033");
        long below = merchant("INDIVIDUAL", "0.033");
        approve(above, 1_000_000, MONDAY);
        approve(below, 30_000, MONDAY);

        settle(MONDAY);

        SettlementRecord large = settlementOf(above, MONDAY);
        assertThat(large.getWithholdingIncomeTax()).isEqualTo(28_910);
        assertThat(large.getWithholdingLocalTax()).isEqualTo(2_890);
        assertThat(large.getPayoutAmount()).isEqualTo(931_900);
        SettlementRecord small = settlementOf(below, MONDAY);
        assertThat(small.getWithholding()).isZero();
        assertThat(small.getPayoutAmount()).isEqualTo(28_911);
        assertThat(wallet(above)).isZero();
        assertThat(wallet(below)).isZero();
    }

    @Test
    void carriesARefundHeavyDayToTheNextSettlementAndNeverLosesIt() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        LocalDate tuesday = MONDAY.plusDays(1);
        LocalDate wednesday = MONDAY.plusDays(2);
        long big = approve(seller, 50_000, MONDAY);
        settle(MONDAY);
        assertThat(settlementOf(seller, MONDAY).getPayoutAmount()).isEqualTo(48_350);

        cancel(big, 50_000, tuesday);     // refunded after it was paid out
        approve(seller, 10_000, tuesday);
        settle(tuesday);

        SettlementRecord refundDay = settlementOf(seller, tuesday);
        assertThat(refundDay.getSalesAmount()).isEqualTo(-40_000);
        assertThat(refundDay.getFee()).isEqualTo(-1_200);
        assertThat(refundDay.getFeeVat()).isEqualTo(-120);
        assertThat(refundDay.getPayoutAmount()).isZero();
        assertThat(refundDay.getCarriedOutAmount()).isEqualTo(-38_680);
        assertThat(wallet(seller)).as("the wallet is what the seller owes").isEqualTo(-38_680);

        approve(seller, 100_000, wednesday);
        settle(wednesday);

        SettlementRecord next = settlementOf(seller, wednesday);
        assertThat(next.getCarriedInAmount()).isEqualTo(-38_680);
        assertThat(next.getPayoutAmount()).isEqualTo(58_020);
        assertThat(next.getCarriedOutAmount()).isZero();
        assertThat(wallet(seller)).isZero();
        assertThat(db.fetchCount(PAYOUT)).as("no payout on the refund-heavy day").isEqualTo(2);
    }

    @Test
    void paysFridaySalesOnMondayAndHolidayEveSalesAfterTheHolidays() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        LocalDate friday = LocalDate.of(2026, 11, 27);
        LocalDate chuseokEve = LocalDate.of(2026, 9, 23);   // 9/24-25 추석, 9/26-27 weekend
        LocalDate christmasEve = LocalDate.of(2026, 12, 24);
        approve(seller, 10_000, friday);
        approve(seller, 10_000, chuseokEve);
        approve(seller, 10_000, christmasEve);

        settle(chuseokEve);
        settle(friday);
        settle(christmasEve);

        assertThat(settlementOf(seller, friday).getPayoutDate()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(settlementOf(seller, chuseokEve).getPayoutDate()).isEqualTo(LocalDate.of(2026, 9, 28));
        assertThat(settlementOf(seller, christmasEve).getPayoutDate()).isEqualTo(LocalDate.of(2026, 12, 28));
    }

    @Test
    void aRerunOfACompletedDateChangesNothing() throws Exception {
        long seller = merchant("INDIVIDUAL", "0.033");
        approve(seller, 1_000_000, MONDAY);
        settle(MONDAY);
        List<SettlementRecord> before = db.selectFrom(SETTLEMENT).fetch();
        int postings = db.fetchCount(LEDGER_TRANSACTION);

        assertThat(settle(MONDAY)).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(db.selectFrom(SETTLEMENT).fetch()).isEqualTo(before);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isEqualTo(postings);
        assertThat(db.fetchCount(PAYOUT)).isEqualTo(1);
    }

    @Test
    void aRunWhileAnotherLiveRunHoldsTheLockIsSkippedWithItsOwnExitCode() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        approve(seller, 10_000, MONDAY);
        try (Connection otherRun = dataSource.getConnection()) {
            // what a live run on another host holds: its ShedLock row and its session's advisory lock
            holdShedLock("settlementJob:" + MONDAY);
            otherRun.createStatement().execute("select pg_advisory_lock(x'5550'::int, hashtext('settlementJob:" + MONDAY + "'))");

            assertThat(settle(MONDAY)).isEqualTo(BatchExitCode.LOCKED);
        }
        assertThat(db.fetchCount(SETTLEMENT)).isZero();
    }

    @Test
    void theLockOfARunThatDiedIsReleasedInsteadOfWaitedOut() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        approve(seller, 10_000, MONDAY);
        holdShedLock("settlementJob:" + MONDAY); // its session is gone: no advisory lock

        assertThat(settle(MONDAY)).isEqualTo(BatchExitCode.COMPLETED);
        assertThat(db.fetchCount(SETTLEMENT)).isEqualTo(1);
    }

    private void holdShedLock(String name) {
        db.execute("""
                insert into shedlock (name, lock_until, locked_at, locked_by) values (?, now() + interval '2 hours', now(), 'other-host')
                on conflict (name) do update set lock_until = excluded.lock_until, locked_by = excluded.locked_by
                """, name);
    }

    @Test
    void twoConcurrentLaunchesSettleOnce() throws Exception {
        for (int i = 0; i < 50; i++) {
            approve(merchant("BUSINESS", "0.03"), 10_000 + i, MONDAY);
        }

        CompletableFuture<BatchExitCode> first = CompletableFuture.supplyAsync(() -> settleQuietly(MONDAY));
        CompletableFuture<BatchExitCode> second = CompletableFuture.supplyAsync(() -> settleQuietly(MONDAY));

        assertThat(List.of(first.get(), second.get())).containsAnyOf(BatchExitCode.COMPLETED)
                .allSatisfy(code -> assertThat(code).isIn(BatchExitCode.COMPLETED, BatchExitCode.LOCKED));
        assertThat(db.fetchCount(SETTLEMENT)).isEqualTo(50);
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.TYPE.eq("SETTLEMENT"))).isEqualTo(50);
        assertThat(db.fetchCount(PAYOUT)).isEqualTo(50);
    }

    @Test
    void aLateApprovalOfAnEarlierDayIsSettledOnceWithTheNextDate() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        approve(seller, 10_000, MONDAY);
        settle(MONDAY);
        approve(seller, 20_000, MONDAY); // an UNKNOWN payment of Monday, settled by the PG inquiry on Tuesday
        LocalDate tuesday = MONDAY.plusDays(1);

        settle(tuesday);

        assertThat(settlementOf(seller, tuesday).getSalesAmount()).isEqualTo(20_000);
        assertThat(db.fetchCount(SETTLEMENT_LINE)).isEqualTo(2);
        assertThat(wallet(seller)).isZero();
    }

    @Test
    void aDaySettledAfterALaterDayThatTookOneOfItsPaymentsAsLateStagesTheRestOnce() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        long other = merchant("BUSINESS", "0.03");
        approve(seller, 10_000, MONDAY); // recorded after Monday ended: Tuesday's run takes it as a late outcome
        LocalDate tuesday = MONDAY.plusDays(1);
        settle(tuesday);
        approve(other, 30_000, MONDAY);

        assertThat(settle(MONDAY)).as("Monday's own rows meet the line Tuesday staged").isEqualTo(BatchExitCode.COMPLETED);

        assertThat(settlementOf(seller, tuesday).getSalesAmount()).isEqualTo(10_000);
        assertThat(settlementOf(other, MONDAY).getSalesAmount()).isEqualTo(30_000);
        assertThat(db.fetchCount(SETTLEMENT, SETTLEMENT.MERCHANT_ID.eq(seller))).as("the payment settled once").isEqualTo(1);
        assertThat(db.fetchCount(SETTLEMENT_LINE)).isEqualTo(2);
        assertThat(wallet(seller)).isZero();
        assertThat(wallet(other)).isZero();
    }

    @Test
    void writesAPayoutReportAsExcelReadyCsvAndReadableHtml() throws Exception {
        long seller = merchant("INDIVIDUAL", "0.033");
        long payment = approve(seller, 1_000_000, MONDAY);
        approve(seller, 50_000, MONDAY);
        cancel(payment, 20_000, MONDAY);
        tx.executeWithoutResult(status -> db.update(MERCHANT).set(MERCHANT.NAME, "빵집 <Café> & 🍞").where(MERCHANT.ID.eq(seller)).execute());

        settle(MONDAY);

        PayoutRecord payout = db.selectFrom(PAYOUT).fetchSingle();
        assertThat(payout.getAccountNumber()).as("the payout keeps the account encrypted, as the merchant row has it")
                .doesNotContain("456789").startsWith("v1:");
        assertThat(cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, payout.getAccountNumber())).isEqualTo(PAYOUT_ACCOUNT_NUMBER);
        assertThat(Files.readString(properties.reportDirectory().resolve(payout.getReportCsvPath()), StandardCharsets.UTF_8)
                + Files.readString(properties.reportDirectory().resolve(payout.getReportHtmlPath()), StandardCharsets.UTF_8))
                .as("no account number in the reports").doesNotContain("456789");
        Path csv = properties.reportDirectory().resolve(payout.getReportCsvPath());
        Path html = properties.reportDirectory().resolve(payout.getReportHtmlPath());
        byte[] bytes = Files.readAllBytes(csv);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF); // UTF-8 BOM: Excel shows the Korean
        List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).substring(1).split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("거래일시,구분,주문번호,결제키,금액,수수료율");
        assertThat(lines.subList(1, 4)).anySatisfy(line -> assertThat(line).contains(",취소,").endsWith(",-20000,0.033"));
        assertThat(lines.subList(1, 4)).as("Seoul time to the second, kind, orderId, paymentKey, won, rate")
                .anySatisfy(line -> assertThat(line).matches("2026-11-23 12:00:00,승인,order-\\d+,pk_\\d+,(1000000|50000),0\\.033"));
        assertThat(lines).contains("매출합계 (sales),1030000", "지급액 (payout)," + payout.getAmount());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).contains("정산 내역서", "빵집 &lt;Café&gt; &amp; 🍞", "₩" + String.format("%,d", payout.getAmount()), "(3건)");
        assertThat(page).as("a row per transaction: time, kind, orderId, paymentKey, won")
                .containsPattern("<tr><td>2026-11-23 12:00:00<td>취소<td>order-\\d+<td>pk_\\d+<td>-₩20,000(\n|</tbody>)")
                .containsPattern("<tr><td>2026-11-23 12:00:00<td>승인<td>order-\\d+<td>pk_\\d+<td>₩1,000,000(\n|</tbody>)")
                .containsPattern("<tr><td>2026-11-23 12:00:00<td>승인<td>order-\\d+<td>pk_\\d+<td>₩50,000(\n|</tbody>)");
    }

    @Test
    void aReportHoldsItsOwnSellersLinesWhateverPageItIsWrittenIn() throws Exception {
        List<Long> sellers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sellers.add(merchant("BUSINESS", "0.03"));
            approve(sellers.get(i), 10_000L * (i + 1), MONDAY);
        }
        settle(MONDAY);

        // neighbours (one index range, the seller between them skipped) and scattered (looked up one by one)
        for (List<Integer> page : List.of(List.of(0, 2), List.of(1, 5))) {
            List<Long> payoutIds = page.stream().map(i -> db.select(PAYOUT.ID).from(PAYOUT)
                    .where(PAYOUT.MERCHANT_ID.eq(sellers.get(i))).fetchSingle(PAYOUT.ID)).toList();
            tx.executeWithoutResult(status -> payoutReports.write(payoutIds));
            for (int i : page) {
                PayoutRecord payout = db.selectFrom(PAYOUT).where(PAYOUT.MERCHANT_ID.eq(sellers.get(i))).fetchSingle();
                List<String> lines = Files.readAllLines(properties.reportDirectory().resolve(payout.getReportCsvPath()));
                assertThat(lines.subList(1, lines.indexOf(""))).as("seller %d's transactions", i)
                        .singleElement().asString().contains(",승인,").endsWith("," + 10_000L * (i + 1) + ",0.03");
            }
        }
    }

    @Test
    void streamsASellerWithMoreLinesThanOneFetchIntoItsReportWholeAndInTimeOrder() throws Exception {
        long many = merchant("BUSINESS", "0.03");
        long neighbour = merchant("BUSINESS", "0.03");
        List<Long> amounts = new ArrayList<>();
        OffsetDateTime nine = MONDAY.atTime(9, 0).atZone(SEOUL).toOffsetDateTime();
        for (int i = 23; i >= 1; i--) { // written latest first: the report's order is the transactions' time
            long payment = approve(many, 1_000L * i, MONDAY);
            OffsetDateTime approvedAt = nine.plusMinutes(i);
            tx.executeWithoutResult(status -> db.update(PAYMENT).set(PAYMENT.APPROVED_AT, approvedAt).where(PAYMENT.ID.eq(payment)).execute());
            if (i % 10 == 0) {
                long cancel = cancel(payment, 500, MONDAY);
                tx.executeWithoutResult(status -> db.update(PAYMENT_CANCEL).set(PAYMENT_CANCEL.CANCELED_AT, approvedAt.plusSeconds(30))
                        .where(PAYMENT_CANCEL.ID.eq(cancel)).execute());
            }
        }
        for (int i = 1; i <= 23; i++) {
            amounts.add(1_000L * i);
            if (i % 10 == 0) {
                amounts.add(-500L);
            }
        }
        approve(neighbour, 7_000, MONDAY);
        approve(neighbour, 8_000, MONDAY);
        settle(MONDAY);
        List<PayoutRecord> payouts = db.selectFrom(PAYOUT).orderBy(PAYOUT.MERCHANT_ID).fetch();
        Map<Path, byte[]> writtenByTheJob = new HashMap<>();
        for (PayoutRecord payout : payouts) {
            for (String report : List.of(payout.getReportCsvPath(), payout.getReportHtmlPath())) {
                Path file = properties.reportDirectory().resolve(report);
                writtenByTheJob.put(file, Files.readAllBytes(file));
                Files.delete(file);
            }
        }

        // 4 lines a fetch: the seller's 25 lines take 7 fetches, and two of them hold the neighbour's first lines too
        PayoutReports fewLinesAFetch = new PayoutReports(db, properties.reportDirectory(), new Pacing(0), webhooks, 4);
        tx.executeWithoutResult(status -> fewLinesAFetch.write(payouts.stream().map(PayoutRecord::getId).toList()));

        writtenByTheJob.forEach((file, bytes) -> assertThat(file).as("the same bytes as the job's reports").hasBinaryContent(bytes));
        List<String> csv = Files.readAllLines(properties.reportDirectory().resolve(payouts.get(0).getReportCsvPath()));
        assertThat(csv.subList(1, csv.indexOf("")).stream().map(line -> Long.parseLong(line.split(",")[4])).toList())
                .as("every line of the seller, in time order").isEqualTo(amounts);
        assertThat(Files.readString(properties.reportDirectory().resolve(payouts.get(0).getReportHtmlPath()))).contains("(25건)");
        List<String> neighbours = Files.readAllLines(properties.reportDirectory().resolve(payouts.get(1).getReportCsvPath()));
        assertThat(neighbours.subList(1, neighbours.indexOf(""))).hasSize(2);
    }

    private BatchExitCode settleQuietly(LocalDate date) {
        try {
            return settle(date);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
