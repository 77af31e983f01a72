package io.unbreakable.payments.batch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** One-shot batch process: runs the job named by --spring.batch.job.name and exits with its result. */
@SpringBootApplication
public class SettlementBatchApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(SettlementBatchApplication.class, args)));
    }
}
