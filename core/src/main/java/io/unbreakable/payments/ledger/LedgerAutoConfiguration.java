package io.unbreakable.payments.ledger;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Gives both apps the same ledger: there is one way to post money, whoever posts it. */
@AutoConfiguration
public class LedgerAutoConfiguration {

    @Bean
    LedgerService ledgerService(DSLContext db) {
        return new LedgerService(db);
    }
}
