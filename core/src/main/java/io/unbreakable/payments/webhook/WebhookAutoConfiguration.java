package io.unbreakable.payments.webhook;

import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/** Both apps write webhook events (the API's payment outcomes, the jobs' charges and settlements); only the API delivers them. */
@AutoConfiguration
public class WebhookAutoConfiguration {

    @Bean
    WebhookOutbox webhookOutbox(DSLContext db, ObjectProvider<JsonMapper> json) {
        // the app's mapper, so data is serialized exactly as its GET answers
        return new WebhookOutbox(db, json.getIfAvailable(() -> JsonMapper.builder().build()));
    }
}
