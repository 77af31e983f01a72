package io.unbreakable.payments.batch.settlement;

import io.unbreakable.payments.batch.calendar.BusinessCalendar;
import io.unbreakable.payments.batch.job.JobSummaryListener;
import io.unbreakable.payments.batch.job.KeysetItemReader;
import io.unbreakable.payments.batch.job.ProgressListener;
import io.unbreakable.payments.ledger.LedgerService;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.unbreakable.payments.webhook.WebhookOutbox;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
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
 * {@code settlementJob}, parameter {@code date} = sales date D (Asia/Seoul). Three steps:
 * <ol>
 *   <li>{@code stageSettlementLines}: one statement fixes which approvals and cancels D settles;</li>
 *   <li>{@code settleMerchants}: per merchant, aggregate in SQL, apply {@link SettlementRules} in Java,
 *       write settlement + lines + payout + ledger in chunks;</li>
 *   <li>{@code writePayoutReports}: a CSV and an HTML report per payout, most of them already written in the
 *       background while settling.</li>
 * </ol>
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

    /**
     * Stages the date's lines in merchant slices, {@code connections} of them side by side, one connection and
     * transaction each: a single INSERT … SELECT runs on one core. Each slice is followed by its pause when the
     * job is paced ({@link Pacing}). A slice that fails fails the step; the restarted step finds the committed
     * slices' lines already there (see {@link SettlementRepository#stageLines}).
     */
    @Bean
    Step stageSettlementLines(JobRepository jobs, PlatformTransactionManager tx, SettlementRepository settlements,
            SettlementProperties properties, Pacing pacing) {
        TransactionTemplate sliceTransaction = new TransactionTemplate(tx);
        sliceTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new StepBuilder("stageSettlementLines", jobs)
                .tasklet((contribution, context) -> {
                    LocalDate salesDate = (LocalDate) context.getStepContext().getJobParameters().get("date");
                    List<SettlementRepository.MerchantSlice> slices = settlements.merchantSlices(properties.stagingSlices());
                    ExecutorService workers = Executors.newFixedThreadPool(Math.min(slices.size(), properties.connections()));
                    try {
                        List<Future<Integer>> staging = new ArrayList<>();
                        for (SettlementRepository.MerchantSlice slice : slices) {
                            staging.add(workers.submit(() -> sliceTransaction.execute(status -> {
                                pacing.pauseAfterTransaction();
                                return settlements.stageLines(salesDate, properties.lookbackDays(), slice);
                            })));
                        }
                        int staged = 0;
                        for (Future<Integer> slice : staging) {
                            staged += slice.get();
                        }
                        settlements.refreshLineStatistics();
                        contribution.incrementWriteCount(staged);
                        log.info("settlement {}: staged {} approvals and cancels in {} slice(s)", salesDate, staged, slices.size());
                    } finally {
                        workers.shutdownNow();
                    }
                    return RepeatStatus.FINISHED;
                }, tx)
                .build();
    }

    @Bean
    Step settleMerchants(JobRepository jobs, PlatformTransactionManager tx, KeysetItemReader<SettlementInput> settlementInputReader,
            ItemProcessor<SettlementInput, SettlementDraft> settlementProcessor, SettlementWriter settlementWriter,
            ProgressListener settlementProgress, SettlementProperties properties) {
        return new StepBuilder("settleMerchants", jobs)
                .<SettlementInput, SettlementDraft>chunk(properties.chunkSize())
                .transactionManager(tx)
                .reader(settlementInputReader)
                .processor(settlementProcessor)
                .writer(settlementWriter)
                .listener(settlementProgress)
                .build();
    }

    @Bean
    @StepScope
    KeysetItemReader<SettlementInput> settlementInputReader(SettlementRepository settlements, SettlementProperties properties,
            @Value("#{jobParameters['date']}") LocalDate salesDate) {
        return new KeysetItemReader<>((last, size) -> settlements.nextInputs(salesDate, last, size),
                SettlementInput::merchantId, properties.chunkSize());
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
    ProgressListener settlementProgress(SettlementRepository settlements, @Value("#{jobParameters['date']}") LocalDate salesDate) {
        return new ProgressListener("merchants settled", () -> settlements.countMerchantsToSettle(salesDate));
    }

    /** Waits for the reports written in the background while settling, then writes every one still missing. */
    @Bean
    Step writePayoutReports(JobRepository jobs, PlatformTransactionManager tx, KeysetItemReader<Long> payoutReader,
            PayoutReports payoutReports, BackgroundPayoutReports backgroundReports) {
        return new StepBuilder("writePayoutReports", jobs)
                .<Long, Long>chunk(100)
                .transactionManager(tx)
                .reader(payoutReader)
                .writer(payoutReports)
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution stepExecution) {
                        backgroundReports.awaitQueued();
                    }
                })
                .build();
    }

    @Bean
    @StepScope
    KeysetItemReader<Long> payoutReader(SettlementRepository settlements, @Value("#{jobParameters['date']}") LocalDate salesDate) {
        return new KeysetItemReader<>((last, size) -> settlements.payoutIdsWithoutReport(salesDate, last, size), Long::longValue, 100);
    }

    @Bean
    PayoutReports payoutReports(DSLContext db, SettlementProperties properties, Pacing pacing, WebhookOutbox webhooks) {
        return new PayoutReports(db, properties.reportDirectory(), pacing, webhooks);
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
