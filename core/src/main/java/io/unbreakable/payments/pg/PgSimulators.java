package io.unbreakable.payments.pg;

import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PG simulators started in this process, one per provider configured without a base URL
 * (development, tests): the i-th provider of {@link PgProperties#providerNames()} on simulator port + i.
 */
public final class PgSimulators implements AutoCloseable {

    private final Map<String, PgSimulator> byProvider;

    private PgSimulators(Map<String, PgSimulator> byProvider) {
        this.byProvider = byProvider;
    }

    static PgSimulators start(PgProperties properties) {
        PgProperties.Simulator settings = properties.simulator();
        SimulatorFaults faults = new SimulatorFaults(settings.latencyMs(), settings.latencyJitterMs(), settings.errorRate(),
                settings.timeoutRate(), settings.hangMs(), List.of());
        Map<String, PgSimulator> started = new LinkedHashMap<>();
        List<String> names = properties.providerNames();
        for (int i = 0; i < names.size(); i++) {
            if (properties.providers().get(names.get(i)).simulated()) {
                started.put(names.get(i), PgSimulator.start(settings.portFor(i), settings.seed() + i, faults));
            }
        }
        return new PgSimulators(started);
    }

    public Optional<PgSimulator> of(String provider) {
        return Optional.ofNullable(byProvider.get(provider));
    }

    public PgSimulator get(String provider) {
        return of(provider).orElseThrow(() -> new IllegalArgumentException("no in-process PG simulator for provider " + provider));
    }

    /** The first one started: the default provider's, when it is simulated. */
    Optional<PgSimulator> first() {
        return byProvider.values().stream().findFirst();
    }

    public Collection<PgSimulator> all() {
        return byProvider.values();
    }

    @Override
    public void close() {
        byProvider.values().forEach(PgSimulator::close);
    }
}
