package io.unbreakable.payments.batch.settlement;

import java.util.concurrent.TimeUnit;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Paces the job beside live payments: after each unit of its writes (a staging slice, a settled chunk, a
 * page of reports) it pauses {@code pauseRatio} times as long as the unit took, outside any transaction,
 * so no lock is held while it waits. The confirms' commits flush behind the job's WAL; small units with
 * pauses between them disturbed them less than the job at full speed, though not reliably so, and longer
 * pauses did not help more (docs/benchmarks.md, phase 5). 0 = no pauses.
 */
final class Pacing {

    private final double pauseRatio;

    Pacing(double pauseRatio) {
        this.pauseRatio = pauseRatio;
    }

    /** Pauses for pauseRatio × the time since {@code startedAt} ({@link System#nanoTime()}). */
    private void pauseAfter(long startedAt) {
        try {
            TimeUnit.NANOSECONDS.sleep((long) ((System.nanoTime() - startedAt) * pauseRatio));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Inside a transaction: pauses once it has committed or rolled back, for its time from now on. */
    void pauseAfterTransaction() {
        if (pauseRatio <= 0) {
            return;
        }
        long startedAt = System.nanoTime();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                pauseAfter(startedAt);
            }
        });
    }
}
