package io.unbreakable.payments.pg;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which PG a call goes to. A payment (or billing key) stays with the provider that saw it for its
 * whole life: {@link #provider(String)} with the name it recorded. Only something new — a payment
 * not yet sent anywhere — is routed: to the first provider of its order that admits calls now
 * ({@link #firstAdmitting}). Failing over is safe only while nothing was sent; a call whose outcome is
 * unknown stays with its provider, or the same payment could be approved at two PGs.
 */
public final class PgRouter {

    private final Map<String, PgProvider> providers;
    private final List<String> defaultOrder;
    private final Duration requestDeadline;

    PgRouter(Map<String, PgProvider> providers, List<String> defaultOrder, Duration requestDeadline) {
        this.providers = new LinkedHashMap<>(providers);
        this.defaultOrder = List.copyOf(defaultOrder);
        this.requestDeadline = requestDeadline;
    }

    /**
     * One {@link PgProvider} per configured provider, each with its own circuit breaker and bulkhead,
     * their state bound to {@code meters} (resilience4j_circuitbreaker_*, resilience4j_bulkhead_*).
     */
    public static PgRouter create(PgProperties properties, Function<String, String> baseUrlOf, MeterRegistry meters) {
        // baseUrlOf answers null for a provider that cannot be reached from here: its calls are refused
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        Map<String, PgProvider> providers = new LinkedHashMap<>();
        for (String name : properties.providerNames()) {
            PgProperties.Provider settings = properties.providers().get(name);
            PgProperties.Breaker breaker = settings.breaker();
            CircuitBreaker circuitBreaker = breakers.circuitBreaker(name, CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(breaker.slidingWindowCalls())
                    .minimumNumberOfCalls(breaker.minimumCalls())
                    .failureRateThreshold(breaker.failureRatePercent())
                    .slowCallDurationThreshold(breaker.slowCallThreshold())
                    .slowCallRateThreshold(breaker.slowCallRatePercent())
                    .waitDurationInOpenState(breaker.openFor())
                    .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                    // half-open after openFor even if nothing asks: the router asks only providers that admit calls
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .build());
            Bulkhead bulkhead = bulkheads.bulkhead(name, BulkheadConfig.custom()
                    .maxConcurrentCalls(settings.maxConcurrentCalls())
                    .maxWaitDuration(Duration.ZERO) // a full bulkhead refuses at once: waiting is what it prevents
                    .build());
            String baseUrl = baseUrlOf.apply(name);
            HttpPgClient http = baseUrl == null ? null : new HttpPgClient(name, baseUrl, settings);
            providers.put(name, new PgProvider(name, http, circuitBreaker, bulkhead, meters, breaker.openFor()));
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        return new PgRouter(providers, properties.defaultProviders(), properties.requestDeadline());
    }

    /** The deadline of a request starting now: its PG calls, together, end by then ({@link PgProvider#until}). */
    public Instant deadlineFromNow() {
        return Instant.now().plus(requestDeadline);
    }

    /** The provider a payment or billing key recorded: the only one that may be asked about it. */
    public PgProvider provider(String name) {
        PgProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalStateException("PG provider '" + name + "' is not configured (payments.pg.providers has "
                    + providers.keySet() + "); what it holds cannot be reached");
        }
        return provider;
    }

    /** Closes every circuit and forgets its statistics: after an operator fixed a PG, and between tests. */
    public void resetCircuits() {
        providers.values().forEach(PgProvider::resetCircuit);
    }

    public boolean isConfigured(String name) {
        return providers.containsKey(name);
    }

    /** Every configured provider: the default order first, then the others. */
    public Collection<PgProvider> providers() {
        return Collections.unmodifiableCollection(providers.values());
    }

    public List<String> defaultOrder() {
        return defaultOrder;
    }

    /** The order for something new of a merchant: its own list (names not configured skipped), else the default. */
    public List<String> orderFor(List<String> merchantProviders) {
        if (merchantProviders == null || merchantProviders.isEmpty()) {
            return defaultOrder;
        }
        List<String> known = merchantProviders.stream().filter(providers::containsKey).toList();
        return known.isEmpty() ? defaultOrder : known;
    }

    /** The first provider of {@code order} whose breaker and bulkhead admit a call now; empty when none does. */
    public Optional<PgProvider> firstAdmitting(List<String> order) {
        return order.stream().map(this::provider).filter(PgProvider::admitsCalls).findFirst();
    }

    /** The providers of {@code order} after {@code current}: where a call that was not sent may go next. */
    public List<String> after(List<String> order, String current) {
        int index = order.indexOf(current);
        return index < 0 ? order : order.subList(index + 1, order.size());
    }

    /** When to try again when none of {@code order} admits calls: as soon as the first of them may. */
    public Duration retryAfter(List<String> order) {
        return order.stream().map(this::provider).map(PgProvider::retryAfter).min(Duration::compareTo).orElse(Duration.ofSeconds(1));
    }
}
