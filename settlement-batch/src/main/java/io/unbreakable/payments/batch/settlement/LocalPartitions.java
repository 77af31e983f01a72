package io.unbreakable.payments.batch.settlement;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The default: the partitions run on a bounded pool of this process's threads, {@code partitions} at a time,
 * each on its own connection. No broker is needed or contacted.
 */
@Configuration(proxyBeanMethods = false)
class LocalPartitions {

    /** The threads partitions run on, shared by the three steps (one step runs at a time). */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskExecutor settlementPartitionThreads(SettlementProperties properties) {
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.setCorePoolSize(properties.partitions());
        threads.setMaxPoolSize(properties.partitions());
        threads.setQueueCapacity(Integer.MAX_VALUE); // more partitions than threads wait for one (after a restart with fewer threads)
        threads.setThreadNamePrefix("settlement-partition-");
        threads.setDaemon(true);
        threads.initialize();
        return threads;
    }

    @Bean
    @ConditionalOnProperty(name = "payments.settlement.workers", havingValue = "local", matchIfMissing = true)
    SettlementPartitionHandlers localPartitionHandlers(ThreadPoolTaskExecutor settlementPartitionThreads, SettlementProperties properties) {
        return workerStep -> {
            TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
            handler.setStep(workerStep);
            handler.setTaskExecutor(settlementPartitionThreads);
            handler.setGridSize(properties.partitions());
            return handler;
        };
    }

    /**
     * Enough connections for every partition: its step's, a staging slice's (its own transaction) or a report
     * writer's, and a few for the job itself (its locks, the job repository).
     */
    @Bean
    static BeanPostProcessor settlementConnectionPool(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool) {
                    int partitions = Binder.get(environment).bindOrCreate("payments.settlement", SettlementProperties.class).partitions();
                    pool.setMaximumPoolSize(Math.max(pool.getMaximumPoolSize(), 2 * partitions + 4));
                }
                return bean;
            }
        };
    }
}
