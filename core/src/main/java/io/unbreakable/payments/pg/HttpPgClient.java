package io.unbreakable.payments.pg;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP adapter for a Toss-style PG, with connect and read timeouts on every call, the read
 * timeout cut shorter when the caller's deadline ({@link #until}) comes first. A call that cannot
 * have reached the PG (connection refused, or not made within the connect timeout) is
 * {@link PgResult.Unknown#notSent}.
 */
public class HttpPgClient implements PgClient {

    private static final Logger log = LoggerFactory.getLogger(HttpPgClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final String provider;
    private final String baseUrl;
    private final String authorization;
    private final Duration readTimeout;
    private final HttpClient http;
    private final Instant deadline;

    public HttpPgClient(String provider, String baseUrl, PgProperties.Provider settings) {
        this.provider = provider;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((settings.secretKey() + ":").getBytes(StandardCharsets.UTF_8));
        this.readTimeout = settings.readTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        this.deadline = null;
    }

    private HttpPgClient(HttpPgClient client, Instant deadline) {
        this.provider = client.provider;
        this.baseUrl = client.baseUrl;
        this.authorization = client.authorization;
        this.readTimeout = client.readTimeout;
        this.http = client.http;
        this.deadline = deadline;
    }

    /** The same client (same connections) whose calls end by {@code deadline} (the caller checks it has not passed). */
    public HttpPgClient until(Instant deadline) {
        return new HttpPgClient(this, deadline);
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public PgResult<PgPayment> confirm(String paymentKey, String orderId, long amount, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("paymentKey", paymentKey);
        body.put("orderId", orderId);
        body.put("amount", amount);
        return post("/v1/payments/confirm", body, idempotencyKey);
    }

    @Override
    public PgResult<PgPayment> cancel(String paymentKey, long cancelAmount, String cancelReason, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cancelReason", cancelReason);
        body.put("cancelAmount", cancelAmount);
        return post("/v1/payments/" + encode(paymentKey) + "/cancel", body, idempotencyKey);
    }

    @Override
    public PgResult<PgPayment> inquire(String paymentKey) {
        return send(request("/v1/payments/" + encode(paymentKey)).GET(), PgPayment.class);
    }

    @Override
    public PgResult<PgPayment> inquireByOrderId(String orderId) {
        return send(request("/v1/payments/orders/" + encode(orderId)).GET(), PgPayment.class);
    }

    @Override
    public PgResult<PgBillingKey> issueBillingKey(String customerKey, String authKey, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authKey", authKey);
        body.put("customerKey", customerKey);
        return post("/v1/billing/authorizations/issue", body, idempotencyKey, PgBillingKey.class);
    }

    @Override
    public PgResult<PgPayment> chargeBillingKey(String billingKey, String customerKey, long amount, String orderId,
            String orderName, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerKey", customerKey);
        body.put("amount", amount);
        body.put("orderId", orderId);
        body.put("orderName", orderName);
        return post("/v1/billing/" + encode(billingKey), body, idempotencyKey);
    }

    private PgResult<PgPayment> post(String path, Map<String, Object> body, String idempotencyKey) {
        return post(path, body, idempotencyKey, PgPayment.class);
    }

    private <T> PgResult<T> post(String path, Map<String, Object> body, String idempotencyKey, Class<T> answer) {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        return send(request, answer);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", authorization);
    }

    private <T> PgResult<T> send(HttpRequest.Builder builder, Class<T> answer) {
        Duration timeout = readTimeout;
        if (deadline != null) {
            Duration left = Duration.between(Instant.now(), deadline);
            timeout = left.compareTo(timeout) >= 0 ? timeout : left.compareTo(Duration.ofMillis(1)) > 0 ? left : Duration.ofMillis(1);
        }
        HttpRequest request = builder.timeout(timeout).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            return PgResult.Unknown.notSent("no connection within the connect timeout: " + request.uri().getPath());
        } catch (HttpTimeoutException e) {
            return new PgResult.Unknown<>("timed out after " + timeout.toMillis() + " ms: " + request.uri().getPath(),
                    PgResult.Unknown.Kind.TIMEOUT);
        } catch (ConnectException e) {
            // no connection, so no request: the PG cannot have seen it
            return PgResult.Unknown.notSent("connection refused: " + request.uri().getPath());
        } catch (IOException e) {
            return new PgResult.Unknown<>("I/O error: " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PgResult.Unknown<>("interrupted");
        }
        int status = response.statusCode();
        try {
            if (status >= 200 && status < 300) {
                return new PgResult.Success<>(JSON.readValue(response.body(), answer)); // straight into the record: the hot path
            }
            JsonNode body = JSON.readTree(response.body());
            if (status >= 400 && status < 500 && status != 408 && status != 429 && body.hasNonNull("code")) {
                return new PgResult.Declined<>(status, body.get("code").asString(), body.path("message").asString(""));
            }
            return new PgResult.Unknown<>("HTTP " + status + " " + body.path("code").asString(""));
        } catch (JacksonException | IllegalArgumentException e) {
            log.warn("PG {} answered {} with an unreadable body on {}", provider, status, request.uri().getPath());
            return new PgResult.Unknown<>("unreadable answer, HTTP " + status);
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
