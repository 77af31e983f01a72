package io.unbreakable.payments.audit;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The same audit trail for both apps: the API's admin and console changes, and the batch jobs' (payouts). */
@AutoConfiguration
public class AuditAutoConfiguration {

    @Bean
    AuditTrail auditTrail(DSLContext db) {
        return new AuditTrail(new AuditRepository(db));
    }
}
