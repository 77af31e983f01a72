package io.unbreakable.payments.api.subscription;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_CHARGE;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** What integrations written for Toss Payments call: the same paths, bodies and error fields. */
class TossCompatibilityTest extends ApiTest {

    private String issueBillingKey(TestMerchant merchant, String customerKey) {
        Response issued = post("/v1/billing/authorizations/issue", merchant.basicAuth(), Map.of("customerKey", customerKey, "authKey", "auth-" + customerKey));
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        return issued.body().get("billingKey").asString();
    }

    /** As Toss's sample server sends it: the browser's JSON forwarded unchanged, amount as a string. */
    private Response charge(TestMerchant merchant, String billingKey, String customerKey, String orderId, String amount) {
        return post("/v1/billing/" + billingKey, merchant.basicAuth(), "{\"customerKey\":\"" + customerKey + "\",\"amount\":\"" + amount
                + "\",\"orderId\":\"" + orderId + "\",\"orderName\":\"토스 프라임 구독\",\"customerEmail\":\"customer123@gmail.com\","
                + "\"customerName\":\"박토스\",\"taxFreeAmount\":0}");
    }

    @Test
    void everyErrorCarriesMessageBesideDetail() {
        TestMerchant merchant = createMerchant();

        Response notFound = get("/v1/orders/order-none", merchant.basicAuth());
        Response unauthorized = get("/v1/wallet", "Basic bm9wZTo=");

        for (Response error : List.of(notFound, unauthorized)) {
            assertThat(error.body().get("message").asString()).isNotBlank().isEqualTo(error.body().get("detail").asString());
            assertThat(error.code()).isNotBlank();
        }
    }

    @Test
    void thePaymentOfAnOrderIsItsLivePaymentAfterDeclinedAttempts() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 9_000, 1);
        assertThat(confirm(merchant, "test_decline_1", "order-0001", 10_000).code()).isEqualTo("REJECT_CARD_PAYMENT");

        Response afterDecline = get("/v1/payments/orders/order-0001", merchant.basicAuth());
        assertThat(afterDecline.status()).isEqualTo(200);
        assertThat(afterDecline.body().get("paymentKey").asString()).isEqualTo("test_decline_1");
        assertThat(afterDecline.body().get("status").asString()).isEqualTo("ABORTED");

        assertThat(confirm(merchant, "test_decline_2", "order-0001", 10_000).status()).isEqualTo(403);
        assertThat(confirm(merchant, "pk_paid", "order-0001", 10_000).status()).isEqualTo(200);
        Response paid = get("/v1/payments/orders/order-0001", merchant.basicAuth());

        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.body().get("paymentKey").asString()).isEqualTo("pk_paid");
        assertThat(paid.body().get("status").asString()).isEqualTo("DONE");
        assertThat(paid.body().get("totalAmount").asLong()).isEqualTo(10_000);
        assertThat(db.fetchCount(PAYMENT)).isEqualTo(3);
    }

    @Test
    void thePaymentOfAnOrderIsTheMerchantsOwnOnly() {
        TestMerchant merchant = createMerchant();
        TestMerchant other = createMerchant("다른상점", "BUSINESS", "0.03");
        createOrder(merchant, "order-0001", 9_000, 1);
        confirm(merchant, "pk_1", "order-0001", 10_000);
        createOrder(other, "order-0002", 9_000, 1);

        Response foreign = get("/v1/payments/orders/order-0001", other.basicAuth());
        Response unpaid = get("/v1/payments/orders/order-0002", other.basicAuth());

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("NOT_FOUND_PAYMENT");
        assertThat(unpaid.code()).isEqualTo("NOT_FOUND_PAYMENT");
    }

    @Test
    void chargesABillingKeyOnceForAnOrderIdWithItsOrderLedgerAndWallet() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");

        Response charged = charge(merchant, billingKey, "customer-1", "toss-order-1", "50000");
        Response again = charge(merchant, billingKey, "customer-1", "toss-order-1", "50000");

        assertThat(charged.status()).as(charged.text()).isEqualTo(200);
        assertThat(charged.body().get("status").asString()).isEqualTo("DONE");
        assertThat(charged.body().get("orderId").asString()).isEqualTo("toss-order-1");
        assertThat(charged.body().get("totalAmount").asLong()).isEqualTo(50_000);
        assertThat(charged.body().get("vat").asLong()).isEqualTo(4_545);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("paymentKey").asString()).isEqualTo(charged.body().get("paymentKey").asString());
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(50_000);
        assertThat(ledger.trialBalance().debitTotal()).isEqualTo(50_000);
        Response order = get("/v1/orders/toss-order-1", merchant.basicAuth());
        assertThat(order.body().get("totalAmount").asLong()).isEqualTo(50_000);
        assertThat(order.body().get("items")).hasSize(1);
        assertThat(order.body().get("items").get(0).get("sku").asString()).isEqualTo("BILLING");
        // a payment like any other: refundable in part
        Response canceled = post("/v1/payments/" + charged.body().get("paymentKey").asString() + "/cancel", merchant.basicAuth(),
                Map.of("cancelReason", "부분 환불", "cancelAmount", 20_000));
        assertThat(canceled.body().get("balanceAmount").asLong()).isEqualTo(30_000);
        assertThat(walletBalance(merchant)).isEqualTo(30_000);
    }

    @Test
    void concurrentChargesOfOneOrderIdChargeOnce() throws Exception {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> charge(merchant, billingKey, "customer-1", "toss-order-1", "9900"), pool));
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        List<String> paymentKeys = new ArrayList<>();
        for (CompletableFuture<Response> answer : answers) {
            Response response = answer.get();
            statuses.merge(response.status(), 1, Integer::sum);
            if (response.status() == 200) {
                paymentKeys.add(response.body().get("paymentKey").asString());
            } else {
                assertThat(response.code()).as(response.text()).isEqualTo("PAYMENT_IN_PROGRESS");
            }
        }
        pool.shutdown();

        assertThat(statuses.get(200)).isGreaterThanOrEqualTo(1);
        assertThat(paymentKeys).allMatch(key -> key.equals(paymentKeys.get(0)));
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(db.fetchCount(PAYMENT)).isEqualTo(1);
        assertThat(db.fetchCount(ORDERS)).isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(9_900);
    }

    @Test
    void aDeclinedCardAnswersWithThePgsCodeAndTheSameOrderIdIsNotChargedAgain() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "test_decline_customer");

        Response declined = charge(merchant, billingKey, "test_decline_customer", "toss-order-1", "50000");
        long pgRequests = simulator.stats().get("requests");
        Response again = charge(merchant, billingKey, "test_decline_customer", "toss-order-1", "50000");

        assertThat(declined.status()).isEqualTo(403);
        assertThat(declined.code()).isEqualTo("REJECT_CARD_PAYMENT");
        assertThat(declined.body().get("message").asString()).isEqualTo("한도초과 혹은 잔액부족으로 결제에 실패했습니다.");
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.code()).isEqualTo("REJECT_CARD_PAYMENT");
        assertThat(simulator.stats().get("requests")).as("answered from our record").isEqualTo(pgRequests);
        assertThat(db.fetchCount(PAYMENT)).isZero();
        assertThat(db.fetchValue(db.select(BILLING_CHARGE.STATUS).from(BILLING_CHARGE))).isEqualTo("FAILED");
        assertThat(walletBalance(merchant)).isZero();
    }

    @Test
    void aLostAnswerIsResolvedByTheNextRequestWithTheOrderIdWithoutASecondCharge() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "test_timeout_customer");

        Response lost = charge(merchant, billingKey, "test_timeout_customer", "toss-order-1", "50000");
        Response retried = charge(merchant, billingKey, "test_timeout_customer", "toss-order-1", "50000");

        assertThat(lost.status()).isEqualTo(409);
        assertThat(lost.code()).isEqualTo("PAYMENT_OUTCOME_UNKNOWN");
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.body().get("status").asString()).isEqualTo("DONE");
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(50_000);
    }

    @Test
    void refusesWhatItCannotChargeWithoutWriting() {
        TestMerchant merchant = createMerchant();
        String billingKey = issueBillingKey(merchant, "customer-1");
        createOrder(merchant, "order-0001", 9_000, 1);

        assertThat(charge(merchant, billingKey, "customer-1", "order-0001", "10000").code()).as("an order's orderId").isEqualTo("DUPLICATED_ORDER_ID");
        assertThat(charge(merchant, billingKey, "customer-2", "toss-order-1", "10000").code()).as("another customer").isEqualTo("INVALID_REQUEST");
        assertThat(charge(merchant, "bk_nope", "customer-1", "toss-order-1", "10000").code()).isEqualTo("NOT_FOUND_BILLING_KEY");
        assertThat(charge(merchant, billingKey, "customer-1", "toss-order-1", "10000.5").code()).isEqualTo("INVALID_REQUEST");
        assertThat(charge(merchant, billingKey, "customer-1", "sub_1_1", "10000").code()).isEqualTo("INVALID_REQUEST");
        Response taxFree = post("/v1/billing/" + billingKey, merchant.basicAuth(), Map.of("customerKey", "customer-1", "amount", 10_000,
                "orderId", "toss-order-1", "orderName", "n", "taxFreeAmount", 1_000));
        assertThat(taxFree.status()).isEqualTo(400);
        assertThat(taxFree.body().get("detail").asString()).contains("taxFreeAmount");
        assertThat(db.fetchCount(ORDERS)).isEqualTo(1);
        assertThat(db.fetchCount(BILLING_CHARGE)).isZero();
        assertThat(simulator.approvals()).isZero();

        // a charge's order is paid by its charge only
        Response charged = charge(merchant, billingKey, "customer-1", "toss-order-2", "10000");
        assertThat(charged.status()).isEqualTo(200);
        assertThat(confirm(merchant, "pk_other", "toss-order-2", 10_000).code()).isEqualTo("ALREADY_PROCESSED_PAYMENT");
        assertThat(charge(merchant, billingKey, "customer-1", "toss-order-2", "20000").code()).as("same orderId, other amount")
                .isEqualTo("DUPLICATED_ORDER_ID");
        assertThat(db.fetchCount(PAYMENT)).isEqualTo(1);
    }
}
