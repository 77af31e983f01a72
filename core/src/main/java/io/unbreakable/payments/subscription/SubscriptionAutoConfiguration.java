package io.unbreakable.payments.subscription;

import io.unbreakable.payments.ledger.LedgerAutoConfiguration;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.pg.PgAutoConfiguration;
import io.unbreakable.payments.pg.PgRouter;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.unbreakable.payments.webhook.WebhookOutbox;
import org.jooq.DSLContext;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Both apps charge subscriptions the same way: the API at creation, the renewal job on schedule. */
@AutoConfiguration(after = {PgAutoConfiguration.class, LedgerAutoConfiguration.class})
@EnableConfigurationProperties(SubscriptionProperties.class)
public class SubscriptionAutoConfiguration {

    @Bean
    BillingKeyCharges billingKeyCharges(DSLContext db, LedgerService ledger, WebhookOutbox webhooks) {
        return new BillingKeyCharges(new BillingPaymentRepository(db), ledger, webhooks);
    }

    @Bean
    SubscriptionCharger subscriptionCharger(DSLContext db, BillingKeyCharges billing, PgRouter pgs,
            PlatformTransactionManager transactionManager, SubscriptionProperties properties, WebhookOutbox webhooks) {
        // its own transactions whatever the caller runs in (a batch chunk): claims commit before the PG is called
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // the PG threads only wait for the PG; a fixed pool bounds what one run asks of it at once
        return new SubscriptionCharger(new SubscriptionChargeRepository(db), billing, pgs, tx,
                daemonPool("subscription-pg-", properties.concurrency()),
                daemonPool("subscription-batch-", properties.parallelBatches()), properties, webhooks);
    }

    /** Fixed daemon threads that carry the submitter's log fields (the job run's correlationId) into the task. */
    private static ExecutorService daemonPool(String namePrefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }) {
            @Override
            public void execute(Runnable task) {
                Map<String, String> fields = MDC.getCopyOfContextMap();
                super.execute(() -> {
                    if (fields != null) {
                        MDC.setContextMap(fields);
                    }
                    try {
                        task.run();
                    } finally {
                        MDC.clear();
                    }
                });
            }
        };
    }
}
