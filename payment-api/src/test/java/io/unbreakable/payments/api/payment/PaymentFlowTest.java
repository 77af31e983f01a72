package io.unbreakable.payments.api.payment;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PaymentFlowTest extends ApiTest {

    @Test
    void confirmsAnOrderAndCreditsTheWalletWithOneBalancedLedgerTransaction() {
        TestMerchant merchant = createMerchant();
        JsonNode order = createOrder(merchant, "order-0001", 4_500, 2);
        assertThat(order.get("totalAmount").asLong()).isEqualTo(10_000);

        Response response = confirm(merchant, "pk_confirm_1", "order-0001", 10_000);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("status").asString()).isEqualTo("DONE");
        assertThat(response.body().get("totalAmount").asLong()).isEqualTo(10_000);
        assertThat(response.body().get("balanceAmount").asLong()).isEqualTo(10_000);
        assertThat(response.body().get("vat").asLong()).isEqualTo(909);            // 10,000 / 11 = 909.09
        assertThat(response.body().get("suppliedAmount").asLong()).isEqualTo(9_091);
        assertThat(response.body().get("approvedAt").asString()).endsWith("+09:00");
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.TYPE.eq("PAYMENT_APPROVED")
                .and(LEDGER_TRANSACTION.REFERENCE.eq("pk_confirm_1")))).isEqualTo(1);
        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(2);
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(get("/v1/payments/pk_confirm_1", merchant.basicAuth()).body().get("status").asString()).isEqualTo("DONE");
    }

    @Test
    void refusesAnAmountThatDoesNotMatchTheOrderWithoutCallingThePg() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);

        Response response = confirm(merchant, "pk_1", "order-0001", 9_999);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_AMOUNT");
        assertThat(simulator.stats().get("requests")).isZero();
        assertThat(db.fetchCount(PAYMENT)).isZero();
    }

    @Test
    void refusesASecondConfirmOfAPaidOrder() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(200);

        Response sameKey = confirm(merchant, "pk_1", "order-0001", 10_000);
        Response otherKey = confirm(merchant, "pk_2", "order-0001", 10_000);

        assertThat(sameKey.status()).isEqualTo(409);
        assertThat(sameKey.code()).isEqualTo("ALREADY_PROCESSED_PAYMENT");
        assertThat(otherKey.status()).isEqualTo(409);
        assertThat(otherKey.code()).isEqualTo("ALREADY_PROCESSED_PAYMENT");
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    @Test
    void refundsAnItemThenTheRestAndMovesTheWalletEachTime() {
        TestMerchant merchant = createMerchant();
        JsonNode order = createOrder(merchant, "order-0001", 4_500, 2);
        long itemB = order.get("items").get(1).get("itemId").asLong();
        confirm(merchant, "pk_1", "order-0001", 10_000);

        Response itemCancel = post("/v1/payments/pk_1/cancel", merchant.basicAuth(),
                Map.of("cancelReason", "상품 B 품절", "items", List.of(Map.of("itemId", itemB, "quantity", 1))));

        assertThat(itemCancel.status()).isEqualTo(200);
        assertThat(itemCancel.body().get("status").asString()).isEqualTo("PARTIAL_CANCELED");
        assertThat(itemCancel.body().get("balanceAmount").asLong()).isEqualTo(9_000);
        assertThat(itemCancel.body().get("cancels").get(0).get("cancelAmount").asLong()).isEqualTo(1_000);
        assertThat(itemCancel.body().get("cancels").get(0).get("transactionKey").asString()).startsWith("tx_");
        assertThat(walletBalance(merchant)).isEqualTo(9_000);
        assertThat(get("/v1/orders/order-0001", merchant.basicAuth()).body().get("items").get(1).get("canceledQuantity").asInt())
                .isEqualTo(1);

        Response rest = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "고객 변심"));

        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.body().get("status").asString()).isEqualTo("CANCELED");
        assertThat(rest.body().get("balanceAmount").asLong()).isZero();
        assertThat(rest.body().get("cancels").get(1).get("cancelAmount").asLong()).isEqualTo(9_000);
        assertThat(walletBalance(merchant)).isZero();
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isEqualTo(3);

        Response again = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "again"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.code()).isEqualTo("ALREADY_CANCELED_PAYMENT");
    }

    @Test
    void refusesACancelAboveTheRemainingBalanceAndWritesNothing() {
        TestMerchant merchant = createMerchant();
        JsonNode order = createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "pk_1", "order-0001", 10_000);
        post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "part", "cancelAmount", 4_000));

        Response tooMuch = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "cancelAmount", 6_001));
        Response tooManyItems = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x",
                "items", List.of(Map.of("itemId", order.get("items").get(1).get("itemId").asLong(), "quantity", 2))));

        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.code()).isEqualTo("EXCEED_CANCEL_AMOUNT");
        assertThat(tooMuch.body().get("detail").asString()).contains("6001").contains("6000");
        assertThat(tooManyItems.status()).isEqualTo(400);
        assertThat(tooManyItems.code()).isEqualTo("EXCEED_CANCEL_AMOUNT");
        assertThat(db.fetchCount(PAYMENT_CANCEL)).isEqualTo(1);
        assertThat(get("/v1/payments/pk_1", merchant.basicAuth()).body().get("balanceAmount").asLong()).isEqualTo(6_000);
        assertThat(walletBalance(merchant)).isEqualTo(6_000);
    }

    @Test
    void aDeclinedCardAbortsThePaymentPostsNothingAndLeavesTheOrderPayable() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);

        Response declined = confirm(merchant, "test_decline_1", "order-0001", 10_000);

        assertThat(declined.status()).isEqualTo(403);
        assertThat(declined.code()).isEqualTo("REJECT_CARD_PAYMENT");
        JsonNode payment = get("/v1/payments/test_decline_1", merchant.basicAuth()).body();
        assertThat(payment.get("status").asString()).isEqualTo("ABORTED");
        assertThat(payment.get("failure").get("code").asString()).isEqualTo("REJECT_CARD_PAYMENT");
        assertThat(walletBalance(merchant)).isZero();
        assertThat(db.fetchCount(LEDGER_ENTRY)).isZero();

        assertThat(confirm(merchant, "pk_second_card", "order-0001", 10_000).status()).isEqualTo(200);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    @Test
    void aMerchantNeverSeesOrTouchesAnotherMerchantsOrdersOrPayments() {
        TestMerchant owner = createMerchant("owner", "BUSINESS", "0.03");
        TestMerchant other = createMerchant("other", "INDIVIDUAL", "0.03");
        createOrder(owner, "order-0001", 4_500, 2);
        confirm(owner, "pk_1", "order-0001", 10_000);

        assertThat(get("/v1/orders/order-0001", other.basicAuth()).status()).isEqualTo(404);
        assertThat(get("/v1/payments/pk_1", other.basicAuth()).code()).isEqualTo("NOT_FOUND_PAYMENT");
        assertThat(post("/v1/payments/pk_1/cancel", other.basicAuth(), Map.of("cancelReason", "x")).status()).isEqualTo(404);
        assertThat(confirm(other, "pk_2", "order-0001", 10_000).code()).isEqualTo("NOT_FOUND_ORDER");
        assertThat(walletBalance(owner)).isEqualTo(10_000);
        assertThat(walletBalance(other)).isZero();
    }

    @Test
    void refusesMissingOrWrongCredentials() {
        TestMerchant merchant = createMerchant();

        Response none = get("/v1/wallet", null);
        Response wrong = get("/v1/wallet", "Basic " + java.util.Base64.getEncoder().encodeToString("test_sk_nope:".getBytes()));
        Response merchantOnAdmin = get("/v1/admin/ledger/trial-balance", merchant.basicAuth());
        Response wrongAdmin = post("/v1/admin/merchants", "Bearer guess", Map.of("name", "x", "businessType", "BUSINESS", "feeRate", "0.1"));

        assertThat(List.of(none, wrong, merchantOnAdmin, wrongAdmin)).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.code()).isEqualTo("UNAUTHORIZED_KEY");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        });
        assertThat(count("merchant")).isEqualTo(1);
    }

    @Test
    void trialBalanceIsBalancedAfterPaymentsAndRefunds() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "pk_1", "order-0001", 10_000);
        post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "cancelAmount", 2_500));

        JsonNode balance = get("/v1/admin/ledger/trial-balance", ADMIN).body();

        assertThat(balance.get("debitTotal").asLong()).isEqualTo(12_500);
        assertThat(balance.get("creditTotal").asLong()).isEqualTo(12_500);
        assertThat(balance.get("balanced").asBoolean()).isTrue();
    }

    @Test
    void servesOpenApiSwaggerHealthAndPrometheus() {
        assertThat(get("/v3/api-docs", null).body().get("paths").has("/v1/payments/confirm")).isTrue();
        assertThat(getManagement("/actuator/health").body().get("status").asString()).isEqualTo("UP");
        assertThat(getStatus("/swagger-ui/index.html")).isEqualTo(200);
        assertThat(getManagement("/actuator/prometheus").status()).isEqualTo(200);
    }

    private int getStatus(String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
