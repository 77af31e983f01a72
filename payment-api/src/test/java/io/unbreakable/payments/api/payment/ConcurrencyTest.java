package io.unbreakable.payments.api.payment;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Phase 4, "concurrent payments break": real threads, real HTTP, real PostgreSQL. */
class ConcurrencyTest extends ApiTest {

    private static final int CONFIRMS = 100;

    @Test
    void oneHundredConfirmsWithTheSameIdempotencyKeyChargeOnce() throws Exception {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        slowPg();

        List<Response> responses = concurrently(CONFIRMS, i -> post("/v1/payments/confirm", merchant.basicAuth(),
                Map.of("paymentKey", "pk_1", "orderId", "order-0001", "amount", 10_000), Map.of("Idempotency-Key", "one-key")));

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isIn(200, 409));
        assertThat(responses).anySatisfy(response -> assertThat(response.status()).isEqualTo(200));
        assertChargedOnce(merchant);
    }

    @Test
    void oneHundredConfirmsWithDifferentIdempotencyKeysChargeOnce() throws Exception {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        slowPg();

        List<Response> responses = concurrently(CONFIRMS, i -> post("/v1/payments/confirm", merchant.basicAuth(),
                Map.of("paymentKey", "pk_1", "orderId", "order-0001", "amount", 10_000), Map.of("Idempotency-Key", "key-" + i)));

        assertThat(responses.stream().filter(response -> response.status() == 200)).hasSize(1);
        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isIn(200, 409));
        assertChargedOnce(merchant);
    }

    @Test
    void oneHundredConfirmsOfOneOrderWithDifferentPaymentKeysChargeOnce() throws Exception {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        slowPg();

        List<Response> responses = concurrently(CONFIRMS, i -> confirm(merchant, "pk_" + i, "order-0001", 10_000));

        assertThat(responses.stream().filter(response -> response.status() == 200)).hasSize(1);
        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isIn(200, 409));
        assertChargedOnce(merchant);
    }

    @Test
    void fiftyConcurrentPartialCancelsNeverExceedThePaidAmount() throws Exception {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "pk_1", "order-0001", 10_000);
        slowPg();

        List<Response> responses = concurrently(50, i -> post("/v1/payments/pk_1/cancel", merchant.basicAuth(),
                Map.of("cancelReason", "부분 취소 " + i, "cancelAmount", 300)));

        long succeeded = responses.stream().filter(response -> response.status() == 200).count();
        assertThat(succeeded).as("10,000 / 300 = 33 cancels fit").isEqualTo(33);
        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isIn(200, 400));
        assertThat(responses.stream().filter(response -> response.status() == 400))
                .allSatisfy(response -> assertThat(response.code()).isEqualTo("EXCEED_CANCEL_AMOUNT"));
        long canceled = db.select(PAYMENT_CANCEL.CANCEL_AMOUNT.sum()).from(PAYMENT_CANCEL)
                .where(PAYMENT_CANCEL.STATUS.eq("DONE")).fetchSingle().value1().longValue();
        assertThat(canceled).isEqualTo(9_900).isLessThanOrEqualTo(10_000);
        assertThat(simulator.stats().get("cancels")).isEqualTo(33);
        assertThat(db.select(PAYMENT.BALANCE_AMOUNT).from(PAYMENT).fetchSingle(PAYMENT.BALANCE_AMOUNT)).isEqualTo(100);
        assertThat(walletBalance(merchant)).isEqualTo(100);
    }

    private void slowPg() {
        // a PG that takes a while widens every race window
        simulator.setFaults(new SimulatorFaults(50, 20, 0, 0, 3_000, List.of()));
    }

    private void assertChargedOnce(TestMerchant merchant) {
        assertThat(simulator.approvals()).as("PG approvals").isEqualTo(1);
        assertThat(db.fetchCount(PAYMENT)).isEqualTo(1);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    private static List<Response> concurrently(int count, IntFunction<Response> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            threads.shutdownNow();
        }
    }
}
