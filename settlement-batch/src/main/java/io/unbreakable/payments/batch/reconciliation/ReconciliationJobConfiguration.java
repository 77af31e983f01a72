package io.unbreakable.payments.batch.reconciliation;

import static io.unbreakable.payments.db.jooq.Tables.RECONCILIATION_DISCREPANCY;

import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.batch.job.JobSummaryListener;
import io.unbreakable.payments.batch.settlement.SettlementProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code walletReconciliationJob} ({@code date}, optional {@code pgSettlementFile=<path>}): runs
 * {@link ReconciliationChecks}, writes each discrepancy to {@code reconciliation_discrepancy} and a
 * CSV report, and ends with exit status DISCREPANCIES_FOUND (process exit code 4) when there is any,
 * so cron alerts. It never changes money.
 */
@Configuration(proxyBeanMethods = false)
class ReconciliationJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationJobConfiguration.class);

    @Bean
    Job walletReconciliationJob(JobRepository jobs, Step reconcile, JobSummaryListener summary) {
        return new JobBuilder("walletReconciliationJob", jobs).start(reconcile).listener(summary).build();
    }

    @Bean
    Step reconcile(JobRepository jobs, PlatformTransactionManager tx, ReconciliationChecks checks, DSLContext db,
            SettlementProperties settlement, @Value("${payments.reconciliation.pg-fee-rate:0.02}") BigDecimal pgFeeRate) {
        return new StepBuilder("reconcile", jobs)
                .tasklet((contribution, context) -> {
                    JobParameters parameters = context.getStepContext().getStepExecution().getJobParameters();
                    LocalDate date = parameters.getLocalDate("date");
                    String pgFile = parameters.getString("pgSettlementFile");
                    long executionId = context.getStepContext().getStepExecution().getJobExecutionId();
                    List<Discrepancy> found = checks.all(date, pgFile == null ? null : PgSettlementFile.read(Path.of(pgFile)), pgFeeRate);
                    for (Discrepancy discrepancy : found) {
                        db.insertInto(RECONCILIATION_DISCREPANCY)
                                .set(RECONCILIATION_DISCREPANCY.RUN_DATE, date)
                                .set(RECONCILIATION_DISCREPANCY.JOB_EXECUTION_ID, executionId)
                                .set(RECONCILIATION_DISCREPANCY.KIND, discrepancy.kind())
                                .set(RECONCILIATION_DISCREPANCY.REFERENCE, discrepancy.reference())
                                .set(RECONCILIATION_DISCREPANCY.EXPECTED_AMOUNT, discrepancy.expectedAmount())
                                .set(RECONCILIATION_DISCREPANCY.ACTUAL_AMOUNT, discrepancy.actualAmount())
                                .set(RECONCILIATION_DISCREPANCY.DETAIL, discrepancy.detail())
                                .execute();
                    }
                    Path report = writeReport(settlement.reportDirectory(), date, executionId, found);
                    contribution.incrementWriteCount(found.size());
                    if (found.isEmpty()) {
                        log.info("reconciliation {}: everything adds up (report {})", date, report);
                    } else {
                        log.warn("reconciliation {}: {} discrepancies, see {} and table reconciliation_discrepancy", date, found.size(), report);
                        contribution.setExitStatus(new ExitStatus(BatchExitCode.DISCREPANCIES_FOUND.name(), found.size() + " discrepancies"));
                    }
                    return RepeatStatus.FINISHED;
                }, tx)
                .build();
    }

    private static Path writeReport(Path directory, LocalDate date, long executionId, List<Discrepancy> found) {
        Path report = directory.resolve("reconciliation").resolve(date + "-" + executionId + ".csv");
        StringBuilder csv = new StringBuilder("\uFEFFkind,reference,expected_amount,actual_amount,detail\r\n");
        for (Discrepancy d : found) {
            csv.append(d.kind()).append(',').append(d.reference()).append(',')
                    .append(d.expectedAmount() == null ? "" : d.expectedAmount()).append(',')
                    .append(d.actualAmount() == null ? "" : d.actualAmount()).append(",\"")
                    .append(d.detail().replace("\"", "\"\"")).append("\"\r\n");
        }
        try {
            Files.createDirectories(report.getParent());
            Files.writeString(report, csv, StandardCharsets.UTF_8);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + report, e);
        }
    }
}
