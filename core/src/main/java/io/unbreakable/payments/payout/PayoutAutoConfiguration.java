package io.unbreakable.payments.payout;

import io.unbreakable.payments.ledger.LedgerService;
import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Both apps move payouts the same way: the console and admin API (holds, retries) and the payout jobs. */
@AutoConfiguration
public class PayoutAutoConfiguration {

    @Bean
    PayoutLifecycle payoutLifecycle(DSLContext db, LedgerService ledger) {
        return new PayoutLifecycle(db, ledger);
    }
}
