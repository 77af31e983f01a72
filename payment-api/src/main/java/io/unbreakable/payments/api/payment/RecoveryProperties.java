package io.unbreakable.payments.api.payment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How open PG outcomes are settled.
 *
 * @param staleAfter an IN_PROGRESS claim untouched this long is taken to belong to a dead process;
 *     must exceed the PG connect + read timeout
 * @param abortAfter a payment the PG has no record of is ABORTED only once it is this old, so a
 *     confirm still on its way to the PG is not declared dead too early
 */
@ConfigurationProperties("payments.recovery")
public record RecoveryProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100") int batchSize,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("5s") Duration initialBackoff,
        @DefaultValue("10m") Duration maxBackoff,
        @DefaultValue("30s") Duration staleAfter,
        @DefaultValue("2m") Duration abortAfter) {
}
