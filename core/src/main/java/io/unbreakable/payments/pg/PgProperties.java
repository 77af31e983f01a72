package io.unbreakable.payments.pg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PG providers and how far each is trusted. A map keyed by provider name, so one setting of one
 * provider can be changed on its own (e.g. {@code PAYMENTS_PG_PROVIDERS_BACKUP_READTIMEOUT=2s}).
 *
 * @param providers every PG this installation may call, by name (the name is what payments and
 *     billing keys record in {@code pg_provider})
 * @param defaultProviders the order in which new payments try the providers, for merchants without
 *     their own list ({@code merchant.pg_providers})
 * @param requestDeadline the most one API request may spend waiting on PGs in total
 * @param simulator the in-process simulators started for providers without a base URL
 */
@ConfigurationProperties("payments.pg")
public record PgProperties(
        Map<String, Provider> providers,
        List<String> defaultProviders,
        @DefaultValue("5s") Duration requestDeadline,
        @DefaultValue Simulator simulator) {

    public static final String DEFAULT_PROVIDER = "toss";

    public PgProperties {
        providers = providers == null || providers.isEmpty()
                ? Map.of(DEFAULT_PROVIDER, Provider.defaults())
                : new LinkedHashMap<>(providers);
        defaultProviders = defaultProviders == null || defaultProviders.isEmpty()
                ? List.copyOf(providers.keySet())
                : List.copyOf(defaultProviders);
        for (String name : defaultProviders) {
            if (!providers.containsKey(name)) {
                throw new IllegalArgumentException("payments.pg.default-providers names '" + name
                        + "', which is not under payments.pg.providers " + providers.keySet());
            }
        }
        if (requestDeadline.isNegative() || requestDeadline.isZero()) {
            throw new IllegalArgumentException("payments.pg.request-deadline must be positive");
        }
    }

    /** The default order first, then any other configured provider (reachable for existing payments only). */
    public List<String> providerNames() {
        List<String> names = new ArrayList<>(defaultProviders);
        providers.keySet().stream().filter(name -> !names.contains(name)).forEach(names::add);
        return names;
    }

    /**
     * @param baseUrl the PG's address; blank starts a PG simulator in-process for this provider
     * @param secretKey the provider's secret key, sent as HTTP Basic user; never logged
     * @param maxConcurrentCalls calls in flight to this PG at once; more are refused at once (the bulkhead)
     */
    public record Provider(
            String baseUrl,
            @DefaultValue("test_gsk_simulator") String secretKey,
            @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("3s") Duration readTimeout,
            @DefaultValue("32") int maxConcurrentCalls,
            @DefaultValue Breaker breaker) {

        static Provider defaults() {
            return new Provider(null, "test_gsk_simulator", Duration.ofSeconds(1), Duration.ofSeconds(3), 32, Breaker.defaults());
        }

        public boolean simulated() {
            return baseUrl == null || baseUrl.isBlank();
        }

        @Override
        public String toString() {
            return "Provider[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                    + ", maxConcurrentCalls=" + maxConcurrentCalls + ", " + breaker + "]"; // never the secret key
        }
    }

    /**
     * When a provider's circuit opens: over the last {@code slidingWindowCalls} calls (once at least
     * {@code minimumCalls} were made), {@code failureRatePercent} of them unanswered (timeout, 5xx,
     * connection refused) or {@code slowCallRatePercent} slower than {@code slowCallThreshold}. It
     * stays open {@code openFor}, then lets {@code halfOpenCalls} probe calls through.
     */
    public record Breaker(
            @DefaultValue("50") int failureRatePercent,
            @DefaultValue("2s") Duration slowCallThreshold,
            @DefaultValue("80") int slowCallRatePercent,
            @DefaultValue("20") int slidingWindowCalls,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("10s") Duration openFor,
            @DefaultValue("3") int halfOpenCalls) {

        static Breaker defaults() {
            return new Breaker(50, Duration.ofSeconds(2), 80, 20, 10, Duration.ofSeconds(10), 3);
        }
    }

    public record Simulator(
            @DefaultValue("0") int port,
            @DefaultValue("42") long seed,
            @DefaultValue("0") long latencyMs,
            @DefaultValue("0") long latencyJitterMs,
            @DefaultValue("0") double errorRate,
            @DefaultValue("0") double timeoutRate,
            @DefaultValue("30000") long hangMs) {

        /** The i-th simulated provider listens on port + i (0: any free port each). */
        public int portFor(int index) {
            return port == 0 ? 0 : port + index;
        }
    }
}
