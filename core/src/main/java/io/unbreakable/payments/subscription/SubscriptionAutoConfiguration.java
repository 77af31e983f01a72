package io.unbreakable.payments.subscription;

import io.unbreakable.payments.ledger.LedgerAutoConfiguration;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.pg.PgAutoConfiguration;
import io.unbreakable.payments.pg.PgRouter;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jooq.DSLContext;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Both apps charge subscriptions the same way: the API at creation, the renewal job on schedule. */
@AutoConfiguration(after = {PgAutoConfiguration.class, LedgerAutoConfiguration.class})
@EnableConfigurationProperties(SubscriptionProperties.class)
public class SubscriptionAutoConfiguration {

    @Bean
    SubscriptionCharger subscriptionCharger(DSLContext db, LedgerService ledger, PgRouter pgs,
            PlatformTransactionManager transactionManager, SubscriptionProperties properties, Environment environment) {
        // its own transactions whatever the caller runs in (a batch chunk): claims commit before the PG is called
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // PG calls only wait: virtual threads where the JVM has them (spring.threads.virtual.enabled, Java 21+),
        // a bounded number in flight either way
        boolean virtual = Threading.VIRTUAL.isActive(environment);
        return new SubscriptionCharger(new SubscriptionChargeRepository(db), ledger, pgs, tx,
                bounded("subscription-pg-", properties.concurrency(), virtual),
                bounded("subscription-batch-", properties.parallelBatches(), virtual), properties);
    }

    /** At most {@code limit} tasks at once (a submitter waits), each carrying the submitter's log fields (the run's correlationId). */
    private static Executor bounded(String namePrefix, int limit, boolean virtual) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(namePrefix);
        executor.setVirtualThreads(virtual);
        executor.setDaemon(true);
        executor.setConcurrencyLimit(limit);
        executor.setTaskDecorator(task -> {
            Map<String, String> fields = MDC.getCopyOfContextMap();
            return () -> {
                if (fields != null) {
                    MDC.setContextMap(fields);
                }
                try {
                    task.run();
                } finally {
                    MDC.clear();
                }
            };
        });
        return executor;
    }
}
