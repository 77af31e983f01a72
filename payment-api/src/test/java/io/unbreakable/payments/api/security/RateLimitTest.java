package io.unbreakable.payments.api.security;

import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API's token buckets (test budgets: 20 failed authentications per address and 300 requests per
 * merchant, each per 10 minutes): 429 TOO_MANY_REQUESTS problem+json with Retry-After, nothing written,
 * other addresses and merchants untouched, and a full bucket again once the clock has moved a period.
 */
class RateLimitTest extends ApiTest {

    static final Map<String, String> ATTACKER = Map.of("X-Forwarded-For", "198.51.100.23");

    @Test
    void anAddressThatFailedTooOftenIsRefusedBeforeItsKeyIsLookedAtUntilThePeriodEnds() {
        TestMerchant merchant = createMerchant();
        for (int i = 0; i < 20; i++) {
            String wrong = i % 2 == 0 ? "Basic " + java.util.Base64.getEncoder().encodeToString(("test_sk_guess" + i + ":").getBytes())
                    : "Bearer guess-" + i;
            String path = i % 2 == 0 ? "/v1/wallet" : "/v1/admin/ledger/trial-balance";
            assertThat(get(path, wrong, ATTACKER).status()).isEqualTo(401);
        }

        Response refused = get("/v1/wallet", merchant.basicAuth(), ATTACKER);
        assertThat(refused.status()).as("even the right key: a 429 must not tell a guesser it was right").isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
        assertThat(refused.code()).isEqualTo("TOO_MANY_REQUESTS");
        assertThat(refused.body().get("detail").asString()).contains("too many failed authentications");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 600L);
        assertThat(get("/v1/admin/ledger/trial-balance", ADMIN, ATTACKER).status()).isEqualTo(429);

        assertThat(get("/v1/wallet", merchant.basicAuth(), Map.of("X-Forwarded-For", "203.0.113.5")).status())
                .as("another address").isEqualTo(200);
        assertThat(get("/v1/wallet", merchant.basicAuth()).status()).as("no forwarded header: the TCP peer").isEqualTo(200);

        clock.advance(Duration.ofSeconds(retryAfter));
        assertThat(get("/v1/wallet", merchant.basicAuth(), ATTACKER).status()).isEqualTo(200);
    }

    @Test
    void aMerchantOverItsRequestBudgetGets429AndNothingIsWrittenWhileOtherMerchantsGoOn() {
        TestMerchant busy = createMerchant("바쁜 상점", "BUSINESS", "0.033");
        TestMerchant quiet = createMerchant("조용한 상점", "BUSINESS", "0.033");
        for (int i = 0; i < 300; i++) {
            assertThat(get("/v1/wallet", busy.basicAuth()).status()).isEqualTo(200);
        }

        Response refused = post("/v1/orders", busy.basicAuth(), Map.of("orderId", "order-over-1", "orderName", "주문",
                "items", List.of(Map.of("sku", "A", "name", "a", "unitPrice", 1_000, "quantity", 1))));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("TOO_MANY_REQUESTS");
        assertThat(refused.body().get("detail").asString()).contains("merchant " + busy.merchantId());
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 600L);
        assertThat(db.fetchCount(ORDERS)).as("a refused request writes nothing").isZero();
        assertThat(get("/v1/wallet", quiet.basicAuth()).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(10));
        createOrder(busy, "order-over-1", 1_000, 1);
        assertThat(db.fetchCount(ORDERS)).isEqualTo(1);
    }
}
