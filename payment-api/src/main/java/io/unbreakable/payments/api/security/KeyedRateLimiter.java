package io.unbreakable.payments.api.security;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A token bucket per key (a client address, a merchant), each a Resilience4j {@link AtomicRateLimiter}:
 * {@code limit} tokens, refilled whole at the start of every {@code period}; taking one is a
 * compare-and-set, never a lock or a wait. Buckets of keys that went idle are forgotten by
 * {@link #forgetIdle()}, and at most {@code maxKeys} are kept: beyond that, new keys share one overflow
 * bucket, so spraying addresses cannot grow memory without bound.
 */
final class KeyedRateLimiter {

    private static final String OVERFLOW = "(overflow)";

    private final String name;
    private final RateLimiterConfig config;
    private final Supplier<Long> nanoTime;
    private final int maxKeys;
    private final Map<String, AtomicRateLimiter> buckets = new ConcurrentHashMap<>();

    KeyedRateLimiter(String name, RateLimitProperties.Limit limit, Supplier<Long> nanoTime, int maxKeys) {
        this.name = name;
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(limit.limit())
                .limitRefreshPeriod(limit.period())
                .timeoutDuration(Duration.ZERO) // refuse at once; nobody waits for a token
                .writableStackTraceEnabled(false)
                .build();
        this.nanoTime = nanoTime;
        this.maxKeys = maxKeys;
    }

    /** Takes a token; false when the key's bucket is empty. */
    boolean tryAcquire(String key) {
        return bucket(key).acquirePermission();
    }

    /** Whether the key's bucket is empty now, without taking anything. */
    boolean exhausted(String key) {
        AtomicRateLimiter bucket = buckets.get(key);
        if (bucket == null && buckets.size() >= maxKeys) {
            bucket = buckets.get(OVERFLOW);
        }
        return bucket != null && bucket.getMetrics().getAvailablePermissions() <= 0;
    }

    /** Whole seconds until the key's bucket has a token again (at least 1): the Retry-After. */
    long retryAfterSeconds(String key) {
        long nanos = bucket(key).getDetailedMetrics().getNanosToWait();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** Drops buckets that are full again: their keys have not used them for at least a period. */
    void forgetIdle() {
        buckets.values().removeIf(bucket -> bucket.getMetrics().getAvailablePermissions() >= config.getLimitForPeriod());
    }

    void clear() {
        buckets.clear();
    }

    private AtomicRateLimiter bucket(String key) {
        AtomicRateLimiter bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        String kept = buckets.size() < maxKeys ? key : OVERFLOW;
        return buckets.computeIfAbsent(kept, k -> new AtomicRateLimiter(name + ":" + k, config, Map.of(), nanoTime));
    }
}
