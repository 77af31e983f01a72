package io.unbreakable.payments.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token buckets of this instance (N instances behind a load balancer allow up to N times as much):
 *
 * @param enabled false switches every bucket off (for a benchmark's A/B run; never in production)
 * @param failedAuthentications per client address: wrong or missing API keys and admin tokens
 * @param merchantRequests per merchant: authenticated API requests
 * @param signInFailures per client address: failed console and portal sign-ins (the per-user lock is separate)
 * @param maxTrackedKeys addresses or merchants remembered per bucket kind; beyond it, new ones share one bucket
 */
@ConfigurationProperties("payments.rate-limits")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"20", "1m"}) Limit failedAuthentications,
        @DefaultValue({"1000", "1s"}) Limit merchantRequests,
        @DefaultValue({"20", "15m"}) Limit signInFailures,
        @DefaultValue("100000") int maxTrackedKeys) {

    /** {@code limit} tokens, refilled whole every {@code period}. */
    public record Limit(int limit, Duration period) {

        public Limit {
            if (limit < 1 || period == null || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("a rate limit needs limit >= 1 and a positive period, was " + limit + " per " + period);
            }
        }
    }
}
