package io.unbreakable.payments.batch.settlement;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param chunkSize merchants per chunk (one transaction)
 * @param lookbackDays how far back a late PG outcome (an UNKNOWN settled days later) is still picked up
 * @param reportDirectory where payout reports are written (the API serves them from the same place)
 * @param connections how many database connections the job works on at once: lines are staged in that
 *     many merchant slices side by side, and settled chunks' payout reports are written on that many
 *     threads less one while the next chunks settle (with 1, by the report step afterwards). 1 takes the
 *     least from payments running beside the job; more finishes sooner (docs/benchmarks.md, settlement
 *     and phase 5)
 */
@ConfigurationProperties("payments.settlement")
public record SettlementProperties(
        @DefaultValue("500") int chunkSize,
        @DefaultValue("31") int lookbackDays,
        @DefaultValue(".data/reports") Path reportDirectory,
        @DefaultValue("2") int connections) {
}
