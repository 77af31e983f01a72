package io.unbreakable.payments.batch.settlement;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param chunkSize merchants per chunk (one transaction)
 * @param lookbackDays how far back a late PG outcome (an UNKNOWN settled days later) is still picked up
 * @param reportDirectory where payout reports are written (the API serves them from the same place; remote
 *     workers must all write to that place, e.g. one shared volume)
 * @param partitions how many merchant ranges of about equal line counts the date is cut into; each
 *     partition stages, settles and writes the reports of its range on its own connection. With local
 *     workers that many run side by side on a bounded thread pool; 0 = the CPU count. 1 is the single-process
 *     job on one connection at a time (reports by the report step afterwards): the least taken from payments
 *     running beside it (docs/benchmarks.md, phase 5)
 * @param stagingSlices how many merchant slices the lines are staged in, over all partitions (each
 *     partition stages its share one after the other); 0 = one per partition. More slices write the same
 *     lines in smaller statements (each reads the day's payments again), so that {@code pauseRatio} can
 *     spread them out
 * @param pauseRatio after each staging slice, settled chunk and page of reports the job pauses this many
 *     times as long as the unit's writes took (0: none). For a run beside live payments: the confirms'
 *     commits flush behind the job's WAL; with 2 and small slices they were disturbed less than unpaced
 *     (1.18-1.67x idle p99 against 1.97x; docs/benchmarks.md, phase 5)
 * @param workers {@code local}: the partitions run on this process's threads; {@code remote}: they are sent
 *     through RabbitMQ to worker processes ({@code role=worker}) and this process waits for their results
 *     in the job repository
 * @param partitionTimeout remote only: how long partitions may wait while no worker runs any of the step's
 *     partitions before the job fails, saying so
 * @param queue remote only: the RabbitMQ queue the partitions go through; the job and its workers must agree
 * @param role {@code job}: run the job named on the command line and exit; {@code worker}: a long-running
 *     process that runs the partitions it receives through RabbitMQ, of any date
 */
@ConfigurationProperties("payments.settlement")
public record SettlementProperties(
        @DefaultValue("500") int chunkSize,
        @DefaultValue("31") int lookbackDays,
        @DefaultValue(".data/reports") Path reportDirectory,
        @DefaultValue("0") int partitions,
        @DefaultValue("0") int stagingSlices,
        @DefaultValue("0") double pauseRatio,
        @DefaultValue("local") Workers workers,
        @DefaultValue("PT5M") Duration partitionTimeout,
        @DefaultValue("settlement.partitions") String queue,
        @DefaultValue("job") Role role) {

    public enum Workers { LOCAL, REMOTE }

    public enum Role { JOB, WORKER }

    public SettlementProperties {
        if (partitions < 0) {
            throw new IllegalArgumentException("payments.settlement.partitions must be 0 (the CPU count) or more, was " + partitions);
        }
        if (partitions == 0) {
            partitions = Runtime.getRuntime().availableProcessors();
        }
        if (stagingSlices <= 0) {
            stagingSlices = partitions;
        }
    }

    /** Slices each partition stages its range in, one after the other. */
    int stagingSlicesPerPartition() {
        return Math.max(1, (stagingSlices + partitions - 1) / partitions);
    }

    /** Threads writing reports beside the settling partitions; none when the job keeps to one connection. */
    int reportWriters() {
        return partitions > 1 ? partitions : 0;
    }
}
