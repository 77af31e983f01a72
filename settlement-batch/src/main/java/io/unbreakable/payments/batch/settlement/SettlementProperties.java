package io.unbreakable.payments.batch.settlement;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param chunkSize merchants per chunk (one transaction)
 * @param lookbackDays how far back a late PG outcome (an UNKNOWN settled days later) is still picked up
 * @param reportDirectory where payout reports are written (the API serves them from the same place)
 * @param connections how many database connections the job works on side by side: lines are staged in
 *     that many merchant slices, and settled chunks' payout reports are written by that many threads
 *     while the next chunks settle. 1 keeps the job to one connection at a time (reports by the report
 *     step afterwards): the least taken from payments running beside it; more finishes sooner
 *     (docs/benchmarks.md, settlement and phase 5)
 * @param stagingSlices how many merchant slices the lines are staged in, {@code connections} at a time; 0 =
 *     as many as connections. More slices write the same lines in smaller statements (each reads the day's
 *     payments again), so that {@code pauseRatio} can spread them out
 * @param pauseRatio after each staging slice, settled chunk and page of reports the job pauses this many
 *     times as long as the unit's writes took (0: none). For a run beside live payments: the confirms'
 *     commits flush behind the job's WAL; with 2 and small slices they were disturbed less than unpaced
 *     (1.18-1.67x idle p99 against 1.97x; docs/benchmarks.md, phase 5)
 */
@ConfigurationProperties("payments.settlement")
public record SettlementProperties(
        @DefaultValue("500") int chunkSize,
        @DefaultValue("31") int lookbackDays,
        @DefaultValue(".data/reports") Path reportDirectory,
        @DefaultValue("2") int connections,
        @DefaultValue("0") int stagingSlices,
        @DefaultValue("0") double pauseRatio) {

    public SettlementProperties {
        if (connections < 1) {
            throw new IllegalArgumentException("payments.settlement.connections must be at least 1, was " + connections);
        }
        if (stagingSlices <= 0) {
            stagingSlices = connections;
        }
    }

    /** Threads writing reports beside the settling connection; none when the job keeps to one connection. */
    int reportWriters() {
        return connections > 1 ? connections : 0;
    }
}
