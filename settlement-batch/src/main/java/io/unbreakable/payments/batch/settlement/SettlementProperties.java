package io.unbreakable.payments.batch.settlement;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param chunkSize merchants per chunk (one transaction)
 * @param lookbackDays how far back a late PG outcome (an UNKNOWN settled days later) is still picked up
 * @param reportDirectory where payout reports are written (the API serves them from the same place)
 */
@ConfigurationProperties("payments.settlement")
public record SettlementProperties(
        @DefaultValue("500") int chunkSize,
        @DefaultValue("31") int lookbackDays,
        @DefaultValue(".data/reports") Path reportDirectory) {
}
