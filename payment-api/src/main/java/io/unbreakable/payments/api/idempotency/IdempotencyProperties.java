package io.unbreakable.payments.api.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl how long a key and its stored response are kept (Toss: 15 days)
 * @param lockTimeout a key whose request has been running this long is taken to be abandoned (its
 *     process died) and the next request with it resumes the work; must exceed the slowest request
 */
@ConfigurationProperties("payments.idempotency")
public record IdempotencyProperties(
        @DefaultValue("15d") Duration ttl,
        @DefaultValue("60s") Duration lockTimeout) {
}
