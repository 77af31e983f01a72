package io.unbreakable.payments.pg;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param baseUrl the PG's address (PG_BASE_URL); blank starts the PG simulator in-process
 * @param secretKey the PG secret key (PG_SECRET_KEY), sent as HTTP Basic user; never logged
 * @param simulator the in-process simulator's port (0 = any free one), seed and faults
 */
@ConfigurationProperties("payments.pg")
public record PgProperties(
        String baseUrl,
        @DefaultValue("test_gsk_simulator") String secretKey,
        @DefaultValue("toss") String provider,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout,
        @DefaultValue Simulator simulator) {

    public record Simulator(
            @DefaultValue("0") int port,
            @DefaultValue("42") long seed,
            @DefaultValue("0") long latencyMs,
            @DefaultValue("0") long latencyJitterMs,
            @DefaultValue("0") double errorRate,
            @DefaultValue("0") double timeoutRate,
            @DefaultValue("30000") long hangMs) {
    }

    @Override
    public String toString() {
        return "PgProperties[baseUrl=" + baseUrl + ", provider=" + provider + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]"; // never the secret key
    }
}
