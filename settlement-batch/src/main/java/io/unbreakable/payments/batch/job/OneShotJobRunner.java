package io.unbreakable.payments.batch.job;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import io.unbreakable.payments.time.Seoul;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Runs the job named by {@code --spring.batch.job.name} once and exits with its result (see
 * {@link BatchExitCode}). Parameters come as {@code key=value} arguments; {@code date} defaults to
 * yesterday in Asia/Seoul (today for the jobs of {@code payments.batch.today-jobs}: payoutJob pays what is
 * due today). Jobs that act on what is still to do when they run ({@code payments.batch.always-new-instance}:
 * reconciliation, payouts) are a new instance every run: a payout retried after the morning run goes out
 * with the next one. Jobs that act on "what is due now" ({@code payments.batch.run-at-jobs})
 * take {@code runAt} instead (ISO date-time, Asia/Seoul when it has no offset; default now), and
 * their {@code date} is runAt's date.
 *
 * <p>Two locks per job and date. ShedLock (database time, {@code lockAtMostFor} far above the worst
 * case) is the coordination every instance respects. Beside it the run holds a PostgreSQL session
 * advisory lock, which the database drops the moment the holder's session ends, even after kill -9:
 * it proves liveness. So a second live run exits at once with {@link BatchExitCode#LOCKED}, while a
 * run after a killed one finds the advisory lock free, releases the dead run's ShedLock lock instead
 * of waiting hours for it to expire, recovers the execution left "running" and restarts the job where
 * it stopped.
 */
@Component
@ConditionalOnProperty(name = "payments.settlement.role", havingValue = "job", matchIfMissing = true) // a worker runs no job of its own
public class OneShotJobRunner implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(OneShotJobRunner.class);

    private final Map<String, Job> jobs;
    private final DataSource dataSource;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final LockingTaskExecutor locks;
    private final Clock clock;
    private final String jobName;
    private final Duration lockAtMostFor;
    private final Set<String> alwaysNewInstance;
    private final Set<String> runAtJobs;
    private final Set<String> todayJobs;
    private BatchExitCode exitCode = BatchExitCode.USAGE;

    OneShotJobRunner(Map<String, Job> jobs, DataSource dataSource, JobOperator jobOperator, JobRepository jobRepository, LockingTaskExecutor locks,
            Clock clock, @Value("${spring.batch.job.name:}") String jobName,
            @Value("${payments.batch.lock-at-most-for:PT2H}") Duration lockAtMostFor,
            @Value("${payments.batch.always-new-instance:walletReconciliationJob,payoutJob,payoutResultJob}") Set<String> alwaysNewInstance,
            @Value("${payments.batch.today-jobs:payoutJob}") Set<String> todayJobs,
            @Value("${payments.batch.run-at-jobs:subscriptionRenewalJob}") Set<String> runAtJobs) {
        this.jobs = jobs;
        this.dataSource = dataSource;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.locks = locks;
        this.clock = clock;
        this.jobName = jobName;
        this.lockAtMostFor = lockAtMostFor;
        this.alwaysNewInstance = alwaysNewInstance;
        this.runAtJobs = runAtJobs;
        this.todayJobs = todayJobs;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        exitCode = run(jobName, args.getNonOptionArgs());
    }

    /** Runs one job with {@code key=value} arguments, under its lock; what the process exit code will say. */
    public BatchExitCode run(String jobName, List<String> arguments) throws Exception {
        Job job = jobs.get(jobName);
        if (job == null) {
            log.error("usage: --spring.batch.job.name=<one of {}> [date=YYYY-MM-DD] [key=value ...]", jobs.keySet());
            return BatchExitCode.USAGE;
        }
        JobParameters parameters;
        try {
            parameters = parameters(jobName, arguments);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            log.error("bad job parameters {}: {}", arguments, e.getMessage());
            return BatchExitCode.USAGE;
        }
        String lockName = jobName + ":" + parameters.getLocalDate("date");
        BatchExitCode outcome;
        try (LivenessLock liveness = LivenessLock.tryAcquire(dataSource, lockName)) {
            if (liveness == null) {
                outcome = BatchExitCode.LOCKED;
            } else {
                if (liveness.releaseLocksOfDeadHolders() > 0) {
                    log.warn("{}: the run that held this lock is gone (its database session ended); released its lock", lockName);
                }
                outcome = runLocked(job, parameters, lockName);
            }
        }
        if (outcome == BatchExitCode.LOCKED) {
            log.warn("skipped: another run holds the lock {}", lockName);
        }
        log.info("{} exits with {} ({})", jobName, outcome.code(), outcome);
        return outcome;
    }

    private BatchExitCode runLocked(Job job, JobParameters parameters, String lockName) throws Exception {
        LockingTaskExecutor.TaskResult<BatchExitCode> result;
        try {
            result = locks.executeWithLock(() -> launch(job, parameters),
                    new LockConfiguration(clock.instant(), lockName, lockAtMostFor, Duration.ZERO));
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return result.wasExecuted() ? result.getResult() : BatchExitCode.LOCKED;
    }

    private BatchExitCode launch(Job job, JobParameters parameters) throws Exception {
        JobExecution last = jobRepository.getLastJobExecution(job.getName(), parameters);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            log.info("{} already completed for {}: nothing to do", job.getName(), parameters);
            return BatchExitCode.COMPLETED;
        }
        if (last != null && last.isRunning()) {
            // we hold the lock, so nobody runs it: the process that did was killed
            log.warn("{} execution {} was left {} by a killed run; recovering and restarting it", job.getName(),
                    last.getId(), last.getStatus());
            jobOperator.recover(last);
        }
        JobExecution execution = jobOperator.start(job, parameters);
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            return BatchExitCode.FAILED;
        }
        return execution.getExitStatus().getExitCode().equals(BatchExitCode.DISCREPANCIES_FOUND.name())
                ? BatchExitCode.DISCREPANCIES_FOUND : BatchExitCode.COMPLETED;
    }

    private JobParameters parameters(String jobName, List<String> arguments) {
        JobParametersBuilder builder = new JobParametersBuilder();
        LocalDate today = LocalDate.now(clock.withZone(Seoul.ZONE));
        LocalDate date = todayJobs.contains(jobName) ? today : today.minusDays(1);
        OffsetDateTime runAt = OffsetDateTime.now(clock);
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + argument + "'");
            }
            String key = argument.substring(0, equals);
            String value = argument.substring(equals + 1);
            if (key.equals("date")) {
                date = LocalDate.parse(value);
            } else if (key.equals("runAt")) {
                if (!runAtJobs.contains(jobName)) {
                    throw new IllegalArgumentException(jobName + " takes date=, not runAt=");
                }
                runAt = value.matches(".*([+-]\\d\\d:\\d\\d|Z)$") ? OffsetDateTime.parse(value)
                        : LocalDateTime.parse(value).atZone(Seoul.ZONE).toOffsetDateTime();
            } else {
                builder.addString(key, value, false);
            }
        }
        if (runAtJobs.contains(jobName)) {
            builder.addString("runAt", Seoul.time(runAt).toString());
            date = Seoul.time(runAt).toLocalDate();
        }
        builder.addLocalDate("date", date);
        if (alwaysNewInstance.contains(jobName)) {
            builder.addLong("run.id", clock.millis()); // a check is worth repeating: every run is its own instance
        }
        return builder.toJobParameters();
    }

    @Override
    public int getExitCode() {
        return exitCode.code();
    }
}
