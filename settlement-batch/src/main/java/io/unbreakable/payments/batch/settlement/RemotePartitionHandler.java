package io.unbreakable.payments.batch.settlement;

import io.unbreakable.payments.batch.job.LivenessLock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The manager side of remote partitions: sends one Spring Batch step execution request per partition to the
 * workers' queue and follows the partitions in the job repository until every one has ended. Spring Batch's
 * {@code MessageChannelPartitionHandler} polls the repository the same way but waits as long as a partition says
 * it runs; this one also ends the two waits that would otherwise never end:
 * <ul>
 *   <li>a partition marked running whose worker is gone: a worker holds a database session lock ({@link
 *       LivenessLock}) for as long as it runs a partition, which the database releases when the worker dies, even
 *       of kill -9; such a partition is marked FAILED, and the rerun restarts it;</li>
 *   <li>partitions that no worker takes: when some wait and none of the step's partitions has been running for
 *       {@code partitionTimeout} (no worker is busy with them), the waiting ones are marked FAILED and the step fails
 *       with a message that says so.</li>
 * </ul>
 */
class RemotePartitionHandler extends AbstractPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);
    static final String STEP_NAME_HEADER = "stepName";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final String workerStepName;
    private final RabbitTemplate broker;
    private final JobRepository jobRepository;
    private final DataSource dataSource;
    private final Duration partitionTimeout;

    RemotePartitionHandler(String workerStepName, RabbitTemplate broker, JobRepository jobRepository, DataSource dataSource,
            int gridSize, Duration partitionTimeout) {
        this.workerStepName = workerStepName;
        this.broker = broker;
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
        this.partitionTimeout = partitionTimeout;
        setGridSize(gridSize);
    }

    /** The liveness lock a worker holds while it runs this partition: one per partition of a job instance, across reruns. */
    static String lockName(StepExecution partition) {
        return "partition:" + partition.getJobExecution().getJobInstance().getInstanceId() + ":" + partition.getStepName();
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        for (StepExecution partition : partitions) {
            MessageProperties properties = new MessageProperties();
            properties.setHeader(STEP_NAME_HEADER, workerStepName);
            properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
            broker.send(MessageBuilder.withBody(Long.toString(partition.getId()).getBytes()).andProperties(properties).build());
        }
        log.info("{}: sent {} partition(s) to the workers' queue {}", manager.getStepName(), partitions.size(), broker.getRoutingKey());
        Set<Long> ids = partitions.stream().map(StepExecution::getId).collect(Collectors.toSet());
        long idleSince = System.nanoTime();
        while (true) {
            List<StepExecution> current = ids.stream().map(jobRepository::getStepExecution).toList();
            List<StepExecution> running = current.stream().filter(p -> p.getStatus() == BatchStatus.STARTED).toList();
            List<StepExecution> waiting = current.stream().filter(p -> p.getStatus() == BatchStatus.STARTING).toList();
            if (running.isEmpty() && waiting.isEmpty()) {
                return new HashSet<>(current);
            }
            for (StepExecution partition : running) {
                failIfItsWorkerIsGone(partition);
            }
            if (!running.isEmpty() || waiting.isEmpty()) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > partitionTimeout.toNanos()) {
                for (StepExecution partition : waiting) {
                    fail(partition, "no worker took this partition within " + partitionTimeout);
                }
                throw new PartitionTimeoutException(manager.getStepName() + ": " + waiting.size() + " partition(s) waited "
                        + partitionTimeout + " (payments.settlement.partition-timeout) on queue " + broker.getRoutingKey()
                        + " and no worker took them: start workers (--payments.settlement.role=worker) against the same broker");
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private void failIfItsWorkerIsGone(StepExecution partition) throws Exception {
        try (LivenessLock lock = LivenessLock.tryAcquire(dataSource, lockName(partition))) {
            if (lock == null) {
                return; // its worker holds it: alive
            }
            StepExecution now = jobRepository.getStepExecution(partition.getId());
            if (now != null && now.getStatus() == BatchStatus.STARTED) { // not one that ended just now
                log.error("{}: the worker running it is gone (its database session ended); the partition failed", partition.getStepName());
                fail(now, "the worker running this partition is gone (its database session ended)");
            }
        }
    }

    private void fail(StepExecution partition, String why) {
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        partition.setEndTime(LocalDateTime.now());
        try {
            jobRepository.update(partition);
        } catch (OptimisticLockingFailureException raced) {
            log.debug("{} changed while being failed; looked at again next time", partition.getStepName());
        }
    }

    static class PartitionTimeoutException extends RuntimeException {
        PartitionTimeoutException(String message) {
            super(message);
        }
    }
}
