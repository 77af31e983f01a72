package io.unbreakable.payments.batch.settlement;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the payout reports of each settled chunk on background threads ({@link
 * SettlementProperties#reportWriters()}) once that chunk has committed, so the report files (CPU in this
 * JVM and the kernel) are written while the next chunks settle (work in the database), instead of in a
 * step of their own afterwards. A settling partition waits for them before it ends. Best effort by design:
 * the {@code writePayoutReports} step then writes every report still missing (one that failed here, or all
 * of a run killed before), so each payout still gets its report.
 */
class BackgroundPayoutReports implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPayoutReports.class);
    private static final int PAYOUTS_PER_TRANSACTION = 100;

    private final PayoutReports reports;
    private final TransactionTemplate tx;
    private final ExecutorService threads; // null: no writers here, the report step writes every report
    private final List<Future<?>> submitted = new ArrayList<>();

    BackgroundPayoutReports(PayoutReports reports, TransactionTemplate tx, int threadCount) {
        this.reports = reports;
        this.tx = tx;
        this.threads = threadCount == 0 ? null : Executors.newFixedThreadPool(threadCount, task -> {
            Thread reportThread = new Thread(task, "payout-reports");
            reportThread.setDaemon(true);
            return reportThread;
        });
    }

    /**
     * Queues these payouts' reports for when the current transaction commits (never for a rolled-back
     * chunk); with no threads (a job kept to one connection) the report step writes them.
     */
    void afterCommit(List<Long> payoutIds) {
        if (threads == null || payoutIds.isEmpty()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                submit(List.copyOf(payoutIds));
            }
        });
    }

    private synchronized void submit(List<Long> payoutIds) {
        submitted.add(threads.submit(() -> {
            for (int from = 0; from < payoutIds.size(); from += PAYOUTS_PER_TRANSACTION) {
                List<Long> page = payoutIds.subList(from, Math.min(from + PAYOUTS_PER_TRANSACTION, payoutIds.size()));
                tx.executeWithoutResult(status -> reports.write(page));
            }
        }));
    }

    /** Waits until every queued report is written or has failed; a failed one is left for the report step. */
    void awaitQueued() {
        List<Future<?>> waiting;
        synchronized (this) {
            waiting = List.copyOf(submitted);
            submitted.clear();
        }
        for (Future<?> queued : waiting) {
            try {
                queued.get();
            } catch (ExecutionException e) {
                log.warn("payout reports of a chunk failed in the background; the report step writes them", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }
}
