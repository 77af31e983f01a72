package io.unbreakable.payments.batch.settlement;

import io.unbreakable.payments.batch.calendar.BusinessCalendar;
import io.unbreakable.payments.batch.job.JobSummaryListener;
import io.unbreakable.payments.batch.job.KeysetItemReader;
import io.unbreakable.payments.batch.job.ProgressListener;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.time.LocalDate;
import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.PartitionStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code settlementJob}, parameter {@code date} = sales date D (Asia/Seoul). The date's merchants are cut into
 * ranges of about equal line counts ({@link MerchantRangePartitioner}, {@code payments.settlement.partitions});
 * each of the three steps runs a partition per range, on this process's threads or on remote workers ({@link
 * SettlementPartitionHandlers}), and waits for all of them before the next step:
 * <ol>
 *   <li>{@code stageSettlementLines}: per range, one statement fixes which approvals and cancels D settles;</li>
 *   <li>{@code settleMerchants}: per range, per merchant, aggregate in SQL, apply {@link SettlementRules} in Java,
 *       write settlement + lines + payout + ledger in chunks;</li>
 *   <li>{@code writePayoutReports}: per range, a CSV and an HTML report per payout, most of them already written in
 *       the background while settling.</li>
 * </ol>
 * A failed partition fails its step and the job; the same command again restarts only the partitions that did
 * not complete, each on its own range.
 */
@Configuration(proxyBeanMethods = false)
class SettlementJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SettlementJobConfiguration.class);

    @Bean
    Job settlementJob(JobRepository jobs, Step stageSettlementLines, Step settleMerchants, Step writePayoutReports,
            JobSummaryListener summary, SettlementRepository settlements) {
        return new JobBuilder("settlementJob", jobs)
                .start(stageSettlementLines)
                .next(settleMerchants)
                .next(writePayoutReports)
                .listener(summary)
                .listener(new JobExecutionListener() {
                    @Override
                    public void afterJob(JobExecution execution) {
                        LocalDate salesDate = execution.getJobParameters().getLocalDate("date");
                        log.info("settlement {} totals: {}", salesDate, settlements.totals(salesDate));
                    }
                })
                .build();
    }

    @Bean
    MerchantRangePartitioner merchantRangePartitioner(SettlementRepository settlements) {
        return new MerchantRangePartitioner(settlements);
    }

    /** Once every range is staged, the planner must know the day's new lines (up to millions) before autovacuum gets to them. */
    @Bean
    Step stageSettlementLines(JobRepository jobs, Step stageMerchantRange, MerchantRangePartitioner partitioner,
            SettlementPartitionHandlers handlers, SettlementRepository settlements) {
        return partitioned("stageSettlementLines", jobs, stageMerchantRange, partitioner, handlers)
                .listener(new StepExecutionListener() {
                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        if (stepExecution.getStatus() == BatchStatus.COMPLETED) {
                            settlements.refreshLineStatistics();
                        }
                        return stepExecution.getExitStatus();
                    }
                })
                .build();
    }

    @Bean
    Step settleMerchants(JobRepository jobs, Step settleMerchantRange, MerchantRangePartitioner partitioner,
            SettlementPartitionHandlers handlers) {
        return partitioned("settleMerchants", jobs, settleMerchantRange, partitioner, handlers).build();
    }

    @Bean
    Step writePayoutReports(JobRepository jobs, Step writeMerchantRangeReports, MerchantRangePartitioner partitioner,
            SettlementPartitionHandlers handlers) {
        return partitioned("writePayoutReports", jobs, writeMerchantRangeReports, partitioner, handlers).build();
    }

    /** A manager step: {@code workerStep} once per merchant range of the date, where the handlers run partitions. */
    private static PartitionStepBuilder partitioned(String name, JobRepository jobs, Step workerStep,
            MerchantRangePartitioner partitioner, SettlementPartitionHandlers handlers) {
        return new StepBuilder(name, jobs)
                .partitioner(workerStep.getName(), partitioner)
                .partitionHandler(handlers.handlerFor(workerStep));
    }

    /**
     * A partition's staging: its range in {@code stagingSlicesPerPartition} merchant slices, one after the other,
     * one transaction each, each followed by its pause when the job is paced ({@link Pacing}). A slice that fails
     * fails the partition; the restarted partition finds the committed slices' lines already there (see {@link
     * SettlementRepository#stageLines}).
     */
    @Bean
    Step stageMerchantRange(JobRepository jobs, PlatformTransactionManager tx, SettlementRepository settlements,
            SettlementProperties properties, Pacing pacing) {
        TransactionTemplate sliceTransaction = new TransactionTemplate(tx);
        sliceTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new StepBuilder("stageMerchantRange", jobs)
                .tasklet((contribution, context) -> {
                    LocalDate salesDate = (LocalDate) context.getStepContext().getJobParameters().get("date");
                    MerchantRange range = MerchantRangePartitioner.rangeOf(context.getStepContext().getStepExecution());
                    List<MerchantRange> slices = settlements.merchantSlices(range, properties.stagingSlicesPerPartition());
                    int staged = 0;
                    for (MerchantRange slice : slices) {
                        staged += sliceTransaction.execute(status -> {
                            pacing.pauseAfterTransaction();
                            return settlements.stageLines(salesDate, properties.lookbackDays(), slice);
                        });
                    }
                    contribution.incrementWriteCount(staged);
                    log.info("settlement {}: staged {} approvals and cancels of merchants {} in {} slice(s)", salesDate, staged,
                            range, slices.size());
                    return RepeatStatus.FINISHED;
                }, tx)
                .build();
    }

    /**
     * A partition's settling, in chunks. It ends once the reports of its chunks written in the background are done
     * too, so that a remote worker's partition is over when its step execution says so.
     */
    @Bean
    Step settleMerchantRange(JobRepository jobs, PlatformTransactionManager tx, KeysetItemReader<SettlementInput> settlementInputReader,
            ItemProcessor<SettlementInput, SettlementDraft> settlementProcessor, SettlementWriter settlementWriter,
            ProgressListener settlementProgress, SettlementProperties properties, BackgroundPayoutReports backgroundReports) {
        return new StepBuilder("settleMerchantRange", jobs)
                .<SettlementInput, SettlementDraft>chunk(properties.chunkSize())
                .transactionManager(tx)
                .reader(settlementInputReader)
                .processor(settlementProcessor)
                .writer(settlementWriter)
                .listener(settlementProgress)
                .listener(new StepExecutionListener() {
                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        backgroundReports.awaitQueued();
                        return stepExecution.getExitStatus();
                    }
                })
                .build();
    }

    @Bean
    @StepScope
    KeysetItemReader<SettlementInput> settlementInputReader(SettlementRepository settlements, SettlementProperties properties,
            @Value("#{jobParameters['date']}") LocalDate salesDate, @Value("#{stepExecution}") StepExecution partition) {
        MerchantRange range = MerchantRangePartitioner.rangeOf(partition);
        return new KeysetItemReader<>((last, size) -> settlements.nextInputs(salesDate, range, last, size),
                SettlementInput::merchantId, properties.chunkSize(), range.before());
    }

    @Bean
    @StepScope
    ItemProcessor<SettlementInput, SettlementDraft> settlementProcessor(BusinessCalendar calendar,
            @Value("#{jobParameters['date']}") LocalDate salesDate) {
        LocalDate payoutDate = calendar.firstBusinessDayAfter(salesDate);
        return input -> new SettlementDraft(input, SettlementRules.settle(input), payoutDate);
    }

    @Bean
    @StepScope
    SettlementWriter settlementWriter(SettlementRepository settlements, LedgerService ledger, BackgroundPayoutReports reports,
            Pacing pacing, @Value("#{jobParameters['date']}") LocalDate salesDate) {
        return new SettlementWriter(settlements, ledger, reports, salesDate, pacing);
    }

    @Bean
    @StepScope
    ProgressListener settlementProgress(SettlementRepository settlements, @Value("#{jobParameters['date']}") LocalDate salesDate,
            @Value("#{stepExecution}") StepExecution partition) {
        MerchantRange range = MerchantRangePartitioner.rangeOf(partition);
        return new ProgressListener("merchants settled", () -> settlements.countMerchantsToSettle(salesDate, range));
    }

    /** A partition's reports still missing: one that failed in the background, or all of a run killed before. */
    @Bean
    Step writeMerchantRangeReports(JobRepository jobs, PlatformTransactionManager tx, KeysetItemReader<Long> payoutReader,
            PayoutReports payoutReports) {
        return new StepBuilder("writeMerchantRangeReports", jobs)
                .<Long, Long>chunk(100)
                .transactionManager(tx)
                .reader(payoutReader)
                .writer(payoutReports)
                .build();
    }

    @Bean
    @StepScope
    KeysetItemReader<Long> payoutReader(SettlementRepository settlements, @Value("#{jobParameters['date']}") LocalDate salesDate,
            @Value("#{stepExecution}") StepExecution partition) {
        MerchantRange range = MerchantRangePartitioner.rangeOf(partition);
        return new KeysetItemReader<>((last, size) -> settlements.payoutIdsWithoutReport(salesDate, range, last, size),
                Long::longValue, 100);
    }

    @Bean
    PayoutReports payoutReports(DSLContext db, SettlementProperties properties, Pacing pacing, WebhookOutbox webhooks) {
        return new PayoutReports(db, properties.reportDirectory(), pacing, webhooks, PayoutReports.LINES_PER_FETCH);
    }

    @Bean
    Pacing settlementPacing(SettlementProperties properties) {
        return new Pacing(properties.pauseRatio());
    }

    @Bean
    BackgroundPayoutReports backgroundPayoutReports(PayoutReports payoutReports, PlatformTransactionManager tx,
            SettlementProperties properties) {
        return new BackgroundPayoutReports(payoutReports, new TransactionTemplate(tx), properties.reportWriters());
    }
}
