package io.unbreakable.payments.batch.payout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PG's payouts API (지급대행, Toss-style) over HTTP: {@code POST /v2/payouts} with an
 * Idempotency-Key, {@code GET /v2/payouts/{refPayoutId}}, {@code POST /v2/bank-accounts/holder-check}.
 * Anything but a readable answer is {@link PayoutAnswer.NoAnswer}: the caller never guesses.
 */
class PgPayoutClient {

    private static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    enum HolderCheck { MATCHED, MISMATCH, NO_ANSWER }

    private final String baseUrl;
    private final String authorization;
    private final Duration readTimeout;
    private final HttpClient http;

    PgPayoutClient(String baseUrl, String secretKey, Duration connectTimeout, Duration readTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((secretKey + ":").getBytes(StandardCharsets.UTF_8));
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    PayoutAnswer request(PayoutOrder order, String memo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("refPayoutId", order.reference());
        body.put("amount", order.amountWon());
        body.put("bankCode", order.bankCode());
        body.put("accountNumber", order.accountNumber());
        body.put("holderName", order.holderName());
        body.put("transactionDescription", memo);
        HttpRequest request = json("/v2/payouts").header("Idempotency-Key", order.reference())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return answer(request, false);
    }

    PayoutAnswer inquire(String reference) {
        return answer(json("/v2/payouts/" + reference).GET().build(), true);
    }

    HolderCheck checkHolder(String bankCode, String accountNumber, String holderName) {
        HttpRequest request = json("/v2/bank-accounts/holder-check").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("bankCode", bankCode, "accountNumber", accountNumber, "holderName", holderName)))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return HolderCheck.NO_ANSWER;
            }
            return JSON.readTree(response.body()).path("matched").asBoolean(false) ? HolderCheck.MATCHED : HolderCheck.MISMATCH;
        } catch (IOException | JacksonException e) {
            return HolderCheck.NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HolderCheck.NO_ANSWER;
        }
    }

    private HttpRequest.Builder json(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(readTimeout)
                .header("Authorization", authorization).header("Content-Type", "application/json");
    }

    private PayoutAnswer answer(HttpRequest request, boolean inquiry) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            JsonNode body = JSON.readTree(response.body());
            if (status == 200) {
                return switch (body.path("status").asString("")) {
                    case "COMPLETED" -> new PayoutAnswer.Paid();
                    case "FAILED" -> new PayoutAnswer.Failed(body.path("error").path("code").asString("PAYOUT_FAILED"),
                            body.path("error").path("message").asString(""));
                    case "REQUESTED", "IN_PROGRESS" -> new PayoutAnswer.Pending();
                    default -> new PayoutAnswer.NoAnswer("unexpected payout status " + body.path("status"));
                };
            }
            if (inquiry && status == 404) {
                return new PayoutAnswer.NotFound();
            }
            if (status == 400 && !inquiry) {
                // the provider refused the request itself (e.g. an account it cannot take): nothing was sent
                return new PayoutAnswer.Failed(body.path("code").asString("INVALID_REQUEST"), body.path("message").asString(""));
            }
            return new PayoutAnswer.NoAnswer("HTTP " + status + " " + body.path("code").asString(""));
        } catch (IOException | JacksonException e) {
            return new PayoutAnswer.NoAnswer(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PayoutAnswer.NoAnswer("interrupted");
        }
    }
}
