package io.unbreakable.payments.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.unbreakable.payments.client.api.AdminLedgerApi;
import io.unbreakable.payments.client.api.AdminMerchantsApi;
import io.unbreakable.payments.client.api.OrdersApi;
import io.unbreakable.payments.client.api.PaymentsApi;
import io.unbreakable.payments.client.api.WalletApi;
import io.unbreakable.payments.client.model.CancelItemRequest;
import io.unbreakable.payments.client.model.CancelRequest;
import io.unbreakable.payments.client.model.ConfirmRequest;
import io.unbreakable.payments.client.model.CreateMerchantRequest;
import io.unbreakable.payments.client.model.CreateOrderRequest;
import io.unbreakable.payments.client.model.CreatedMerchantResponse;
import io.unbreakable.payments.client.model.ItemRequest;
import io.unbreakable.payments.client.model.ItemResponse;
import io.unbreakable.payments.client.model.OrderResponse;
import io.unbreakable.payments.client.model.PaymentResponse;
import io.unbreakable.payments.client.model.TrialBalanceResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's walk-through, written against the Java client that openapi-generator made from the
 * committed docs/openapi.json, and run against payment-api's shipped jar: if the document cannot
 * authenticate, name an operation, carry the Idempotency-Key or describe an answer, this fails.
 */
class WalkThroughTest {

    private static RunningApp app;

    @BeforeAll
    static void startTheApp() throws Exception {
        app = RunningApp.start();
    }

    @AfterAll
    static void stopTheApp() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private static ApiClient client(String authorization) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(app.baseUri());
        client.setRequestInterceptor(request -> request.header("Authorization", authorization));
        return client;
    }

    @Test
    void aFirstPaymentAPartialRefundByItemTheWalletAndTheLedger() throws Exception {
        ApiClient admin = client("Bearer " + app.adminToken);
        CreatedMerchantResponse created = new AdminMerchantsApi(admin).createMerchant(new CreateMerchantRequest()
                .name("커피상점").businessType(CreateMerchantRequest.BusinessTypeEnum.INDIVIDUAL).feeRate(new BigDecimal("0.033")));
        assertThat(created.getSecretKey()).startsWith("test_sk_");
        ApiClient merchant = client("Basic " + Base64.getEncoder().encodeToString((created.getSecretKey() + ":").getBytes(StandardCharsets.UTF_8)));

        OrderResponse order = new OrdersApi(merchant).createOrder(new CreateOrderRequest()
                .orderId("order-0001").orderName("아메리카노 외 1건").customerKey("customer-1")
                .items(List.of(new ItemRequest().sku("AME").name("아메리카노").unitPrice(4_500L).quantity(2),
                        new ItemRequest().sku("LAT").name("라떼").unitPrice(5_000L).quantity(1))), null);
        assertThat(order.getTotalAmount()).isEqualTo(14_000L);

        PaymentsApi payments = new PaymentsApi(merchant);
        ConfirmRequest confirm = new ConfirmRequest().paymentKey("pk_0001").orderId("order-0001").amount(14_000L);
        PaymentResponse paid = payments.confirmPayment(confirm, "confirm-order-0001");
        assertThat(paid.getStatus()).isEqualTo(PaymentResponse.StatusEnum.DONE);
        assertThat(paid.getTotalAmount()).isEqualTo(14_000L);
        assertThat(paid.getSuppliedAmount()).isEqualTo(12_727L);
        assertThat(paid.getVat()).isEqualTo(1_273L);
        // the same key and request again: the first answer, replayed
        ApiResponse<PaymentResponse> replayed = payments.confirmPaymentWithHttpInfo(confirm, "confirm-order-0001");
        assertThat(replayed.getData().getPaymentKey()).isEqualTo("pk_0001");
        assertThat(replayed.getHeaders().get("idempotent-replayed")).containsExactly("true");

        long latte = order.getItems().stream().filter(item -> item.getSku().equals("LAT")).map(ItemResponse::getItemId).findFirst().orElseThrow();
        PaymentResponse canceled = payments.cancelPayment("pk_0001", new CancelRequest().cancelReason("라떼 품절")
                .items(List.of(new CancelItemRequest().itemId(latte).quantity(1))), null);
        assertThat(canceled.getStatus()).isEqualTo(PaymentResponse.StatusEnum.PARTIAL_CANCELED);
        assertThat(canceled.getBalanceAmount()).isEqualTo(9_000L);
        assertThat(canceled.getCancels()).hasSize(1);
        assertThat(canceled.getCancels().get(0).getCancelAmount()).isEqualTo(5_000L);

        assertThat(new WalletApi(merchant).getWallet().getBalance()).isEqualTo(9_000L);
        TrialBalanceResponse trialBalance = new AdminLedgerApi(admin).getTrialBalance();
        assertThat(trialBalance.getDebitTotal()).isEqualTo(19_000L);
        assertThat(trialBalance.getCreditTotal()).isEqualTo(19_000L);
        assertThat(trialBalance.getBalanced()).isTrue();
    }

    @Test
    void refusalsReachTheClientAsProblemsWithCodeAndMessage() {
        ApiClient stranger = client("Basic " + Base64.getEncoder().encodeToString("test_sk_nope:".getBytes(StandardCharsets.UTF_8)));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> new WalletApi(stranger).getWallet());

        assertThat(refused.getCode()).isEqualTo(401);
        assertThat(refused.getResponseHeaders().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.getResponseBody()).contains("\"code\":\"UNAUTHORIZED_KEY\"").contains("\"message\":");
    }
}
