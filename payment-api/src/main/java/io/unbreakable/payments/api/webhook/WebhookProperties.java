package io.unbreakable.payments.api.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are registered and delivered.
 *
 * @param allowPrivateAddresses accept endpoint URLs on loopback, private and link-local addresses (to try
 *     webhooks on one machine); off by default, so a merchant cannot make the API call into our network
 * @param retryDelays the wait after each failed attempt (Toss's 1, 4, 16, 64, 256, 1024, 4096 minutes);
 *     after the last the delivery is FAILED, and can be redelivered
 * @param timeout the most one attempt takes, connect, answer and body together
 * @param lease how long a claimed delivery is kept from other dispatchers: if this one dies between send and
 *     record, the delivery is due again after it (at-least-once). Must exceed {@code timeout}
 * @param threads the dispatcher's sending pool (per instance)
 * @param connections the dispatcher's own database connections (per instance), apart from the app's pool
 * @param perEndpoint at most this many attempts in flight to one endpoint (per instance), so one slow
 *     receiver cannot take the whole pool
 * @param disableAfter an endpoint failing this long without one success is DISABLED
 * @param previousSecretValidity after a rotation the old secret still signs this long
 */
@ConfigurationProperties("payments.webhooks")
public record WebhookProperties(
        @DefaultValue("false") boolean allowPrivateAddresses,
        @DefaultValue("1m,4m,16m,64m,256m,1024m,4096m") List<Duration> retryDelays,
        @DefaultValue("true") boolean dispatcherEnabled,
        @DefaultValue("200ms") Duration pollInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("16") int threads,
        @DefaultValue("4") int connections,
        @DefaultValue("4") int perEndpoint,
        @DefaultValue("5d") Duration disableAfter,
        @DefaultValue("24h") Duration previousSecretValidity,
        @DefaultValue("10") int maxEndpointsPerMerchant) {

    public WebhookProperties {
        if (retryDelays.isEmpty()) {
            throw new IllegalArgumentException("payments.webhooks.retry-delays needs at least one delay");
        }
        if (lease.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("payments.webhooks.lease (" + lease + ") must exceed the timeout (" + timeout + ")");
        }
    }
}
