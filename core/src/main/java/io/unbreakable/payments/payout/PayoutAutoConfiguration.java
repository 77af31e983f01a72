package io.unbreakable.payments.payout;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.webhook.WebhookOutbox;
import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Both apps move payouts the same way: the console and admin API (holds, retries) and the payout jobs. */
@AutoConfiguration(after = io.unbreakable.payments.crypto.DataCipherAutoConfiguration.class)
public class PayoutAutoConfiguration {

    @Bean
    PayoutLifecycle payoutLifecycle(DSLContext db, LedgerService ledger, WebhookOutbox webhooks) {
        return new PayoutLifecycle(db, ledger, webhooks);
    }

    @Bean
    BankTransferFiles bankTransferFiles(DSLContext db, DataCipher cipher) {
        return new BankTransferFiles(db, cipher);
    }
}
