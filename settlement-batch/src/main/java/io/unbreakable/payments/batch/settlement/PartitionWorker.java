package io.unbreakable.payments.batch.settlement;

import com.rabbitmq.client.Channel;
import io.unbreakable.payments.batch.job.LivenessLock;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;

/**
 * A worker's side of remote partitions: takes one partition request, acknowledges it at once, and runs the
 * partition's step through Spring Batch's {@link StepExecutionRequestHandler} under the partition's liveness lock
 * (see {@link RemotePartitionHandler}). A request for a partition that is no longer waiting (its job failed or
 * was recovered, or the request came twice) is dropped.
 */
class PartitionWorker implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final Duration RETRY_LOCK = Duration.ofSeconds(1);

    private final StepExecutionRequestHandler steps;
    private final JobRepository jobRepository;
    private final DataSource dataSource;
    private final String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host

    PartitionWorker(StepExecutionRequestHandler steps, JobRepository jobRepository, DataSource dataSource) {
        this.steps = steps;
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws Exception {
        channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
        String stepName = message.getMessageProperties().getHeader(RemotePartitionHandler.STEP_NAME_HEADER);
        long stepExecutionId = Long.parseLong(new String(message.getBody(), StandardCharsets.UTF_8).trim());
        StepExecution partition = jobRepository.getStepExecution(stepExecutionId);
        if (partition == null || partition.getStatus() != BatchStatus.STARTING) {
            log.warn("dropped the request for step execution {}: {}", stepExecutionId,
                    partition == null ? "no such step execution" : "it is " + partition.getStatus() + ", not waiting for a worker");
            return;
        }
        try (LivenessLock lock = partitionLock(partition)) {
            log.info("worker {}: running {} (step execution {})", name, partition.getStepName(), stepExecutionId);
            StepExecution ran = steps.handle(new StepExecutionRequest(stepName, stepExecutionId));
            if (ran.getStatus() == BatchStatus.FAILED || ran.getStatus() == BatchStatus.STOPPED) {
                jobRepository.update(ran); // the handler leaves that to its caller when the step threw
            }
            log.info("worker {}: {} ended {}", name, partition.getStepName(), ran.getStatus());
        }
    }

    /** The same partition of an earlier run may still run on a worker that outlived its manager: waits for it to end. */
    private LivenessLock partitionLock(StepExecution partition) throws Exception {
        while (true) {
            LivenessLock lock = LivenessLock.tryAcquire(dataSource, RemotePartitionHandler.lockName(partition));
            if (lock != null) {
                return lock;
            }
            Thread.sleep(RETRY_LOCK.toMillis());
        }
    }
}
