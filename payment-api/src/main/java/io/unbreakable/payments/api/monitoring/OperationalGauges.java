package io.unbreakable.payments.api.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of the system's state read from the database on a schedule, so a scrape costs nothing and
 * what the one-shot batch jobs did outlives their processes: the jobs write Spring Batch's metadata
 * tables anyway, so the API reads their last runs from there (no Pushgateway to run and secure).
 * Every instance exports the same values; dashboards and alerts take {@code max}.
 */
@Component
class OperationalGauges {

    private static final Logger log = LoggerFactory.getLogger(OperationalGauges.class);

    private final MonitoringRepository monitoring;
    private final List<String> batchJobs;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final MultiGauge stepDurations;
    private final MultiGauge stepItemsWritten;

    OperationalGauges(MonitoringRepository monitoring, MeterRegistry meters,
            @Value("${payments.monitoring.batch-jobs:settlementJob,walletReconciliationJob,subscriptionRenewalJob,payoutJob,payoutResultJob}") List<String> batchJobs) {
        this.monitoring = monitoring;
        this.batchJobs = batchJobs;
        for (String kind : List.of("payment", "cancel", "subscription_charge")) {
            gauge(meters, "payments.outcome.open", "operations whose PG outcome is still open (UNKNOWN or in flight)", "kind", kind);
            gauge(meters, "payments.outcome.open.oldest.age.seconds", "age of the oldest of them", "kind", kind);
        }
        gauge(meters, "payments.webhooks.outbox.pending", "webhook deliveries not yet delivered or failed");
        gauge(meters, "payments.webhooks.outbox.lag.seconds", "how long the oldest due webhook delivery has waited for a dispatcher");
        gauge(meters, "payments.webhooks.outbox.oldest.pending.age.seconds", "age of the oldest pending delivery, retries included");
        gauge(meters, "ledger.trial.balance.imbalance.won", "debits minus credits over the whole ledger: must be 0");
        gauge(meters, "ledger.wallet.discrepancies", "wallets that differ from their ledger account: must be 0");
        gauge(meters, "reconciliation.discrepancies.last.run", "discrepancies found by the last walletReconciliationJob run");
        gauge(meters, "settlement.last.payout.won", "payout total of the last settled sales date");
        gauge(meters, "settlement.last.sales.date.seconds", "the last settled sales date (00:00 Asia/Seoul, epoch seconds)");
        gauge(meters, "payouts.due.unrequested", "payouts due today or earlier (Asia/Seoul) and not sent: SCHEDULED or RELEASED");
        gauge(meters, "payouts.due.unrequested.won", "their amount");
        gauge(meters, "payouts.held", "payouts on hold (finance, account problem, negative wallet)");
        gauge(meters, "payouts.failed", "FAILED payouts: their amount is back in the wallets, waiting for an account fix and a retry");
        gauge(meters, "payouts.failed.won", "their amount");
        gauge(meters, "payouts.in.transit", "payouts sent (REQUESTED or UNKNOWN) without a result yet");
        gauge(meters, "payouts.ledger.mismatch.won", "payout clearing and in-transit accounts against the open payouts they hold: must be 0");
        stepDurations = MultiGauge.builder("batch.step.last.run.duration.seconds")
                .description("duration of each step of each job's last run").register(meters);
        stepItemsWritten = MultiGauge.builder("batch.step.last.run.items.written")
                .description("items written by each step of each job's last run").register(meters);
        for (String job : batchJobs) {
            gauge(meters, "batch.job.last.success.timestamp.seconds", "end of the job's last COMPLETED run (0: never)", "job_name", job);
            gauge(meters, "batch.job.last.run.failed", "1 when the job's last run ended FAILED (or is stuck STARTED), else 0", "job_name", job);
            gauge(meters, "batch.job.last.run.duration.seconds", "duration of the job's last finished run", "job_name", job);
            for (String count : List.of("read", "written", "skipped")) {
                gauge(meters, "batch.job.last.run.items." + count, "items " + count + " by the job's last run, all steps", "job_name", job);
            }
        }
    }

    private void gauge(MeterRegistry meters, String name, String description, String... tags) {
        String key = key(name, tags);
        values.put(key, Double.NaN);
        Gauge.builder(name, values, map -> map.getOrDefault(key, Double.NaN)).description(description).tags(tags).register(meters);
    }

    private static String key(String name, String... tags) {
        return name + String.join(",", tags);
    }

    /**
     * Cheap queries every 30 s; the trial balance sums the ledger, so it has its own, slower schedule.
     * Synchronized: a refresh reads, then replaces the step rows whole, so one started earlier must not
     * finish after a later one and put back what it read before.
     */
    @Scheduled(initialDelayString = "${payments.monitoring.initial-delay:5s}", fixedDelayString = "${payments.monitoring.refresh-interval:30s}")
    synchronized void refresh() {
        try {
            monitoring.openOutcomes().forEach(open -> {
                values.put(key("payments.outcome.open", "kind", open.kind()), (double) open.count());
                values.put(key("payments.outcome.open.oldest.age.seconds", "kind", open.kind()), open.oldestAgeSeconds());
            });
            MonitoringRepository.WebhookOutbox outbox = monitoring.webhookOutbox();
            values.put(key("payments.webhooks.outbox.pending"), (double) outbox.pending());
            values.put(key("payments.webhooks.outbox.lag.seconds"), outbox.lagSeconds());
            values.put(key("payments.webhooks.outbox.oldest.pending.age.seconds"), outbox.oldestPendingAgeSeconds());
            values.put(key("reconciliation.discrepancies.last.run"), (double) monitoring.lastReconciliationDiscrepancies());
            MonitoringRepository.PayoutState payouts = monitoring.payouts();
            values.put(key("payouts.due.unrequested"), (double) payouts.due());
            values.put(key("payouts.due.unrequested.won"), (double) payouts.dueWon());
            values.put(key("payouts.held"), (double) payouts.held());
            values.put(key("payouts.failed"), (double) payouts.failed());
            values.put(key("payouts.failed.won"), (double) payouts.failedWon());
            values.put(key("payouts.in.transit"), (double) payouts.inTransit());
            MonitoringRepository.LastSettlement settlement = monitoring.lastSettlement();
            values.put(key("settlement.last.payout.won"), (double) settlement.payoutWon());
            values.put(key("settlement.last.sales.date.seconds"), settlement.salesDateEpochSeconds());
            for (String job : batchJobs) {
                MonitoringRepository.JobRuns runs = monitoring.jobRuns(job);
                values.put(key("batch.job.last.success.timestamp.seconds", "job_name", job), runs.lastSuccessEpochSeconds());
                values.put(key("batch.job.last.run.failed", "job_name", job), runs.lastFailed() ? 1.0 : 0.0);
                values.put(key("batch.job.last.run.duration.seconds", "job_name", job), runs.lastDurationSeconds());
                values.put(key("batch.job.last.run.items.read", "job_name", job), (double) runs.read());
                values.put(key("batch.job.last.run.items.written", "job_name", job), (double) runs.written());
                values.put(key("batch.job.last.run.items.skipped", "job_name", job), (double) runs.skipped());
            }
            List<MonitoringRepository.StepRun> steps = monitoring.lastRunSteps(batchJobs);
            stepDurations.register(steps.stream().map(step -> MultiGauge.Row.of(
                    Tags.of("job_name", step.jobName(), "step_name", step.stepName()), step.durationSeconds())).toList(), true);
            stepItemsWritten.register(steps.stream().map(step -> MultiGauge.Row.of(
                    Tags.of("job_name", step.jobName(), "step_name", step.stepName()), step.written())).toList(), true);
        } catch (RuntimeException e) {
            log.warn("operational gauges not refreshed: {}", e.toString());
        }
    }

    @Scheduled(initialDelayString = "${payments.monitoring.initial-delay:5s}", fixedDelayString = "${payments.monitoring.ledger-check-interval:5m}")
    synchronized void checkLedger() {
        try {
            values.put(key("ledger.trial.balance.imbalance.won"), (double) monitoring.trialBalanceImbalance());
            values.put(key("ledger.wallet.discrepancies"), (double) monitoring.walletDiscrepancies());
            values.put(key("payouts.ledger.mismatch.won"), (double) monitoring.payoutLedgerMismatch());
        } catch (RuntimeException e) {
            log.warn("ledger check not done: {}", e.toString());
        }
    }
}
