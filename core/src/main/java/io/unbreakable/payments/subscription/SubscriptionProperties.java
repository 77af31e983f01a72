package io.unbreakable.payments.subscription;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retryDays days after the cycle's due date on which a declined renewal is retried; three
 *                  retries by default (+1, +3, +5), after the last one the subscription is SUSPENDED
 * @param staleAfter an attempt still IN_PROGRESS after this long belongs to a process that died: the
 *                   next run resolves it (its PG call is idempotent, so resolving early is safe, only wasteful)
 * @param concurrency PG calls in flight at once while charging (the PG's latency, not our CPU, bounds a run)
 * @param chunkSize due subscriptions the renewal job reads and charges per chunk (one step commit)
 * @param batchSize subscriptions claimed, called and applied together (one claim and one apply transaction)
 * @param parallelBatches batches in flight at once, so one batch's database work overlaps the others' PG calls
 */
@ConfigurationProperties("payments.subscription")
public record SubscriptionProperties(
        @DefaultValue({"1", "3", "5"}) List<Integer> retryDays,
        @DefaultValue("2m") Duration staleAfter,
        @DefaultValue("64") int concurrency,
        @DefaultValue("4000") int chunkSize,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("2") int parallelBatches) {

    public SubscriptionProperties {
        retryDays = List.copyOf(retryDays);
        if (retryDays.size() != 3) {
            throw new IllegalArgumentException("payments.subscription.retry-days needs three retries, got " + retryDays);
        }
        if (concurrency < 1 || chunkSize < 1 || batchSize < 1 || parallelBatches < 1) {
            throw new IllegalArgumentException("payments.subscription concurrency, chunk-size, batch-size and parallel-batches must be at least 1");
        }
    }

    /** The last attempt of a cycle: the first charge plus the retries. */
    public int lastAttempt() {
        return retryDays.size() + 1;
    }
}
