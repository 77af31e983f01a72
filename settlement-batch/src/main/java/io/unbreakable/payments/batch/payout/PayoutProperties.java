package io.unbreakable.payments.batch.payout;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How payouts are sent ({@code payments.payout}).
 *
 * @param gateway {@code pg} (default): the PG's payouts API; {@code bank-file}: the day's bank transfer file
 * @param baseUrl the payouts API's address; blank: the default PG provider's ({@code payments.pg})
 * @param secretKey its secret key (HTTP Basic user, never logged); blank: the default PG provider's
 * @param concurrency payout calls in flight at once (bounded: the PG's rate limits and ours)
 * @param chunkSize payouts claimed per transaction
 * @param readTimeout how long a payout call waits for its answer before the payout is UNKNOWN
 * @param resultWait how long a run waits for results still open (async answers, UNKNOWN ones) before it
 *     leaves them to the next run, which asks again first
 * @param transferDirectory where the bank transfer files are written
 * @param memo what the seller's bank statement shows (받는 분 통장 표시)
 */
@ConfigurationProperties("payments.payout")
public record PayoutProperties(
        @DefaultValue("pg") String gateway,
        String baseUrl,
        String secretKey,
        @DefaultValue("64") int concurrency,
        @DefaultValue("500") int chunkSize,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("3s") Duration readTimeout,
        @DefaultValue("60s") Duration resultWait,
        @DefaultValue(".data/transfers") Path transferDirectory,
        @DefaultValue("UP정산") String memo) {

    public PayoutProperties {
        if (!gateway.equals("pg") && !gateway.equals("bank-file")) {
            throw new IllegalArgumentException("payments.payout.gateway must be pg or bank-file, was " + gateway);
        }
        if (concurrency < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("payments.payout.concurrency and chunk-size must be at least 1");
        }
    }

    boolean bankFile() {
        return gateway.equals("bank-file");
    }
}
