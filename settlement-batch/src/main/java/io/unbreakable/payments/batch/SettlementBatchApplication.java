package io.unbreakable.payments.batch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One-shot batch process: runs the job named by --spring.batch.job.name and exits with its result; or, with
 * {@code --payments.settlement.role=worker}, a long-running settlement worker that runs the partitions it
 * receives through RabbitMQ.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SettlementBatchApplication {

    public static void main(String[] args) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        ConfigurableApplicationContext context = SpringApplication.run(SettlementBatchApplication.class, args);
        if ("worker".equalsIgnoreCase(context.getEnvironment().getProperty("payments.settlement.role"))) {
            return; // a settlement worker runs until stopped: its listener's threads keep the process alive
        }
        System.exit(SpringApplication.exit(context));
    }
}
