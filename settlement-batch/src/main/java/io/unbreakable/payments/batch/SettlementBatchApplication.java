package io.unbreakable.payments.batch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One-shot batch process: runs the job named by --spring.batch.job.name and exits with its result. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SettlementBatchApplication {

    public static void main(String[] args) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.exit(SpringApplication.exit(SpringApplication.run(SettlementBatchApplication.class, args)));
    }
}
