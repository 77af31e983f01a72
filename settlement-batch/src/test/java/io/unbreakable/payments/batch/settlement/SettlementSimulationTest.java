package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.subscription.BillingInterval;
import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestContextManager;

/**
 * The settlement simulation, the batch side of payment-api's PaymentSimulationTest: random sequences of
 * sales days — approvals and cancels written as the API writes them (state and ledger in one transaction),
 * refund-heavy days that carry a balance over, individual sellers with withholding, settlements of each day
 * in turn and reruns of a settled day, subscriptions and renewal runs — and after every step:
 * <ul>
 *   <li>debits = credits, and every wallet = its ledger account;</li>
 *   <li>after a settlement: its rows = what bench/settlement/settle-set-based.sql computes for the date,
 *       to the won (fee, VAT, withholding, carry-over, payout);</li>
 *   <li>after a rerun of a settled date: every row the job writes is as it was;</li>
 *   <li>after a renewal run: every subscription has one approved payment per paid cycle, and the PG
 *       simulator approved exactly those (none unknown to us, none twice).</li>
 * </ul>
 * The API's own operations (confirms, faults, recovery) stay in payment-api's simulation: neither app depends
 * on the other, so this one writes the rows the API would and runs the real jobs on them.
 *
 * <p>Sales days start on a fixed Monday, {@link #FIRST_DAY}; every sale happens on the open day, which a
 * settlement closes (so no sale is late and the set-based SQL, which knows no late sales, is the yardstick).
 * Renewals charge at the PG simulator's real clock, on days after the simulated ones, so they are never
 * settled here.
 *
 * <p>{@code ./mvnw verify} runs {@link #settlementsMatchTheSetBasedSqlAfterEveryStep} with a fixed seed;
 * {@code ./mvnw -pl settlement-batch -am verify -Psimulation -Dsimulation.seeds=N} runs {@link #explore}.
 */
class SettlementSimulationTest {

    private static final String SEED = "20261208";
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 2);
    private static Harness batch;

    @BeforeContainer
    static void startTheJobs() throws Exception {
        batch = new Harness();
        new TestContextManager(Harness.class).prepareTestInstance(batch);
    }

    @AfterContainer
    static void report() {
        System.out.printf("[settlement simulation] %d sequences, %d steps, %d days settled (%d settlement rows, %d with a balance "
                        + "carried in), %d renewal runs (%d cycles charged): %s%n", batch.sequences, batch.steps, batch.daysSettled,
                batch.settlementRows, batch.carriedIn, batch.renewals, batch.cyclesCharged, batch.failed == 0
                        ? "every invariant held after every step"
                        : batch.failed + " sequences broke an invariant (shrinking included; jqwik reports the seed and the shrunk one)");
    }

    @Property(tries = 40, seed = SEED)
    void settlementsMatchTheSetBasedSqlAfterEveryStep(@ForAll("sequences") List<Operation> sequence) throws Exception {
        batch.run(sequence);
    }

    @Property
    @Tag("simulation")
    void explore(@ForAll("sequences") List<Operation> sequence) throws Exception {
        batch.run(sequence);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 7);
        Arbitrary<Operation> operation = Arbitraries.frequencyOf(
                Tuple.of(1, Combinators.combine(Arbitraries.of("BUSINESS", "INDIVIDUAL"), Arbitraries.of("0.033", "0.025", "0.0345"))
                        .as(NewMerchant::new)),
                // 100 won to 2,000,000 won: fees that round both ways, withholding on either side of its 1,000-won floor
                Tuple.of(6, Combinators.combine(pick, Arbitraries.longs().between(1, 20_000).map(n -> n * 100)).as(Approve::new)),
                // as many cancels as approvals: refund-heavy days, whose negative balance the next settlement carries in
                Tuple.of(6, Combinators.combine(pick, Arbitraries.integers().between(1, 1_000)).as(Cancel::new)),
                Tuple.of(4, Arbitraries.just(new Settle())),
                Tuple.of(1, Arbitraries.just(new SettleAgain())),
                Tuple.of(1, Combinators.combine(pick, Arbitraries.longs().between(1, 100).map(n -> n * 990)).as(NewSubscription::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 3).map(Renew::new)));
        // sizes spread evenly: long sequences reach carry-overs, and a failure still shrinks to a short one
        return operation.list().ofMinSize(1).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    }

    /** One step; indexes pick among what exists when it runs (modulo), so any sequence runs. */
    sealed interface Operation permits NewMerchant, Approve, Cancel, Settle, SettleAgain, NewSubscription, Renew {
    }

    record NewMerchant(String businessType, String feeRate) implements Operation {
    }

    /** An approval on the open day. */
    record Approve(int merchant, long amountWon) implements Operation {
    }

    /** A cancel on the open day of {@code permille} of what is left of a payment (of any earlier day too). */
    record Cancel(int payment, int permille) implements Operation {
    }

    /** settlementJob for the open day; the next day opens. */
    record Settle() implements Operation {
    }

    /** settlementJob again for the last settled day. */
    record SettleAgain() implements Operation {
    }

    /** A monthly subscription anchored today (the PG simulator's clock), due now. */
    record NewSubscription(int merchant, long amountWon) implements Operation {
    }

    /** subscriptionRenewalJob at 09:00 (Seoul), {@code monthsLater} months from today. */
    record Renew(int monthsLater) implements Operation {
    }

    /** The batch tests' Spring context, driven from jqwik's lifecycle. */
    static class Harness extends BatchTest {

        @Autowired
        PgSimulator simulator;

        private final List<Long> merchants = new ArrayList<>();
        private final List<Long> payments = new ArrayList<>();
        private LocalDate openDay;
        private LocalDate lastSettled;
        long sequences;
        long steps;
        long daysSettled;
        long settlementRows;
        long carriedIn;
        long renewals;
        long cyclesCharged;
        long failed;

        void run(List<Operation> sequence) throws Exception {
            try {
                simulate(sequence);
            } catch (AssertionError broken) {
                failed++;
                throw broken;
            }
        }

        private void simulate(List<Operation> sequence) throws Exception {
            DatabaseCleaner.clean(dataSource);
            simulator.reset();
            merchants.clear();
            payments.clear();
            openDay = FIRST_DAY;
            lastSettled = null;
            sequences++;
            // a seller of each kind from the start: the first approvals already settle both ways
            apply(new NewMerchant("BUSINESS", "0.033"));
            apply(new NewMerchant("INDIVIDUAL", "0.033"));
            int step = 0;
            for (Operation operation : sequence) {
                step++;
                steps++;
                apply(operation);
                String where = "after step " + step + " (" + operation + ")";
                assertThat(ledger.trialBalance().balanced()).as("debits = credits " + where).isTrue();
                assertThat(ledger.walletDiscrepancies()).as("every wallet = its ledger account " + where).isEmpty();
            }
            apply(new Settle());
            cyclesCharged += db.fetchCount(PAYMENT, PAYMENT.SUBSCRIPTION_ID.isNotNull());
        }

        private void apply(Operation operation) throws Exception {
            if (operation instanceof NewMerchant m) {
                merchants.add(merchant(m.businessType(), m.feeRate()));
            } else if (operation instanceof Approve a) {
                payments.add(approve(merchants.get(a.merchant() % merchants.size()), a.amountWon(), openDay));
            } else if (operation instanceof Cancel c && !payments.isEmpty()) {
                long paymentId = payments.get(c.payment() % payments.size());
                long balance = db.fetchValue(PAYMENT.BALANCE_AMOUNT, PAYMENT.ID.eq(paymentId));
                long amount = Math.min(balance, Math.max(1, balance * c.permille() / 1_000));
                if (amount > 0) {
                    cancel(paymentId, amount, openDay);
                }
            } else if (operation instanceof Settle) {
                settle(openDay);
                assertThat(SettlementDataSet.yardstickOf(openDay).rowsDifferingFromTheSetBasedSettlement(dataSource))
                        .as("settlements of %s that differ from the set-based SQL's", openDay).isZero();
                daysSettled++;
                settlementRows += db.fetchCount(SETTLEMENT, SETTLEMENT.SALES_DATE.eq(openDay));
                carriedIn += db.fetchCount(SETTLEMENT, SETTLEMENT.SALES_DATE.eq(openDay).and(SETTLEMENT.CARRIED_IN_AMOUNT.ne(0L)));
                lastSettled = openDay;
                openDay = openDay.plusDays(1);
            } else if (operation instanceof SettleAgain && lastSettled != null) {
                List<String> before = SettlementDataSet.rowsWritten(db);
                settle(lastSettled);
                assertThat(SettlementDataSet.rowsWritten(db)).as("rows after a rerun of %s", lastSettled).isEqualTo(before);
            } else if (operation instanceof NewSubscription s) {
                long merchantId = merchants.get(s.merchant() % merchants.size());
                subscription(merchantId, "customer-" + steps, s.amountWon(), BillingInterval.MONTHLY, LocalDate.now(Seoul.ZONE), 0);
            } else if (operation instanceof Renew r) {
                LocalDateTime runAt = LocalDate.now(Seoul.ZONE).plusMonths(r.monthsLater()).atTime(LocalTime.of(9, 0));
                assertThat(runner.run("subscriptionRenewalJob", List.of("runAt=" + runAt))).isEqualTo(BatchExitCode.COMPLETED);
                renewals++;
                renewalsAgreeWithThePg();
            }
        }

        private void settle(LocalDate date) throws Exception {
            assertThat(runner.run("settlementJob", List.of("date=" + date))).as("settlementJob of %s", date)
                    .isEqualTo(BatchExitCode.COMPLETED);
        }

        /** One approved payment per paid cycle of every subscription, and the PG approved exactly those. */
        private void renewalsAgreeWithThePg() {
            List<String> wrong = db.fetch("""
                    select s.id, s.cycle_no, count(p.id) as paid from subscription s
                      left join payment p on p.subscription_id = s.id and p.status = 'DONE'
                     group by s.id, s.cycle_no having count(p.id) <> s.cycle_no
                    """).map(row -> "subscription " + row.get(0) + " cycle " + row.get(1) + " paid " + row.get(2));
            assertThat(wrong).as("subscriptions whose approved payments are not their paid cycles").isEmpty();
            long charged = db.fetchCount(PAYMENT, PAYMENT.SUBSCRIPTION_ID.isNotNull());
            assertThat(simulator.approvals()).as("the PG's approvals = our renewal payments").isEqualTo(charged);
        }
    }
}
