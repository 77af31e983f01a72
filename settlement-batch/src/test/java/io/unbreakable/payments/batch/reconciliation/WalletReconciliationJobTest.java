package io.unbreakable.payments.batch.reconciliation;

import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.RECONCILIATION_DISCREPANCY;
import static io.unbreakable.payments.db.jooq.Tables.WALLET;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.db.jooq.tables.records.ReconciliationDiscrepancyRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletReconciliationJobTest extends BatchTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Test
    void findsNothingWhenEverythingAddsUp() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        long payment = approve(seller, 50_000, MONDAY);
        cancel(payment, 10_000, MONDAY);
        assertThat(runner.run("settlementJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(runner.run("walletReconciliationJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(db.fetchCount(RECONCILIATION_DISCREPANCY)).isZero();
    }

    @Test
    void reportsAWalletThatDriftedAndExitsNonZeroWithoutFixingIt() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        approve(seller, 50_000, MONDAY);
        db.update(WALLET).set(WALLET.BALANCE, 49_000L).where(WALLET.MERCHANT_ID.eq(seller)).execute(); // a bug, injected

        assertThat(runner.run("walletReconciliationJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.DISCREPANCIES_FOUND);

        ReconciliationDiscrepancyRecord found = db.selectFrom(RECONCILIATION_DISCREPANCY).fetchSingle();
        assertThat(found.getKind()).isEqualTo("WALLET_LEDGER_MISMATCH");
        assertThat(found.getExpectedAmount()).isEqualTo(50_000);
        assertThat(found.getActualAmount()).isEqualTo(49_000);
        assertThat(wallet(seller)).as("reported, not fixed").isEqualTo(49_000);
        // a second run checks again (every run is its own instance) and finds it again
        assertThat(runner.run("walletReconciliationJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.DISCREPANCIES_FOUND);
        db.update(WALLET).set(WALLET.BALANCE, 50_000L).where(WALLET.MERCHANT_ID.eq(seller)).execute();
    }

    @Test
    void reportsAPaymentWhoseLedgerDoesNotMatchItsCancels() throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        long payment = approve(seller, 50_000, MONDAY);
        // a cancel recorded without its ledger posting (what the one posting entry point prevents)
        db.insertInto(PAYMENT_CANCEL).set(PAYMENT_CANCEL.PAYMENT_ID, payment).set(PAYMENT_CANCEL.STATUS, "DONE")
                .set(PAYMENT_CANCEL.CANCEL_AMOUNT, 5_000L).set(PAYMENT_CANCEL.CANCEL_REASON, "x")
                .set(PAYMENT_CANCEL.CANCELED_AT, MONDAY.atTime(13, 0).atZone(SEOUL).toOffsetDateTime()).execute();

        assertThat(runner.run("walletReconciliationJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.DISCREPANCIES_FOUND);

        ReconciliationDiscrepancyRecord found = db.selectFrom(RECONCILIATION_DISCREPANCY).fetchSingle();
        assertThat(found.getKind()).isEqualTo("PAYMENT_LEDGER_MISMATCH");
        assertThat(found.getExpectedAmount()).isEqualTo(45_000);
        assertThat(found.getActualAmount()).isEqualTo(50_000);
    }

    @Test
    void comparesTransactionsAndFeesWithThePgSettlementFile(@TempDir Path directory) throws Exception {
        long seller = merchant("BUSINESS", "0.03");
        long matching = approve(seller, 10_000, MONDAY);
        long wrongFee = approve(seller, 20_000, MONDAY);
        approve(seller, 30_000, MONDAY); // missing from the PG's file
        String key1 = db.select(PAYMENT.PAYMENT_KEY).from(PAYMENT).where(PAYMENT.ID.eq(matching)).fetchSingle(PAYMENT.PAYMENT_KEY);
        String key2 = db.select(PAYMENT.PAYMENT_KEY).from(PAYMENT).where(PAYMENT.ID.eq(wrongFee)).fetchSingle(PAYMENT.PAYMENT_KEY);
        Path file = directory.resolve("pg-2026-11-23.csv");
        Files.writeString(file, "\uFEFFtransaction_type,transaction_reference,amount,pg_fee\n"
                + "APPROVAL," + key1 + ",10000,200\n"
                + "APPROVAL," + key2 + ",20000,450\n"
                + "APPROVAL,pk_unknown_to_us,7000,140\n");

        assertThat(runner.run("walletReconciliationJob", List.of("date=" + MONDAY, "pgSettlementFile=" + file)))
                .isEqualTo(BatchExitCode.DISCREPANCIES_FOUND);

        assertThat(db.select(RECONCILIATION_DISCREPANCY.KIND).from(RECONCILIATION_DISCREPANCY).fetch(RECONCILIATION_DISCREPANCY.KIND))
                .containsExactlyInAnyOrder("PG_FEE_MISMATCH", "MISSING_HERE", "MISSING_AT_PG");
    }
}
