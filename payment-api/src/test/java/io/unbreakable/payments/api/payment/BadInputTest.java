package io.unbreakable.payments.api.payment;

import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A client mistake is a 4xx problem+json with a stable code, and nothing is written. */
class BadInputTest extends ApiTest {

    private static final String ITEM = "{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":1000,\"quantity\":1}";

    static Stream<Arguments> badOrders() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"orderId\":\"order-0001\","),
                Arguments.of("not JSON at all", "orderId=order-0001"),
                Arguments.of("missing items", "{\"orderId\":\"order-0001\",\"orderName\":\"n\"}"),
                Arguments.of("empty items", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[]}"),
                Arguments.of("orderId too short", "{\"orderId\":\"ab\",\"orderName\":\"n\",\"items\":[" + ITEM + "]}"),
                Arguments.of("orderId with spaces", "{\"orderId\":\"order 0001\",\"orderName\":\"n\",\"items\":[" + ITEM + "]}"),
                Arguments.of("absurdly long name", "{\"orderId\":\"order-0001\",\"orderName\":\"" + "가".repeat(5_000) + "\",\"items\":[" + ITEM + "]}"),
                Arguments.of("zero quantity", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":1000,\"quantity\":0}]}"),
                Arguments.of("negative price", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":-1,\"quantity\":1}]}"),
                Arguments.of("fractional price", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":999.5,\"quantity\":1}]}"),
                Arguments.of("overflowing price", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":99999999999999999999999,\"quantity\":1}]}"),
                Arguments.of("price above the limit", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":9223372036854775807,\"quantity\":2}]}"),
                Arguments.of("zero total", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":0,\"quantity\":1}]}"),
                Arguments.of("price as text", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":\"lots\",\"quantity\":1}]}"),
                Arguments.of("null item", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[null]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOrders")
    void refusesABadOrderWithAProblemAndWritesNothing(String why, String body) {
        TestMerchant merchant = createMerchant();

        Response response = post("/v1/orders", merchant.basicAuth(), body);

        assertThat(response.status()).as(why).isEqualTo(400);
        assertThat(response.code()).as(why).isIn("INVALID_REQUEST", "INVALID_AMOUNT");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body().get("detail").asString()).isNotBlank();
        assertThat(db.fetchCount(ORDERS)).isZero();
    }

    @Test
    void refusesADuplicateOrderId() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 1_000, 1);

        Response duplicate = post("/v1/orders", merchant.basicAuth(),
                "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[" + ITEM + "]}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("DUPLICATED_ORDER_ID");
        assertThat(db.fetchCount(ORDERS)).isEqualTo(1);
    }

    @Test
    void refusesBadConfirmsAndCancelsWithoutWriting() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);

        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), Map.of("paymentKey", "pk_1", "orderId", "order-0001")).code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), Map.of("paymentKey", "pk_1", "orderId", "order-0001", "amount", -10_000)).code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), "{\"paymentKey\":\"pk_1\",\"orderId\":\"order-0001\",\"amount\":10000.5}").code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), Map.of("paymentKey", "p".repeat(201), "orderId", "order-0001", "amount", 10_000)).code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(confirm(merchant, "pk_1", "no-such-order", 10_000).code()).isEqualTo("NOT_FOUND_ORDER");
        assertThat(db.fetchCount(PAYMENT)).isZero();
        assertThat(simulator.stats().get("requests")).isZero();

        confirm(merchant, "pk_1", "order-0001", 10_000);
        assertThat(post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelAmount", 100)).code()).isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "cancelAmount", 0)).code()).isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "items",
                java.util.List.of(Map.of("itemId", 999_999, "quantity", 1)))).code()).isEqualTo("INVALID_REQUEST");
        assertThat(post("/v1/payments/nope/cancel", merchant.basicAuth(), Map.of("cancelReason", "x")).code()).isEqualTo("NOT_FOUND_PAYMENT");
        assertThat(db.fetchCount(PAYMENT_CANCEL)).isZero();
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        TestMerchant merchant = createMerchant();
        assertThat(get("/v1/nothing-here", merchant.basicAuth()).code()).isEqualTo("NOT_FOUND");
        Response wrongMethod = get("/v1/payments/confirm", merchant.basicAuth());
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.code()).isNotNull();
    }
}
