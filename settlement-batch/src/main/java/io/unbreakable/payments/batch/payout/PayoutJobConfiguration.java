package io.unbreakable.payments.batch.payout;

import io.unbreakable.payments.batch.job.JobSummaryListener;
import io.unbreakable.payments.batch.job.KeysetItemReader;
import io.unbreakable.payments.batch.job.ProgressListener;
import io.unbreakable.payments.payout.BankTransferFile;
import io.unbreakable.payments.payout.BankTransferFiles;
import io.unbreakable.payments.payout.PayoutGatewayType;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.pg.PgProperties;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgRouter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code payoutJob date=YYYY-MM-DD} (default today, Asia/Seoul): sends every payout due on or before the
 * date through the configured gateway. With {@code pg}: first settles what earlier runs left open
 * (inquiry, or the same request again), then sends the due payouts in chunks ({@link PayoutSender}), then
 * waits up to {@code result-wait} for results still open. With {@code bank-file}: marks the due payouts
 * REQUESTED into the day's transfer file and writes it ({@code payoutResultJob} applies the bank's answer).
 */
@Configuration(proxyBeanMethods = false)
class PayoutJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PayoutJobConfiguration.class);

    @Bean
    Job payoutJob(JobRepository jobs, PayoutProperties properties, Step resolveOpenPayouts, Step sendPayouts, Step awaitPayoutResults,
            Step writeTransferFile, JobSummaryListener summary) {
        JobBuilder job = new JobBuilder("payoutJob", jobs);
        job.listener(summary).listener(new JobExecutionListener() {
            @Override
            public void afterJob(JobExecution execution) {
                log.info("payouts due by {} ({}): {}", execution.getJobParameters().getLocalDate("date"), properties.gateway(),
                        totals(execution.getStepExecutions()));
            }
        });
        if (properties.bankFile()) {
            return job.start(sendPayouts).next(writeTransferFile).build();
        }
        return job.start(resolveOpenPayouts).next(sendPayouts).next(awaitPayoutResults).build();
    }

    /** Writes the day's transfer file from every payout marked into it (a rerun writes the same file, complete). */
    @Bean
    Step writeTransferFile(JobRepository jobs, PlatformTransactionManager tx, BankTransferFiles files, PayoutProperties properties) {
        return new StepBuilder("writeTransferFile", jobs).tasklet((contribution, context) -> {
            LocalDate date = (LocalDate) context.getStepContext().getJobParameters().get("date");
            String name = BankTransferFile.fileName(date);
            Optional<String> content = files.content(name, properties.memo());
            if (content.isEmpty()) {
                log.info("no payouts in {}: no transfer file written", name);
                return RepeatStatus.FINISHED;
            }
            Files.createDirectories(properties.transferDirectory());
            Path file = properties.transferDirectory().resolve(name);
            Path partial = properties.transferDirectory().resolve(name + ".part");
            Files.writeString(partial, content.get(), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("transfer file written: {} ({} bytes); send it to the bank, then run payoutResultJob file=<the bank's result file>",
                    file.toAbsolutePath(), content.get().getBytes(StandardCharsets.UTF_8).length);
            return RepeatStatus.FINISHED;
        }, tx).build();
    }

    @Bean
    Step resolveOpenPayouts(JobRepository jobs, PlatformTransactionManager tx, PayoutSender sender) {
        return new StepBuilder("resolveOpenPayouts", jobs).tasklet((contribution, context) -> {
            Map<String, Long> outcomes = sender.resolveOpen();
            log.info("payouts left open by earlier runs: {}", outcomes.isEmpty() ? "none" : outcomes);
            return RepeatStatus.FINISHED;
        }, tx).build();
    }

    /** Asks again, with growing pauses, until nothing sent is open or {@code result-wait} has passed. */
    @Bean
    Step awaitPayoutResults(JobRepository jobs, PlatformTransactionManager tx, PayoutSender sender, PayoutProperties properties) {
        return new StepBuilder("awaitPayoutResults", jobs).tasklet((contribution, context) -> {
            long deadline = System.nanoTime() + properties.resultWait().toNanos();
            Duration pause = Duration.ofMillis(200);
            int open = sender.openCount();
            while (open > 0 && System.nanoTime() < deadline) {
                Thread.sleep(Math.min(pause.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                log.info("payouts: {} still open, asking again: {}", open, sender.resolveOpen());
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : pause.multipliedBy(2);
                open = sender.openCount();
            }
            if (open > 0) {
                log.warn("payouts: {} still open after {}; the next run asks the PG about them first", open, properties.resultWait());
            }
            return RepeatStatus.FINISHED;
        }, tx).build();
    }

    @Bean
    Step sendPayouts(JobRepository jobs, PlatformTransactionManager tx, KeysetItemReader<Long> duePayoutReader,
            ItemWriter<Long> payoutWriter, ProgressListener payoutProgress, PayoutProperties properties) {
        return new StepBuilder("sendPayouts", jobs)
                .<Long, Long>chunk(properties.chunkSize())
                .transactionManager(tx)
                .reader(duePayoutReader)
                .writer(payoutWriter)
                .listener(payoutProgress)
                .build();
    }

    @Bean
    @StepScope
    KeysetItemReader<Long> duePayoutReader(PayoutRepository payouts, PayoutProperties properties,
            @Value("#{jobParameters['date']}") LocalDate date) {
        return new KeysetItemReader<>((last, size) -> payouts.dueAfter(date, last, size), Long::longValue, properties.chunkSize());
    }

    /** Sends a chunk (the sender commits its own transactions) and counts outcomes in the step's context for the summary. */
    @Bean
    @StepScope
    ItemWriter<Long> payoutWriter(PayoutSender sender, PayoutProperties properties, @Value("#{jobParameters['date']}") LocalDate date,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        PayoutGatewayType gateway = properties.bankFile() ? PayoutGatewayType.BANK_FILE : PayoutGatewayType.PG;
        String transferFile = properties.bankFile() ? BankTransferFile.fileName(date) : null;
        return chunk -> sender.send(List.copyOf(chunk.getItems()), gateway, transferFile).forEach((outcome, count) -> {
            var context = stepExecution.getExecutionContext();
            context.putLong(outcome, context.getLong(outcome, 0L) + count);
        });
    }

    @Bean
    @StepScope
    ProgressListener payoutProgress(PayoutRepository payouts, @Value("#{jobParameters['date']}") LocalDate date) {
        return new ProgressListener("payouts", () -> payouts.countDue(date));
    }

    @Bean
    PayoutSender payoutSender(PayoutRepository payouts, PayoutLifecycle lifecycle, PlatformTransactionManager tx, PgPayoutClient pg,
            PayoutProperties properties) {
        TransactionTemplate own = new TransactionTemplate(tx);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new PayoutSender(payouts, lifecycle, own, pg, payoutCalls(properties), properties);
    }

    /** The payouts API: its own address and key, or the default PG provider's. */
    @Bean
    PgPayoutClient pgPayoutClient(PayoutProperties properties, PgRouter router, PgProperties pgProperties) {
        String provider = router.defaultOrder().get(0);
        String baseUrl = properties.baseUrl() == null || properties.baseUrl().isBlank()
                ? router.providers().stream().filter(p -> p.provider().equals(provider)).map(PgProvider::baseUrl).findFirst().orElseThrow()
                : properties.baseUrl();
        String secretKey = properties.secretKey() == null || properties.secretKey().isBlank()
                ? pgProperties.providers().get(provider).secretKey() : properties.secretKey();
        return new PgPayoutClient(baseUrl, secretKey, properties.connectTimeout(), properties.readTimeout());
    }

    /** Daemon threads: a one-shot process must end when its job has. */
    private static ExecutorService payoutCalls(PayoutProperties properties) {
        return Executors.newFixedThreadPool(properties.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "payout-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Map<String, Long> totals(java.util.Collection<StepExecution> steps) {
        Map<String, Long> totals = new TreeMap<>();
        steps.forEach(step -> step.getExecutionContext().entrySet().stream()
                .filter(entry -> entry.getValue() instanceof Long)
                .forEach(entry -> totals.merge(entry.getKey(), (Long) entry.getValue(), Long::sum)));
        return totals;
    }
}
