package io.unbreakable.payments.api.security;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The three token buckets of this instance (payments.rate-limits): failed API authentications per
 * client address, API requests per merchant, failed sign-ins per client address. A refused request
 * waits for nothing: the caller answers 429 with Retry-After at once (no thread sleeps, so a flood of
 * guesses costs no more threads than it sends).
 */
@Component
public class RateLimits {

    private final boolean enabled;
    private final KeyedRateLimiter failedAuthentications;
    private final KeyedRateLimiter merchantRequests;
    private final KeyedRateLimiter signInFailures;

    RateLimits(RateLimitProperties properties, Clock clock) {
        this.enabled = properties.enabled();
        // the app's clock (tests move it); millisecond steps are plenty for buckets of a second and up
        Supplier<Long> nanoTime = () -> clock.millis() * 1_000_000L;
        this.failedAuthentications = new KeyedRateLimiter("failed-authentications", properties.failedAuthentications(), nanoTime,
                properties.maxTrackedKeys());
        this.merchantRequests = new KeyedRateLimiter("merchant-requests", properties.merchantRequests(), nanoTime,
                properties.maxTrackedKeys());
        this.signInFailures = new KeyedRateLimiter("sign-in-failures", properties.signInFailures(), nanoTime,
                properties.maxTrackedKeys());
    }

    /** Seconds to wait before this address may try a key again; 0 while its budget of failures lasts. */
    public long failedAuthenticationsExhausted(String clientIp) {
        return exhausted(failedAuthentications, clientIp);
    }

    public void failedAuthentication(String clientIp) {
        spend(failedAuthentications, clientIp);
    }

    /** Takes the merchant's token for this request: 0 when granted, else the seconds until the next one. */
    public long merchantRequest(long merchantId) {
        if (!enabled) {
            return 0;
        }
        String key = Long.toString(merchantId);
        return merchantRequests.tryAcquire(key) ? 0 : merchantRequests.retryAfterSeconds(key);
    }

    public long signInFailuresExhausted(String clientIp) {
        return exhausted(signInFailures, clientIp);
    }

    public void signInFailure(String clientIp) {
        spend(signInFailures, clientIp);
    }

    /** Every bucket full again: for tests, which each start from a fresh budget. */
    public void reset() {
        all().forEach(KeyedRateLimiter::clear);
    }

    @Scheduled(fixedDelayString = "${payments.rate-limits.sweep-interval:1m}")
    void forgetIdleBuckets() {
        all().forEach(KeyedRateLimiter::forgetIdle);
    }

    private long exhausted(KeyedRateLimiter limiter, String clientIp) {
        return enabled && limiter.exhausted(clientIp) ? limiter.retryAfterSeconds(clientIp) : 0;
    }

    private void spend(KeyedRateLimiter limiter, String clientIp) {
        if (enabled) {
            limiter.tryAcquire(clientIp);
        }
    }

    private List<KeyedRateLimiter> all() {
        return List.of(failedAuthentications, merchantRequests, signInFailures);
    }
}
