package io.unbreakable.payments.api.common;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.api.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer's refusal is a 4xx problem+json with a code and a message, and writes nothing: Tomcat's
 * (before any filter), Spring Security's firewall, our filters, JSON reading and Spring MVC. Sent over
 * raw sockets, so the request arrives as written.
 */
class RequestRefusalTest extends ApiTest {

    private static final String HOST = "Host: localhost\r\nConnection: close\r\n";

    static Stream<Arguments> containerRefusals() {
        return Stream.of(
                Arguments.of("an encoded NUL in the path", "GET /v1/orders/%00abc HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("an encoded slash in the path", "GET /v1/orders/a%2Fb HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("an encoded backslash in the path", "GET /v1/orders/a%5Cb HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("a malformed percent-encoding in the path", "GET /v1/orders/%ZZ HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("an overlong UTF-8 sequence in the path", "GET /v1/orders/x%C0%AF HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("a space in the request target", "GET /v1/wal let HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("a malformed method", "G@T /v1/wallet HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("an unknown HTTP version", "GET /v1/wallet HTTP/9.9\r\n" + HOST + "\r\n"),
                Arguments.of("no Host", "GET /v1/wallet HTTP/1.1\r\nConnection: close\r\n\r\n"),
                Arguments.of("a bad Host", "GET /v1/wallet HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"),
                Arguments.of("two Hosts", "GET /v1/wallet HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"),
                Arguments.of("a control character in Authorization", "GET /v1/wallet HTTP/1.1\r\n" + HOST + "Authorization: Basic \u0001\r\n\r\n"),
                Arguments.of("a control character in Idempotency-Key",
                        "POST /v1/orders HTTP/1.1\r\n" + HOST + "Idempotency-Key: a\u0001b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("a header name with a space", "GET /v1/wallet HTTP/1.1\r\n" + HOST + "Bad Header: x\r\n\r\n"),
                Arguments.of("headers over 8 KB", "GET /v1/wallet HTTP/1.1\r\n" + HOST + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                Arguments.of("a request target over 8 KB", "GET /v1/" + "a".repeat(10_000) + " HTTP/1.1\r\n" + HOST + "\r\n"),
                Arguments.of("a malformed Content-Length", "POST /v1/orders HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containerRefusals")
    void tomcatRefusalsAreProblems(String why, String request) {
        RawHttp.Answer answer = RawHttp.send(port, request);

        assertThat(answer.status()).as(why).isEqualTo(400);
        assertProblem(answer, "INVALID_REQUEST");
    }

    static Stream<Arguments> firewallRefusals() {
        return Stream.of(
                Arguments.of("a semicolon in the path", "/v1/orders/a;b", "\";\""),
                Arguments.of("an encoded percent in the path", "/v1/orders/a%25b", "\"%25\""),
                Arguments.of("a path that is not normalised", "/v1/../v1/wallet", "not normalized"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firewallRefusals")
    void firewallRefusalsAreProblemsThatSayWhy(String why, String path, String reason) {
        TestMerchant merchant = createMerchant();

        RawHttp.Answer answer = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\n" + HOST + "Authorization: " + merchant.basicAuth() + "\r\n\r\n");

        assertThat(answer.status()).as(why).isEqualTo(400);
        assertProblem(answer, "INVALID_REQUEST");
        assertThat(answer.json().get("detail").asString()).contains(reason);
    }

    @Test
    void aMalformedQueryStringIsA400NotA500() {
        TestMerchant merchant = createMerchant();

        for (String query : List.of("date=%ZZ", "date=%", "da%ZZte=2026-01-01", "date=%C0%AF")) {
            RawHttp.Answer answer = RawHttp.send(port, "GET /v1/settlements?" + query + " HTTP/1.1\r\n" + HOST
                    + "Authorization: " + merchant.basicAuth() + "\r\n\r\n");
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertProblem(answer, "INVALID_REQUEST");
        }
    }

    @Test
    void controlCharactersInThePathOrQueryAreRefusedByName() {
        TestMerchant merchant = createMerchant();

        RawHttp.Answer query = RawHttp.send(port, "GET /v1/settlements?date=%00 HTTP/1.1\r\n" + HOST + "Authorization: "
                + merchant.basicAuth() + "\r\n\r\n");
        RawHttp.Answer path = RawHttp.send(port, "GET /v1/orders/order%01x HTTP/1.1\r\n" + HOST + "Authorization: "
                + merchant.basicAuth() + "\r\n\r\n");

        assertThat(query.status()).isEqualTo(400);
        assertThat(query.json().get("detail").asString()).isEqualTo("query parameter date: must not contain control characters (U+0000 at index 0)");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.json().get("detail").asString()).startsWith("path: must not contain control characters (U+0001");
    }

    /** (endpoint, field) for every text field a client sends; {@code %s} is where the hostile text goes. */
    static Stream<Arguments> textFields() {
        String item = "{\"sku\":\"A\",\"name\":\"a\",\"unitPrice\":1000,\"quantity\":1}";
        return Stream.of(
                Arguments.of("/v1/admin/merchants", "name", "{\"name\":\"%s\",\"businessType\":\"BUSINESS\",\"feeRate\":\"0.033\"}"),
                Arguments.of("/v1/admin/merchants", "payoutAccount.holderName", "{\"name\":\"n\",\"businessType\":\"BUSINESS\",\"feeRate\":\"0.033\","
                        + "\"payoutAccount\":{\"bankCode\":\"088\",\"accountNumber\":\"110-123-456789\",\"holderName\":\"%s\"}}"),
                Arguments.of("/v1/orders", "orderName", "{\"orderId\":\"order-0001\",\"orderName\":\"%s\",\"items\":[" + item + "]}"),
                Arguments.of("/v1/orders", "customerKey", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"customerKey\":\"%s\",\"items\":[" + item + "]}"),
                Arguments.of("/v1/orders", "items[0].name", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"A\",\"name\":\"%s\",\"unitPrice\":1000,\"quantity\":1}]}"),
                Arguments.of("/v1/orders", "items[0].sku", "{\"orderId\":\"order-0001\",\"orderName\":\"n\",\"items\":[{\"sku\":\"%s\",\"name\":\"a\",\"unitPrice\":1000,\"quantity\":1}]}"),
                Arguments.of("/v1/payments/pk_paid/cancel", "cancelReason", "{\"cancelReason\":\"%s\"}"),
                Arguments.of("/v1/billing/authorizations/issue", "customerKey", "{\"customerKey\":\"%s\",\"authKey\":\"auth-1\"}"),
                Arguments.of("/v1/billing/authorizations/issue", "authKey", "{\"customerKey\":\"c-1\",\"authKey\":\"%s\"}"),
                Arguments.of("/v1/subscriptions", "planName", "{\"customerKey\":\"c-1\",\"billingKey\":\"bk\",\"planName\":\"%s\",\"amount\":9900,\"interval\":\"MONTHLY\"}"),
                Arguments.of("/v1/subscriptions", "billingKey", "{\"customerKey\":\"c-1\",\"billingKey\":\"%s\",\"planName\":\"p\",\"amount\":9900,\"interval\":\"MONTHLY\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("textFields")
    void controlCharactersInAnyTextFieldAreA400NamingTheFieldAndNothingIsWritten(String path, String field, String template) {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-paid", 4_500, 1);
        assertThat(confirm(merchant, "pk_paid", "order-paid", 5_500).status()).isEqualTo(200);
        String authorization = path.startsWith("/v1/admin/") ? ADMIN : merchant.basicAuth();
        Map<String, Integer> before = rowCounts();

        for (String hostile : List.of("\\u0000", "a\\u0000b", "\\u0007", "line\\nbreak", "tab\\tx", "\\u007f", "\\u009b", "\\ud800x")) {
            Response response = post(path, authorization, String.format(template, hostile), Map.of("Idempotency-Key", "k-" + hostile.hashCode()));

            assertThat(response.status()).as(field + " = " + hostile).isEqualTo(400);
            assertThat(response.code()).isEqualTo("INVALID_REQUEST");
            assertThat(response.body().get("detail").asString()).startsWith(field + ": must");
            assertThat(response.body().get("message").asString()).isEqualTo(response.body().get("detail").asString());
            assertThat(response.body().get("errors").get(0).get("field").asString()).isEqualTo(field);
        }
        Map<String, Integer> after = rowCounts();
        after.remove("idempotency_key"); // the refusal is the key's final answer: stored to be replayed, by design
        before.remove("idempotency_key");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void koreanTextAndCharactersBeyondTheBmpAreWelcome() {
        TestMerchant merchant = createMerchant();

        Response response = post("/v1/orders", merchant.basicAuth(), Map.of("orderId", "order-0001", "orderName", "아메리카노 ☕ 😀",
                "items", List.of(Map.of("sku", "𝔸-1", "name", "라떼 🥛", "unitPrice", 5_000, "quantity", 1))));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.body().get("orderName").asString()).isEqualTo("아메리카노 ☕ 😀");
        assertThat(response.body().get("items").get(0).get("sku").asString()).isEqualTo("𝔸-1");
    }

    @Test
    void amountsAsJsonStringsOfDigitsWorkAndEverythingElseIsAClear400() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 49_000, 1);

        for (String amount : List.of("\"50000.5\"", "\"\"", "\" 5\"", "\"1e3\"", "\"+50000\"", "\"50,000\"", "\"0x10\"", "1e3", "50000.0",
                "\"99999999999999999999\"", "true", "[50000]", "{}")) {
            Response refused = post("/v1/payments/confirm", merchant.basicAuth(),
                    "{\"paymentKey\":\"pk_1\",\"orderId\":\"order-0001\",\"amount\":" + amount + "}");
            assertThat(refused.status()).as(amount).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("INVALID_REQUEST");
            assertThat(refused.body().get("detail").asString()).as(amount).startsWith("amount: ");
        }
        assertThat(db.fetchCount(PAYMENT)).isZero();

        // as Toss's sample server forwards it from the success URL: a string of digits
        Response paid = post("/v1/payments/confirm", merchant.basicAuth(), "{\"paymentKey\":\"pk_1\",\"orderId\":\"order-0001\",\"amount\":\"50000\"}");

        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.body().get("totalAmount").asLong()).isEqualTo(50_000);
        assertThat(walletBalance(merchant)).isEqualTo(50_000);
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanGuessed() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 9_000, 1);

        Response response = post("/v1/payments/confirm", merchant.basicAuth(),
                "{\"paymentKey\":\"pk_1\",\"orderId\":\"order-0001\",\"amount\":1,\"amount\":10000}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asString()).contains("Duplicate Object property \"amount\"");
        assertThat(db.fetchCount(PAYMENT)).isZero();
    }

    @Test
    void aBodyOverTheLimitIsA413BeforeItIsReadWithOrWithoutAnIdempotencyKey() {
        TestMerchant merchant = createMerchant();
        String auth = "Authorization: " + merchant.basicAuth() + "\r\n";
        byte[] large = ("{\"orderId\":\"order-0001\",\"orderName\":\"" + "a".repeat(70_000) + "\",\"items\":[]}").getBytes(StandardCharsets.UTF_8);

        // Content-Length says it: refused from the headers alone (10 MB announced, 70 KB sent)
        RawHttp.Answer announced = RawHttp.send(port, "POST /v1/orders HTTP/1.1\r\n" + HOST + auth
                + "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n", large);
        // chunked: refused once the limit is passed
        StringBuilder chunked = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            chunked.append("800\r\n").append(" ".repeat(0x800)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        RawHttp.Answer streamed = RawHttp.send(port, "POST /v1/orders HTTP/1.1\r\n" + HOST + auth
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nIdempotency-Key: big-1\r\n\r\n",
                chunked.toString().getBytes(StandardCharsets.ISO_8859_1));
        Response plain = post("/v1/orders", merchant.basicAuth(), new String(large, StandardCharsets.UTF_8));
        Response keyed = post("/v1/orders", merchant.basicAuth(), new String(large, StandardCharsets.UTF_8), Map.of("Idempotency-Key", "big-2"));

        for (RawHttp.Answer answer : List.of(announced, streamed)) {
            assertThat(answer.status()).isEqualTo(413);
            assertProblem(answer, "PAYLOAD_TOO_LARGE");
        }
        assertThat(plain.status()).isEqualTo(413);
        assertThat(keyed.status()).isEqualTo(413);
        assertThat(keyed.body().get("detail").asString()).isEqualTo("request bodies are limited to 65536 bytes");
        assertThat(db.fetchCount(ORDERS)).isZero();
        assertThat(db.fetchCount(IDEMPOTENCY_KEY)).isZero();
    }

    @Test
    void unsupportedMediaTypesAndMethodsAreProblems() {
        TestMerchant merchant = createMerchant();
        String auth = "Authorization: " + merchant.basicAuth() + "\r\n";

        RawHttp.Answer text = RawHttp.send(port, "POST /v1/orders HTTP/1.1\r\n" + HOST + auth + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n",
                "{}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer form = RawHttp.send(port, "POST /v1/orders HTTP/1.1\r\n" + HOST + auth
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\n", "a=%ZZ".getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer wildcard = RawHttp.send(port, "POST /v1/orders HTTP/1.1\r\n" + HOST + auth + "Content-Type: */*\r\nContent-Length: 2\r\n\r\n",
                "{}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer trace = RawHttp.send(port, "TRACE /v1/wallet HTTP/1.1\r\n" + HOST + auth + "\r\n");
        RawHttp.Answer brokenChunks = RawHttp.send(port, "POST /v1/orders HTTP/1.1\r\n" + HOST + auth
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", "ZZ\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(text.status()).isEqualTo(415);
        assertProblem(text, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(form.status()).isEqualTo(415);
        assertProblem(form, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(wildcard.status()).as("found by ApiFuzzTest: was a 500").isEqualTo(415);
        assertProblem(wildcard, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(trace.status()).isEqualTo(405);
        assertProblem(trace, "METHOD_NOT_ALLOWED");
        assertThat(brokenChunks.status()).isEqualTo(400);
        assertProblem(brokenChunks, "INVALID_REQUEST");
        assertThat(db.fetchCount(ORDERS)).isZero();
    }

    @Test
    void theErrorPageItselfIsAProblemForBrowsersToo() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /error HTTP/1.1\r\n" + HOST + "Accept: text/html\r\n\r\n");

        assertThat(answer.status()).isEqualTo(404);
        assertProblem(answer, "NOT_FOUND");
    }

    private static void assertProblem(RawHttp.Answer answer, String code) {
        assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
        assertThat(answer.code()).as(answer.body()).isEqualTo(code);
        assertThat(answer.json().get("message").asString()).isNotBlank().isEqualTo(answer.json().get("detail").asString());
        assertThat(answer.json().get("status").asInt()).isEqualTo(answer.status());
    }

    private Map<String, Integer> rowCounts() {
        return new java.util.TreeMap<>(Map.of("merchant", db.fetchCount(MERCHANT), "orders", db.fetchCount(ORDERS),
                "payment", db.fetchCount(PAYMENT), "payment_cancel", db.fetchCount(PAYMENT_CANCEL),
                "billing_key", db.fetchCount(BILLING_KEY), "subscription", db.fetchCount(SUBSCRIPTION),
                "idempotency_key", db.fetchCount(IDEMPOTENCY_KEY)));
    }
}
