package io.unbreakable.payments.pgsim;

import java.time.Instant;
import java.util.List;

/**
 * Faults the simulator injects into the payment API calls, changeable at run time through
 * {@code PUT /__sim/faults}. Draws come from one seeded random source, so a run repeats.
 *
 * @param latencyMs fixed latency added to every call
 * @param latencyJitterMs mean of an exponential extra latency on top (0 = none)
 * @param errorRate share of calls answered with 500 PROVIDER_ERROR, doing nothing
 * @param timeoutRate share of calls that do their work and then never answer (the client times out)
 * @param hangMs how long a call that "never answers" holds the connection
 * @param outages windows in which every call is answered 503 with nothing done
 */
public record SimulatorFaults(
        long latencyMs,
        long latencyJitterMs,
        double errorRate,
        double timeoutRate,
        long hangMs,
        List<Outage> outages) {

    public static final SimulatorFaults NONE = new SimulatorFaults(0, 0, 0, 0, 30_000, List.of());

    public SimulatorFaults {
        if (latencyMs < 0 || latencyJitterMs < 0 || hangMs < 0) {
            throw new IllegalArgumentException("latencies must be >= 0");
        }
        if (errorRate < 0 || errorRate > 1 || timeoutRate < 0 || timeoutRate > 1) {
            throw new IllegalArgumentException("rates must be between 0 and 1");
        }
        outages = outages == null ? List.of() : List.copyOf(outages);
    }

    boolean inOutage(Instant now) {
        return outages.stream().anyMatch(outage -> !now.isBefore(outage.from()) && now.isBefore(outage.until()));
    }

    public record Outage(Instant from, Instant until) {
    }
}
