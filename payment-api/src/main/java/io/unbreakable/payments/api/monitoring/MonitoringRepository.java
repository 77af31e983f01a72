package io.unbreakable.payments.api.monitoring;

import io.unbreakable.payments.ledger.LedgerService;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Repository;

/** The reads behind the operational gauges; each is one indexed query or a small aggregate. */
@Repository
class MonitoringRepository {

    private final DSLContext db;
    private final LedgerService ledger;
    private final ZoneId batchTimeZone;

    /** Spring Batch stores local times of the batch JVM's zone ({@code payments.monitoring.batch-time-zone}, default this JVM's). */
    MonitoringRepository(DSLContext db, LedgerService ledger,
            @Value("${payments.monitoring.batch-time-zone:#{T(java.time.ZoneId).systemDefault().id}}") String batchTimeZone) {
        this.db = db;
        this.ledger = ledger;
        this.batchTimeZone = ZoneId.of(batchTimeZone);
    }

    List<OpenOutcomes> openOutcomes() {
        return db.fetch("""
                select 'payment' as kind, count(*) as n, coalesce(extract(epoch from now() - min(updated_at)), 0) as age
                  from payment where status in ('UNKNOWN', 'IN_PROGRESS')
                union all
                select 'cancel', count(*), coalesce(extract(epoch from now() - min(requested_at)), 0)
                  from payment_cancel where status in ('UNKNOWN', 'IN_PROGRESS')
                union all
                select 'subscription_charge', count(*), coalesce(extract(epoch from now() - min(created_at)), 0)
                  from subscription_charge where status in ('UNKNOWN', 'IN_PROGRESS')""")
                .map(r -> new OpenOutcomes(r.get("kind", String.class), r.get("n", Long.class), r.get("age", Double.class)));
    }

    /** Payouts by what finance watches: due and not sent (payout date today or earlier, Seoul), held, failed, sent without a result. */
    PayoutState payouts() {
        Record r = db.fetchOne("""
                select count(*) filter (where status in ('SCHEDULED', 'RELEASED')
                                          and payout_date <= (now() at time zone 'Asia/Seoul')::date) as due,
                       coalesce(sum(amount) filter (where status in ('SCHEDULED', 'RELEASED')
                                          and payout_date <= (now() at time zone 'Asia/Seoul')::date), 0) as due_won,
                       count(*) filter (where status = 'HELD') as held,
                       count(*) filter (where status = 'FAILED') as failed,
                       coalesce(sum(amount) filter (where status = 'FAILED'), 0) as failed_won,
                       count(*) filter (where status in ('REQUESTED', 'UNKNOWN')) as in_transit
                  from payout where status in ('SCHEDULED', 'RELEASED', 'HELD', 'FAILED', 'REQUESTED', 'UNKNOWN')""");
        return new PayoutState(r.get("due", Long.class), r.get("due_won", Long.class), r.get("held", Long.class), r.get("failed", Long.class),
                r.get("failed_won", Long.class), r.get("in_transit", Long.class));
    }

    /**
     * How far PAYOUT_CLEARING and PAYOUTS_IN_TRANSIT are from the open payouts they must hold (the sum of both
     * differences, in won): 0, always. Sums two ledger accounts, so it runs on the ledger check's schedule.
     */
    long payoutLedgerMismatch() {
        return db.fetchOne("""
                with ledger as (
                    select a.code, coalesce(sum(case e.side when 'C' then e.amount else -e.amount end), 0) as balance
                      from ledger_account a left join ledger_entry e on e.account_id = a.id
                     where a.code in ('PAYOUT_CLEARING', 'PAYOUTS_IN_TRANSIT') group by a.code),
                open as (
                    select coalesce(sum(amount) filter (where status in ('SCHEDULED', 'HELD', 'RELEASED')), 0) as clearing,
                           coalesce(sum(amount) filter (where status in ('REQUESTED', 'UNKNOWN')), 0) as in_transit
                      from payout where status in ('SCHEDULED', 'HELD', 'RELEASED', 'REQUESTED', 'UNKNOWN'))
                select (abs(coalesce((select balance from ledger where code = 'PAYOUT_CLEARING'), 0) - open.clearing)
                      + abs(coalesce((select balance from ledger where code = 'PAYOUTS_IN_TRANSIT'), 0) - open.in_transit))::bigint as off
                  from open""").get("off", Long.class);
    }

    record PayoutState(long due, long dueWon, long held, long failed, long failedWon, long inTransit) {
    }

    /**
     * The webhook outbox: pending deliveries, how far the dispatchers are behind (the oldest due one's wait),
     * and the oldest pending one's age (retries of a failing receiver included). Both read the partial index of
     * pending rows only.
     */
    WebhookOutbox webhookOutbox() {
        Record r = db.fetchOne("""
                select count(*) as pending,
                       coalesce(extract(epoch from now() - min(next_attempt_at) filter (where next_attempt_at <= now())), 0) as lag,
                       coalesce(extract(epoch from now() - min(created_at)), 0) as oldest
                  from webhook_delivery where status = 'PENDING'""");
        return new WebhookOutbox(r.get("pending", Long.class), r.get("lag", Double.class), r.get("oldest", Double.class));
    }

    long lastReconciliationDiscrepancies() {
        return db.fetchOne("""
                select count(*) as n from reconciliation_discrepancy
                 where job_execution_id = (select max(job_execution_id) from reconciliation_discrepancy)""").get("n", Long.class);
    }

    LastSettlement lastSettlement() {
        Record r = db.fetchOne("""
                select max(sales_date) as sales_date,
                       coalesce(sum(payout_amount) filter (where sales_date = (select max(sales_date) from settlement)), 0) as payout
                  from settlement""");
        LocalDate date = r.get("sales_date", LocalDate.class);
        return new LastSettlement(r.get("payout", Long.class),
                date == null ? Double.NaN : date.atStartOfDay(ZoneId.of("Asia/Seoul")).toEpochSecond());
    }

    /** The job's last finished run, its last COMPLETED one, and the item counts of its last run's steps. */
    JobRuns jobRuns(String jobName) {
        Record r = db.fetchOne("""
                with runs as (
                  select e.job_execution_id, e.status, e.start_time, e.end_time
                    from batch_job_execution e join batch_job_instance i on i.job_instance_id = e.job_instance_id
                   where i.job_name = ?),
                last_run as (select * from runs order by job_execution_id desc limit 1)
                select (select max(end_time) from runs where status = 'COMPLETED') as last_success,
                       (select status from last_run) as last_status,
                       (select extract(epoch from end_time - start_time) from last_run) as duration,
                       coalesce((select sum(read_count) from batch_step_execution s join last_run l using (job_execution_id)), 0) as read,
                       coalesce((select sum(write_count) from batch_step_execution s join last_run l using (job_execution_id)), 0) as written,
                       coalesce((select sum(read_skip_count + process_skip_count + write_skip_count)
                                   from batch_step_execution s join last_run l using (job_execution_id)), 0) as skipped""", jobName);
        LocalDateTime lastSuccess = r.get("last_success", LocalDateTime.class);
        String status = r.get("last_status", String.class);
        Double duration = r.get("duration", Double.class);
        return new JobRuns(lastSuccess == null ? 0 : lastSuccess.atZone(batchTimeZone).toEpochSecond(),
                "FAILED".equals(status) || "UNKNOWN".equals(status),
                duration == null ? Double.NaN : duration,
                r.get("read", Long.class), r.get("written", Long.class), r.get("skipped", Long.class));
    }

    /**
     * The steps of each job's last run (one query for all jobs). A partitioned step's partitions
     * ({@code step:partitionN}) are left out: the step itself carries their totals, and one series per
     * partition would come and go with the partition count.
     */
    List<StepRun> lastRunSteps(List<String> jobNames) {
        return db.fetch("""
                select i.job_name, s.step_name, coalesce(extract(epoch from s.end_time - s.start_time), 0) as duration, s.write_count
                  from batch_step_execution s
                  join batch_job_execution e on e.job_execution_id = s.job_execution_id
                  join batch_job_instance i on i.job_instance_id = e.job_instance_id
                 where e.job_execution_id in (select max(e2.job_execution_id) from batch_job_execution e2
                                                join batch_job_instance i2 on i2.job_instance_id = e2.job_instance_id
                                               where i2.job_name = any(?) group by i2.job_name)
                   and s.step_name not like '%:%'""",
                        (Object) jobNames.toArray(String[]::new))
                .map(r -> new StepRun(r.get("job_name", String.class), r.get("step_name", String.class),
                        r.get("duration", Double.class), r.get("write_count", Long.class)));
    }

    long trialBalanceImbalance() {
        var balance = ledger.trialBalance();
        return balance.debitTotal() - balance.creditTotal();
    }

    long walletDiscrepancies() {
        return ledger.walletDiscrepancies().size();
    }

    record OpenOutcomes(String kind, long count, double oldestAgeSeconds) {
    }

    record StepRun(String jobName, String stepName, double durationSeconds, long written) {
    }

    record WebhookOutbox(long pending, double lagSeconds, double oldestPendingAgeSeconds) {
    }

    record LastSettlement(long payoutWon, double salesDateEpochSeconds) {
    }

    record JobRuns(double lastSuccessEpochSeconds, boolean lastFailed, double lastDurationSeconds, long read, long written,
            long skipped) {
    }
}
