package io.unbreakable.payments.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Gives both apps the same ledger: there is one way to post money, whoever posts it. */
@AutoConfiguration
public class LedgerAutoConfiguration {

    @Bean
    LedgerService ledgerService(DSLContext db, JdbcClient jdbc, ObjectProvider<MeterRegistry> meters) {
        return new LedgerService(db, jdbc, meters.getIfAvailable(() -> Metrics.globalRegistry));
    }
}
