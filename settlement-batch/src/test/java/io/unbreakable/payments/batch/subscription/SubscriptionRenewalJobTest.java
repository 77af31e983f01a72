package io.unbreakable.payments.batch.subscription;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION_CHARGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.db.jooq.tables.records.SubscriptionRecord;
import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.subscription.BillingInterval;
import io.unbreakable.payments.subscription.ChargeOutcome;
import io.unbreakable.payments.subscription.SubscriptionCharger;
import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * subscriptionRenewalJob against the PG simulator over HTTP: once per cycle whatever happens (rerun,
 * concurrent runs, a crash on either side of the PG call, a lost answer), the retry schedule and
 * suspension, month-end anchors, cancel at period end. Ledger invariants are checked after each test.
 */
class SubscriptionRenewalJobTest extends BatchTest {

    private static final String JOB = "subscriptionRenewalJob";

    @Autowired
    PgSimulator simulator;

    @Autowired
    SubscriptionCharger charger;

    long merchantId;

    @BeforeEach
    void freshPg() {
        simulator.reset();
        merchantId = merchant("BUSINESS", "0.033");
    }

    private BatchExitCode runAt(String seoulTime) throws Exception {
        return runner.run(JOB, List.of("runAt=" + seoulTime));
    }

    private SubscriptionRecord row(long id) {
        return db.selectFrom(SUBSCRIPTION).where(SUBSCRIPTION.ID.eq(id)).fetchSingle();
    }

    private String billingKeyOf(long subscriptionId) {
        return db.select(BILLING_KEY.BILLING_KEY_).from(BILLING_KEY).join(SUBSCRIPTION).on(SUBSCRIPTION.BILLING_KEY_ID.eq(BILLING_KEY.ID))
                .where(SUBSCRIPTION.ID.eq(subscriptionId)).fetchSingle(BILLING_KEY.BILLING_KEY_);
    }

    private int payments(long subscriptionId) {
        return db.fetchCount(PAYMENT, PAYMENT.SUBSCRIPTION_ID.eq(subscriptionId).and(PAYMENT.STATUS.eq("DONE")));
    }

    @Test
    void monthEndAnchorsRenewOncePerCycleHoweverOftenTheJobRuns() throws Exception {
        long id = subscription(merchantId, "customer-1", 9_900, BillingInterval.MONTHLY, LocalDate.of(2026, 1, 31), 1);
        assertThat(row(id).getNextBillingDate()).isEqualTo(LocalDate.of(2026, 2, 28));

        assertThat(runAt("2026-02-27T23:59")).as("not due yet").isEqualTo(BatchExitCode.COMPLETED);
        assertThat(simulator.approvals()).isZero();

        assertThat(runAt("2026-02-28T09:00")).isEqualTo(BatchExitCode.COMPLETED);
        assertThat(runAt("2026-02-28T09:00")).as("the same run again").isEqualTo(BatchExitCode.COMPLETED);
        assertThat(runAt("2026-02-28T18:00")).as("a later run the same day").isEqualTo(BatchExitCode.COMPLETED);

        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(payments(id)).isEqualTo(1);
        assertThat(row(id).getCycleNo()).isEqualTo(2);
        assertThat(row(id).getNextBillingDate()).as("Jan 31 → Feb 28 → Mar 31").isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(wallet(merchantId)).isEqualTo(9_900);

        runAt("2026-03-31T00:00");
        assertThat(row(id).getNextBillingDate()).isEqualTo(LocalDate.of(2026, 4, 30));
        assertThat(payments(id)).isEqualTo(2);
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE, SUBSCRIPTION_CHARGE.SUBSCRIPTION_ID.eq(id))).isEqualTo(2);
        assertThat(db.select(SUBSCRIPTION_CHARGE.ORDER_ID).from(SUBSCRIPTION_CHARGE).orderBy(SUBSCRIPTION_CHARGE.CYCLE_NO)
                .fetch(SUBSCRIPTION_CHARGE.ORDER_ID)).containsExactly("sub_" + id + "_2", "sub_" + id + "_3");
    }

    @Test
    void threeDeclinedRetriesOnTheirScheduleThenSuspended() throws Exception {
        long id = subscription(merchantId, "customer-1", 9_900, BillingInterval.MONTHLY, LocalDate.of(2026, 3, 10), 0);
        simulator.setDecliningCharges(billingKeyOf(id), true);

        runAt("2026-03-10T09:00");
        assertThat(row(id).getStatus()).isEqualTo("PAST_DUE");
        assertThat(row(id).getRetryCount()).isEqualTo(1);
        assertThat(row(id).getNextRetryAt()).isAtSameInstantAs(Seoul.startOf(LocalDate.of(2026, 3, 11)));

        runAt("2026-03-10T23:00"); // before the retry time: nothing happens
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE)).isEqualTo(1);

        runAt("2026-03-11T01:00");
        assertThat(row(id).getNextRetryAt()).isAtSameInstantAs(Seoul.startOf(LocalDate.of(2026, 3, 13)));
        runAt("2026-03-13T01:00");
        assertThat(row(id).getNextRetryAt()).isAtSameInstantAs(Seoul.startOf(LocalDate.of(2026, 3, 15)));
        assertThat(row(id).getStatus()).isEqualTo("PAST_DUE");
        runAt("2026-03-15T01:00");

        SubscriptionRecord suspended = row(id);
        assertThat(suspended.getStatus()).isEqualTo("SUSPENDED");
        assertThat(suspended.getLastErrorCode()).isEqualTo("REJECT_CARD_PAYMENT");
        assertThat(suspended.getLastErrorMessage()).isNotBlank();
        assertThat(suspended.getNextRetryAt()).isNull();
        runAt("2026-04-20T01:00");
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE, SUBSCRIPTION_CHARGE.STATUS.eq("FAILED"))).isEqualTo(4);
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE)).as("no fifth attempt").isEqualTo(4);
        assertThat(simulator.approvals()).isZero();
        assertThat(wallet(merchantId)).isZero();
    }

    @Test
    void aSuccessfulRetryMakesItActiveAgainOnTheOriginalSchedule() throws Exception {
        long id = subscription(merchantId, "customer-1", 9_900, BillingInterval.MONTHLY, LocalDate.of(2026, 3, 10), 0);
        simulator.setDecliningCharges(billingKeyOf(id), true);
        runAt("2026-03-10T09:00");
        simulator.setDecliningCharges(billingKeyOf(id), false);

        runAt("2026-03-11T09:00");

        SubscriptionRecord active = row(id);
        assertThat(active.getStatus()).isEqualTo("ACTIVE");
        assertThat(active.getRetryCount()).isZero();
        assertThat(active.getLastErrorCode()).isNull();
        assertThat(active.getNextBillingDate()).as("the retry does not move the anchor").isEqualTo(LocalDate.of(2026, 4, 10));
        assertThat(payments(id)).isEqualTo(1);
    }

    @Test
    void twoLaunchesAtOnceAndTwoChargersAtOnceChargeEachCycleOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(subscription(merchantId, "customer-" + i, 1_000 + i, BillingInterval.WEEKLY, LocalDate.of(2026, 5, 4), 0));
        }
        List<Long> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> racers = List.of(
                    () -> runAt("2026-05-04T09:00"), () -> runAt("2026-05-04T09:00"),
                    // beside the job's lock: the charger's own claim must hold too
                    () -> charger.chargeDue(ids, OffsetDateTime.parse("2026-05-04T09:00+09:00")),
                    () -> charger.chargeDue(reversed, OffsetDateTime.parse("2026-05-04T09:00+09:00")));
            for (Future<Object> result : pool.invokeAll(racers)) {
                result.get();
            }
        } finally {
            pool.shutdown();
        }
        runAt("2026-05-04T10:00"); // anything skipped as "in flight elsewhere" is done by now

        assertThat(simulator.approvals()).isEqualTo(20);
        assertThat(db.fetchCount(PAYMENT)).isEqualTo(20);
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE, SUBSCRIPTION_CHARGE.STATUS.eq("DONE"))).isEqualTo(20);
        assertThat(wallet(merchantId)).isEqualTo(20 * 1_000 + 190);
    }

    @Test
    void aCrashAfterThePgApprovedIsBookedOnceByTheNextRun() throws Exception {
        long approvedBeforeCrash = subscription(merchantId, "customer-1", 5_000, BillingInterval.MONTHLY, LocalDate.of(2026, 6, 1), 0);
        long crashedBeforeCall = subscription(merchantId, "customer-2", 7_000, BillingInterval.MONTHLY, LocalDate.of(2026, 6, 1), 0);
        long inFlightElsewhere = subscription(merchantId, "customer-3", 9_000, BillingInterval.MONTHLY, LocalDate.of(2026, 6, 1), 0);
        // what a process killed mid-run leaves: committed claims; for the first, the PG had approved
        openAttempt(approvedBeforeCrash, 5_000, "-15 minutes");
        openAttempt(crashedBeforeCall, 7_000, "-15 minutes");
        openAttempt(inFlightElsewhere, 9_000, "-5 seconds");
        pg.chargeBillingKey(billingKeyOf(approvedBeforeCrash), "customer-1", 5_000, "sub_" + approvedBeforeCrash + "_1", "프리미엄",
                "subscription-" + approvedBeforeCrash + "-cycle-1-attempt-1");
        assertThat(simulator.approvals()).isEqualTo(1);

        runAt("2026-06-01T09:00");

        assertThat(simulator.approvals()).as("found by inquiry, not charged again; the other sent once").isEqualTo(2);
        assertThat(payments(approvedBeforeCrash)).isEqualTo(1);
        assertThat(payments(crashedBeforeCall)).isEqualTo(1);
        assertThat(payments(inFlightElsewhere)).as("a live process's call is left to it").isZero();
        assertThat(wallet(merchantId)).isEqualTo(12_000);
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE)).as("no new attempt beside the open ones").isEqualTo(3);
    }

    private void openAttempt(long subscriptionId, long amount, String age) {
        db.execute("insert into subscription_charge (subscription_id, cycle_no, due_date, attempt, status, order_id, idempotency_key, amount, updated_at) "
                        + "values (?, 1, date '2026-06-01', 1, 'IN_PROGRESS', ?, ?, ?, now() + ?::interval)",
                subscriptionId, "sub_" + subscriptionId + "_1", "subscription-" + subscriptionId + "-cycle-1-attempt-1", amount, age);
    }

    @Test
    void aLostAnswerIsUnknownThenResolvedThroughInquiry() throws Exception {
        long id = subscription(merchantId, "test_timeout_customer", 4_400, BillingInterval.WEEKLY, LocalDate.of(2026, 7, 6), 0);

        Map<Long, ChargeOutcome> first = charger.chargeDue(List.of(id), OffsetDateTime.parse("2026-07-06T09:00+09:00"));

        assertThat(first).containsEntry(id, ChargeOutcome.UNKNOWN);
        assertThat(simulator.approvals()).as("the PG did charge").isEqualTo(1);
        assertThat(payments(id)).isZero();
        assertThat(wallet(merchantId)).isZero();

        runAt("2026-07-06T10:00");

        assertThat(payments(id)).isEqualTo(1);
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(row(id).getNextBillingDate()).isEqualTo(LocalDate.of(2026, 7, 13));
        assertThat(wallet(merchantId)).isEqualTo(4_400);
    }

    @Test
    void cancelAtPeriodEndEndsItWhenThePeriodEndsAndAnOpenChargeIsStillBooked() throws Exception {
        long atPeriodEnd = subscription(merchantId, "customer-1", 9_900, BillingInterval.MONTHLY, LocalDate.of(2026, 8, 1), 1);
        db.update(SUBSCRIPTION).set(SUBSCRIPTION.CANCEL_AT_PERIOD_END, true).where(SUBSCRIPTION.ID.eq(atPeriodEnd)).execute();
        long canceledWhileUnknown = subscription(merchantId, "test_timeout_customer", 4_400, BillingInterval.MONTHLY, LocalDate.of(2026, 9, 1), 0);
        charger.chargeDue(List.of(canceledWhileUnknown), OffsetDateTime.parse("2026-09-01T09:00+09:00"));
        db.update(SUBSCRIPTION).set(SUBSCRIPTION.STATUS, "CANCELED").where(SUBSCRIPTION.ID.eq(canceledWhileUnknown)).execute();

        runAt("2026-09-01T10:00");

        assertThat(row(atPeriodEnd).getStatus()).isEqualTo("CANCELED");
        assertThat(payments(atPeriodEnd)).isZero();
        assertThat(row(canceledWhileUnknown).getStatus()).as("stays cancelled").isEqualTo("CANCELED");
        assertThat(payments(canceledWhileUnknown)).as("but the money the PG took is booked").isEqualTo(1);
        assertThat(wallet(merchantId)).isEqualTo(4_400);
    }

    @Test
    void aChargeThePgNeverReceivedLeavesNoAttemptAndStaysDue() throws Exception {
        long id = subscription(merchantId, "customer-1", 9_900, BillingInterval.MONTHLY, LocalDate.of(2026, 10, 1), 0);
        db.update(BILLING_KEY).set(BILLING_KEY.PG_PROVIDER, "offline")
                .where(BILLING_KEY.ID.eq(row(id).getBillingKeyId())).execute();

        Map<Long, ChargeOutcome> outcome = charger.chargeDue(List.of(id), OffsetDateTime.parse("2026-10-01T09:00+09:00"));

        assertThat(outcome).containsEntry(id, ChargeOutcome.SKIPPED);
        assertThat(db.fetchCount(SUBSCRIPTION_CHARGE)).as("nothing was sent, so nothing is open").isZero();
        assertThat(row(id).getStatus()).isEqualTo("ACTIVE");
        assertThat(charger.dueAfter(0, 10, OffsetDateTime.parse("2026-10-01T10:00+09:00"))).containsExactly(id);
    }
}
