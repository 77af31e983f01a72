package io.unbreakable.payments.batch.settlement;

import javax.sql.DataSource;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Remote partitions over RabbitMQ, only when asked for: {@code payments.settlement.workers=remote} (the manager,
 * which sends each partition as a Spring Batch {@code StepExecutionRequest} and follows the partitions in the job
 * repository) or {@code payments.settlement.role=worker} (a long-running process that runs the partitions it
 * receives). Without either, none of these beans exists and nothing connects to a broker. The broker is
 * {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_USERNAME}, {@code RABBITMQ_PASSWORD}; the queue
 * {@code payments.settlement.queue}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${payments.settlement.workers:local}'.equalsIgnoreCase('remote') or '${payments.settlement.role:job}'.equalsIgnoreCase('worker')")
class RemotePartitions {

    /** Connects on first use (the first partition sent or the worker's listener), never at start-up. */
    @Bean(destroyMethod = "destroy")
    CachingConnectionFactory settlementBrokerConnection(@Value("${RABBITMQ_HOST:127.0.0.1}") String host,
            @Value("${RABBITMQ_PORT:5672}") int port, @Value("${RABBITMQ_USERNAME:guest}") String username,
            @Value("${RABBITMQ_PASSWORD:guest}") String password) {
        CachingConnectionFactory connection = new CachingConnectionFactory(host, port);
        connection.setUsername(username);
        connection.setPassword(password);
        connection.setConnectionNameStrategy(factory -> "settlement-batch");
        return connection;
    }

    /** Durable: partitions sent while no worker runs wait for one (up to the partition timeout). */
    @Bean
    Queue settlementPartitionQueue(SettlementProperties properties) {
        return new Queue(properties.queue(), true);
    }

    @Bean
    RabbitAdmin settlementBrokerAdmin(CachingConnectionFactory settlementBrokerConnection) {
        return new RabbitAdmin(settlementBrokerConnection); // declares the queue when the connection opens
    }

    @Bean
    @ConditionalOnProperty(name = "payments.settlement.workers", havingValue = "remote")
    SettlementPartitionHandlers remotePartitionHandlers(CachingConnectionFactory settlementBrokerConnection,
            Queue settlementPartitionQueue, JobRepository jobRepository, DataSource dataSource, SettlementProperties properties) {
        RabbitTemplate template = new RabbitTemplate(settlementBrokerConnection);
        template.setRoutingKey(settlementPartitionQueue.getName());
        return workerStep -> new RemotePartitionHandler(workerStep.getName(), template, jobRepository, dataSource,
                properties.partitions(), properties.partitionTimeout());
    }

    @Bean
    @ConditionalOnProperty(name = "payments.settlement.role", havingValue = "worker")
    BeanFactoryStepLocator settlementStepLocator() {
        return new BeanFactoryStepLocator();
    }

    /**
     * One partition at a time per worker process (prefetch 1); start more processes for more. The request is
     * acknowledged as soon as it is taken ({@link PartitionWorker}): a worker killed mid-partition loses it on
     * purpose, the manager fails that partition, and the rerun restarts it; a request merely delivered to a worker
     * that dies before taking it goes back to the queue for another.
     */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "payments.settlement.role", havingValue = "worker")
    SimpleMessageListenerContainer settlementPartitionListener(CachingConnectionFactory settlementBrokerConnection,
            Queue settlementPartitionQueue, JobRepository jobRepository, BeanFactoryStepLocator settlementStepLocator,
            DataSource dataSource) {
        StepExecutionRequestHandler steps = new StepExecutionRequestHandler();
        steps.setJobRepository(jobRepository);
        steps.setStepLocator(settlementStepLocator);
        SimpleMessageListenerContainer listener = new SimpleMessageListenerContainer(settlementBrokerConnection);
        listener.setQueueNames(settlementPartitionQueue.getName());
        listener.setConcurrentConsumers(1);
        listener.setPrefetchCount(1);
        listener.setAcknowledgeMode(org.springframework.amqp.core.AcknowledgeMode.MANUAL);
        listener.setMessageListener(new PartitionWorker(steps, jobRepository, dataSource));
        return listener; // started with the context, once every step bean exists
    }
}
