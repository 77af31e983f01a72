package io.unbreakable.payments.batch.job;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/** One summary block at the end of every job: status, duration and each step's counts. */
@Component
public class JobSummaryListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(JobSummaryListener.class);

    /** Every log line of the run carries it, so one run's lines are found together in Loki. */
    @Override
    public void beforeJob(JobExecution execution) {
        MDC.put("correlationId", "job-" + execution.getJobInstance().getJobName() + "-" + execution.getId());
    }

    @Override
    public void afterJob(JobExecution execution) {
        Duration took = execution.getStartTime() == null || execution.getEndTime() == null ? Duration.ZERO
                : Duration.between(execution.getStartTime(), execution.getEndTime());
        log.info("{} {} ({}) in {} ms, parameters {}", execution.getJobInstance().getJobName(), execution.getStatus(),
                execution.getExitStatus().getExitCode(), took.toMillis(), execution.getJobParameters());
        for (StepExecution step : execution.getStepExecutions()) {
            log.info("  step {}: {} read {}, written {}, skipped {}, commits {}", step.getStepName(), step.getStatus(),
                    step.getReadCount(), step.getWriteCount(), step.getSkipCount(), step.getCommitCount());
        }
        MDC.remove("correlationId");
    }
}
