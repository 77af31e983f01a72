package io.unbreakable.payments.batch.subscription;

import io.unbreakable.payments.batch.job.JobSummaryListener;
import io.unbreakable.payments.batch.job.KeysetItemReader;
import io.unbreakable.payments.batch.job.ProgressListener;
import io.unbreakable.payments.subscription.ChargeOutcome;
import io.unbreakable.payments.subscription.SubscriptionCharger;
import io.unbreakable.payments.subscription.SubscriptionProperties;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code subscriptionRenewalJob}, parameter {@code runAt} (default now, Asia/Seoul): charges every
 * subscription due at runAt, and resolves attempts a crash or a lost answer left open. One step,
 * chunks of due subscription ids; each chunk is charged by {@link SubscriptionCharger} with its PG
 * calls in parallel, so a run takes about (due / concurrency) PG latencies, not due x one latency.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionRenewalJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionRenewalJobConfiguration.class);

    @Bean
    Job subscriptionRenewalJob(JobRepository jobs, Step renewSubscriptions, JobSummaryListener summary) {
        return new JobBuilder("subscriptionRenewalJob", jobs)
                .start(renewSubscriptions)
                .listener(summary)
                .listener(new JobExecutionListener() {
                    @Override
                    public void afterJob(JobExecution execution) {
                        Map<ChargeOutcome, Long> totals = new EnumMap<>(ChargeOutcome.class);
                        for (StepExecution step : execution.getStepExecutions()) {
                            for (ChargeOutcome outcome : ChargeOutcome.values()) {
                                totals.merge(outcome, step.getExecutionContext().getLong(outcome.name(), 0L), Long::sum);
                            }
                        }
                        log.info("renewals due at {}: charged {}, failed-will-retry {}, suspended {}, unknown {}, "
                                        + "canceled-at-period-end {}, skipped {}", execution.getJobParameters().getString("runAt"),
                                totals.get(ChargeOutcome.CHARGED), totals.get(ChargeOutcome.FAILED_WILL_RETRY),
                                totals.get(ChargeOutcome.SUSPENDED), totals.get(ChargeOutcome.UNKNOWN),
                                totals.get(ChargeOutcome.CANCELED_AT_PERIOD_END), totals.get(ChargeOutcome.SKIPPED));
                    }
                })
                .build();
    }

    @Bean
    Step renewSubscriptions(JobRepository jobs, PlatformTransactionManager tx, KeysetItemReader<Long> dueSubscriptionReader,
            ItemWriter<Long> subscriptionChargeWriter, ProgressListener renewalProgress, SubscriptionProperties properties) {
        return new StepBuilder("renewSubscriptions", jobs)
                .<Long, Long>chunk(properties.chunkSize())
                .transactionManager(tx)
                .reader(dueSubscriptionReader)
                .writer(subscriptionChargeWriter)
                .listener(renewalProgress)
                .build();
    }

    @Bean
    @StepScope
    KeysetItemReader<Long> dueSubscriptionReader(SubscriptionCharger charger, @Value("#{jobParameters['runAt']}") String runAt,
            SubscriptionProperties properties) {
        OffsetDateTime at = OffsetDateTime.parse(runAt);
        return new KeysetItemReader<>((last, size) -> charger.dueAfter(last, size, at), Long::longValue, properties.chunkSize());
    }

    /** Charges a chunk (the charger commits its own transactions) and counts outcomes for the summary. */
    @Bean
    @StepScope
    ItemWriter<Long> subscriptionChargeWriter(SubscriptionCharger charger, @Value("#{jobParameters['runAt']}") String runAt,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        OffsetDateTime at = OffsetDateTime.parse(runAt);
        return chunk -> charger.chargeDue(List.copyOf(chunk.getItems()), at).values().forEach(outcome -> {
            var context = stepExecution.getExecutionContext();
            context.putLong(outcome.name(), context.getLong(outcome.name(), 0L) + 1);
        });
    }

    @Bean
    @StepScope
    ProgressListener renewalProgress(SubscriptionCharger charger, @Value("#{jobParameters['runAt']}") String runAt) {
        return new ProgressListener("subscriptions", () -> charger.countDue(OffsetDateTime.parse(runAt)));
    }
}
