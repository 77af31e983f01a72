package io.unbreakable.payments.webhook;

import io.unbreakable.payments.crypto.DataCipher;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** Both apps write webhook events (the API's payment outcomes, the jobs' charges and settlements, payout moves from both); only the API delivers them. */
@AutoConfiguration
public class WebhookAutoConfiguration {

    @Bean
    WebhookOutbox webhookOutbox(DSLContext db, JdbcClient jdbc, ObjectProvider<JsonMapper> json, DataCipher cipher) {
        // the app's mapper, so data is serialized exactly as its GET answers; the cipher reads a payout's account to mask it
        return new WebhookOutbox(db, jdbc, json.getIfAvailable(() -> JsonMapper.builder().build()), cipher);
    }
}
