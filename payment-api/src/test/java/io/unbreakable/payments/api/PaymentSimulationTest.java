package io.unbreakable.payments.api;

import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.payment.PaymentRecovery;
import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestContextManager;
import tools.jackson.databind.JsonNode;

/**
 * The seeded simulation: random sequences of operations against the real app, its real database and
 * the in-process PG simulators, and after every step the money invariants:
 * <ul>
 *   <li>no 5xx (but the designed 503 PG_UNAVAILABLE, which writes nothing);</li>
 *   <li>debits = credits, and every wallet = its ledger account;</li>
 *   <li>every merchant's wallet = what its approved payments brought in minus their done cancels
 *       (the ledger agrees with the payments' states);</li>
 *   <li>every payment's balance = total − its cancels not refused (done, or reserved while open) ≥ 0;
 *       done cancels never exceed the total; only an approved payment has done cancels;</li>
 *   <li>after a recovery pass with the PG healthy: nothing open, and the PG simulator's record and
 *       ours agree (the same payments approved, each with the same balance: no approval unknown to
 *       us, none twice).</li>
 * </ul>
 * Operations: merchants, orders with items, confirms (right or wrong amount, declined, timing out),
 * the same confirm twice at once (with one Idempotency-Key or none), cancels by amount and by items,
 * two cancels at once, PG faults on and off (5xx, timeouts, outage, latency), recovery passes.
 * jqwik shrinks a failing sequence; the failure names the seed and the shrunk sequence.
 *
 * <p>{@code ./mvnw verify} runs {@link #invariantsHoldAfterEveryStep} with a fixed seed; {@code ./mvnw -pl
 * payment-api -am verify -Psimulation -Dsimulation.seeds=N} runs {@link #explore} with N random sequences.
 */
class PaymentSimulationTest {

    private static final String SEED = "20261208";
    private static Harness api;

    @BeforeContainer
    static void startTheApi() throws Exception {
        api = new Harness();
        new TestContextManager(Harness.class).prepareTestInstance(api);
    }

    @AfterContainer
    static void stop() {
        System.out.printf("[simulation] %d sequences, %d steps, %d PG approvals, %d cancels done, %d recovery passes: %s%n",
                api.sequences, api.steps, api.approvals, api.cancels, api.recoveries, api.failed == 0
                        ? "every invariant held after every step"
                        : api.failed + " sequences broke an invariant (shrinking included; jqwik reports the seed and the shrunk one)");
        api.close();
    }

    @Property(tries = 100, seed = SEED)
    void invariantsHoldAfterEveryStep(@ForAll("sequences") List<Operation> sequence) {
        api.run(sequence);
    }

    @Property
    @Tag("simulation")
    void explore(@ForAll("sequences") List<Operation> sequence) {
        api.run(sequence);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 7);
        Arbitrary<Operation> operation = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("BUSINESS", "INDIVIDUAL").map(NewMerchant::new)),
                Tuple.of(5, Combinators.combine(pick, Arbitraries.longs().between(1, 60).map(n -> n * 500),
                        Arbitraries.integers().between(1, 4)).as(NewOrder::new)),
                Tuple.of(8, Combinators.combine(pick, Arbitraries.of(ConfirmKind.class)).as(Confirm::new)),
                Tuple.of(3, Combinators.combine(pick, Arbitraries.of(true, false)).as(ConfirmTwiceAtOnce::new)),
                Tuple.of(5, Combinators.combine(pick, Arbitraries.integers().between(1, 1_100)).as(CancelAmount::new)),
                Tuple.of(3, Combinators.combine(pick, Arbitraries.integers().between(0, 1), Arbitraries.integers().between(1, 4))
                        .as(CancelItems::new)),
                Tuple.of(3, Combinators.combine(pick, Arbitraries.integers().between(1, 700), Arbitraries.integers().between(1, 700))
                        .as(TwoCancelsAtOnce::new)),
                Tuple.of(2, Arbitraries.of(Fault.class).map(Faults::new)),
                Tuple.of(2, Arbitraries.just(new Recover())));
        return operation.list().ofMinSize(1).ofMaxSize(40);
    }

    /** One step of a sequence; indexes pick among what exists when it runs (modulo), so any sequence runs. */
    sealed interface Operation permits NewMerchant, NewOrder, Confirm, ConfirmTwiceAtOnce, CancelAmount, CancelItems,
            TwoCancelsAtOnce, Faults, Recover {
    }

    record NewMerchant(String businessType) implements Operation {
    }

    record NewOrder(int merchant, long unitPrice, int quantity) implements Operation {
    }

    enum ConfirmKind { RIGHT_AMOUNT, WRONG_AMOUNT, DECLINED, TIMES_OUT }

    record Confirm(int order, ConfirmKind kind) implements Operation {
    }

    record ConfirmTwiceAtOnce(int order, boolean sameIdempotencyKey) implements Operation {
    }

    /** {@code permille} of the payment's total (above 1,000: more than it holds). */
    record CancelAmount(int payment, int permille) implements Operation {
    }

    /** {@code item} 0 = the order's first line (several units), 1 = its second (one unit at 1,000 won). */
    record CancelItems(int payment, int item, int quantity) implements Operation {
    }

    record TwoCancelsAtOnce(int payment, int permilleA, int permilleB) implements Operation {
    }

    enum Fault { NONE, ERRORS, TIMEOUTS, OUTAGE, LATENCY }

    record Faults(Fault fault) implements Operation {
    }

    record Recover() implements Operation {
    }

    /** The shared Spring test context of the API tests, driven from jqwik's lifecycle. */
    static class Harness extends ApiTest {

        @Autowired
        PaymentRecovery recovery;

        private final ExecutorService pool = Executors.newFixedThreadPool(2);
        private final List<TestMerchant> merchants = new ArrayList<>();
        private final List<SimOrder> orders = new ArrayList<>();
        private final List<SimPayment> payments = new ArrayList<>();
        private int next;
        long sequences;
        long steps;
        long approvals;
        long recoveries;
        long cancels;
        long failed;

        record SimOrder(TestMerchant merchant, String orderId, long amount, long itemA, long itemB) {
        }

        record SimPayment(TestMerchant merchant, String paymentKey, long amount, long itemA, long itemB) {
        }

        void close() {
            pool.shutdownNow();
        }

        void run(List<Operation> sequence) {
            try {
                simulate(sequence);
            } catch (AssertionError broken) {
                failed++;
                throw broken;
            }
        }

        private void simulate(List<Operation> sequence) {
            startFromAnEmptyDatabase();
            merchants.clear();
            orders.clear();
            payments.clear();
            sequences++;
            // every sequence starts with a merchant of each kind and an order each: the first steps already move money
            apply(new NewMerchant("BUSINESS"));
            apply(new NewMerchant("INDIVIDUAL"));
            apply(new NewOrder(0, 4_500, 2));
            apply(new NewOrder(1, 33_000, 1));
            int step = 0;
            for (Operation operation : sequence) {
                step++;
                steps++;
                rateLimits.reset();
                apply(operation);
                String where = "after step " + step + " (" + operation + ")";
                invariants(where);
            }
            recover();
            invariants("after the final recovery");
            simulatorAgrees("after the final recovery");
            approvals += simulators.all().stream().mapToLong(PgSimulator::approvals).sum();
            cancels += db.fetchCount(PAYMENT_CANCEL, PAYMENT_CANCEL.STATUS.eq("DONE"));
            if (sequences % 100 == 0) {
                System.out.printf("[simulation] %d sequences so far, %d steps%n", sequences, steps);
            }
        }

        private void apply(Operation operation) {
            if (operation instanceof NewMerchant m) {
                merchants.add(createMerchant("상점" + merchants.size(), m.businessType(), "0.033"));
            } else if (operation instanceof NewOrder o && !merchants.isEmpty()) {
                TestMerchant merchant = merchants.get(o.merchant() % merchants.size());
                String orderId = "order-" + (++next);
                JsonNode order = createOrder(merchant, orderId, o.unitPrice(), o.quantity());
                orders.add(new SimOrder(merchant, orderId, order.get("totalAmount").asLong(),
                        order.get("items").get(0).get("itemId").asLong(), order.get("items").get(1).get("itemId").asLong()));
            } else if (operation instanceof Confirm c && !orders.isEmpty()) {
                SimOrder order = orders.get(c.order() % orders.size());
                String prefix = c.kind() == ConfirmKind.DECLINED ? "test_decline_" : c.kind() == ConfirmKind.TIMES_OUT ? "test_timeout_" : "sim_";
                String paymentKey = prefix + (++next);
                long amount = c.kind() == ConfirmKind.WRONG_AMOUNT ? order.amount() + 1 : order.amount();
                checked(confirm(order.merchant(), paymentKey, order.orderId(), amount));
                paymentMayExist(order, paymentKey);
            } else if (operation instanceof ConfirmTwiceAtOnce c && !orders.isEmpty()) {
                SimOrder order = orders.get(c.order() % orders.size());
                String paymentKey = "sim_" + (++next);
                Map<String, String> headers = c.sameIdempotencyKey() ? Map.of("Idempotency-Key", "idem-" + paymentKey) : Map.of();
                Map<String, Object> body = Map.of("paymentKey", paymentKey, "orderId", order.orderId(), "amount", order.amount());
                together(() -> post("/v1/payments/confirm", order.merchant().basicAuth(), body, headers),
                        () -> post("/v1/payments/confirm", order.merchant().basicAuth(), body, headers)).forEach(this::checked);
                paymentMayExist(order, paymentKey);
            } else if (operation instanceof CancelAmount c && !payments.isEmpty()) {
                checked(cancelAmount(payments.get(c.payment() % payments.size()), c.permille()));
            } else if (operation instanceof CancelItems c && !payments.isEmpty()) {
                SimPayment payment = payments.get(c.payment() % payments.size());
                checked(post("/v1/payments/" + payment.paymentKey() + "/cancel", payment.merchant().basicAuth(), Map.of(
                        "cancelReason", "품절", "items", List.of(Map.of("itemId", c.item() == 0 ? payment.itemA() : payment.itemB(),
                                "quantity", c.quantity())))));
            } else if (operation instanceof TwoCancelsAtOnce c && !payments.isEmpty()) {
                SimPayment payment = payments.get(c.payment() % payments.size());
                together(() -> cancelAmount(payment, c.permilleA()), () -> cancelAmount(payment, c.permilleB())).forEach(this::checked);
            } else if (operation instanceof Faults f) {
                setFaults(faults(f.fault()));
            } else if (operation instanceof Recover) {
                recover();
                simulatorAgrees("after a recovery pass");
            }
        }

        private static SimulatorFaults faults(Fault fault) {
            return switch (fault) {
                case NONE -> SimulatorFaults.NONE;
                case ERRORS -> new SimulatorFaults(0, 0, 0.3, 0, 3_000, List.of());
                case TIMEOUTS -> new SimulatorFaults(0, 0, 0, 0.3, 3_000, List.of());
                case OUTAGE -> new SimulatorFaults(0, 0, 0, 0, 3_000,
                        List.of(new SimulatorFaults.Outage(Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofHours(1)))));
                case LATENCY -> new SimulatorFaults(30, 30, 0, 0, 3_000, List.of());
            };
        }

        private Response cancelAmount(SimPayment payment, int permille) {
            long amount = Math.max(1, payment.amount() * permille / 1_000);
            return post("/v1/payments/" + payment.paymentKey() + "/cancel", payment.merchant().basicAuth(),
                    Map.of("cancelReason", "부분 취소", "cancelAmount", amount));
        }

        /** A payment row exists after a confirm unless it was refused before the PG (bad amount, a live payment on the order, PG unavailable). */
        private void paymentMayExist(SimOrder order, String paymentKey) {
            if (db.fetchExists(PAYMENT, PAYMENT.PAYMENT_KEY.eq(paymentKey))) {
                payments.add(new SimPayment(order.merchant(), paymentKey, order.amount(), order.itemA(), order.itemB()));
            }
        }

        private List<Response> together(Supplier<Response> first, Supplier<Response> second) {
            CompletableFuture<Response> a = CompletableFuture.supplyAsync(first, pool);
            CompletableFuture<Response> b = CompletableFuture.supplyAsync(second, pool);
            return List.of(a.join(), b.join());
        }

        private void setFaults(SimulatorFaults faults) {
            for (PgSimulator pg : simulators.all()) {
                pg.setFaults(faults);
            }
        }

        /** The PG healthy again, circuits closed, the poller run until nothing is open. */
        private void recover() {
            setFaults(SimulatorFaults.NONE);
            router.resetCircuits();
            recoveries++;
            for (int pass = 0; pass < 10 && recovery.runOnce() > 0; pass++) {
                clock.advance(Duration.ofMinutes(10));
            }
        }


        private Response checked(Response response) {
            assertThat(response.status() < 500 || response.status() == 503 && "PG_UNAVAILABLE".equals(response.code()))
                    .as("no 5xx but PG_UNAVAILABLE: %s %s", response.status(), response.text()).isTrue();
            return response;
        }

        private void invariants(String where) {
            assertThat(ledger.trialBalance().balanced()).as("debits = credits " + where).isTrue();
            assertThat(ledger.walletDiscrepancies()).as("every wallet = its ledger account " + where).isEmpty();
            List<String> wrong = new ArrayList<>();
            var done = DSL.coalesce(DSL.sum(DSL.when(PAYMENT_CANCEL.STATUS.eq("DONE"), PAYMENT_CANCEL.CANCEL_AMOUNT)), DSL.inline(java.math.BigDecimal.ZERO));
            var held = DSL.coalesce(DSL.sum(DSL.when(PAYMENT_CANCEL.STATUS.ne("ABORTED"), PAYMENT_CANCEL.CANCEL_AMOUNT)), DSL.inline(java.math.BigDecimal.ZERO));
            for (Record row : db.select(PAYMENT.PAYMENT_KEY, PAYMENT.STATUS, PAYMENT.TOTAL_AMOUNT, PAYMENT.BALANCE_AMOUNT, done.as("done"), held.as("held"))
                    .from(PAYMENT).leftJoin(PAYMENT_CANCEL).on(PAYMENT_CANCEL.PAYMENT_ID.eq(PAYMENT.ID))
                    .groupBy(PAYMENT.ID).fetch()) {
                String status = row.get(PAYMENT.STATUS);
                long total = row.get(PAYMENT.TOTAL_AMOUNT);
                long balance = row.get(PAYMENT.BALANCE_AMOUNT);
                long doneCancels = row.get("done", Long.class);
                long heldCancels = row.get("held", Long.class);
                boolean approved = List.of("DONE", "PARTIAL_CANCELED", "CANCELED").contains(status);
                if (approved && balance != total - heldCancels || balance < 0 || doneCancels > total || !approved && doneCancels > 0) {
                    wrong.add(row.get(PAYMENT.PAYMENT_KEY) + " " + status + " total " + total + " balance " + balance + " done cancels "
                            + doneCancels + " open cancels " + (heldCancels - doneCancels));
                }
            }
            assertThat(wrong).as("payment balance = total - cancels, done cancels within the total, " + where).isEmpty();
            for (TestMerchant merchant : merchants) {
                long expected = db.resultQuery("select coalesce(sum(p.total_amount), 0) - coalesce((select sum(c.cancel_amount) from payment_cancel c "
                        + "join payment q on q.id = c.payment_id where q.merchant_id = ? and c.status = 'DONE'), 0) from payment p "
                        + "where p.merchant_id = ? and p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED')",
                        merchant.merchantId(), merchant.merchantId()).fetchSingle(0, Long.class);
                assertThat(walletBalance(merchant)).as("wallet of merchant %d = approved - done cancels %s", merchant.merchantId(), where)
                        .isEqualTo(expected);
            }
        }

        /** Our approved payments and their balances are exactly the PG's, and nothing is left open. */
        private void simulatorAgrees(String where) {
            assertThat(db.fetchCount(PAYMENT, PAYMENT.STATUS.in("IN_PROGRESS", "UNKNOWN"))).as("payments left open " + where).isZero();
            assertThat(db.fetchCount(PAYMENT_CANCEL, PAYMENT_CANCEL.STATUS.in("IN_PROGRESS", "UNKNOWN"))).as("cancels left open " + where).isZero();
            Map<String, Long> ours = new TreeMap<>();
            db.select(PAYMENT.PAYMENT_KEY, PAYMENT.BALANCE_AMOUNT).from(PAYMENT).where(PAYMENT.STATUS.in("DONE", "PARTIAL_CANCELED", "CANCELED"))
                    .forEach(row -> ours.put(row.value1(), row.value2()));
            Map<String, Long> pg = new TreeMap<>();
            simulators.all().forEach(simulator -> pg.putAll(simulator.approvedBalances()));
            assertThat(ours).as("approved payments and balances: ours = the PG's " + where).isEqualTo(pg);
        }
    }
}
