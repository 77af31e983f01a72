package io.unbreakable.payments.api.pg;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgRouter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "pgProviders": each PG provider's own status in the details —
 * DOWN while its circuit is open — while the component itself stays UP. A PG outage is not an
 * outage of this app: it keeps answering (fast 503s, reads, recovery), and a load balancer that took
 * it out of rotation for a PG's sake would turn a partial outage into a total one.
 */
@Component("pgProviders")
class PgProvidersHealthIndicator implements HealthIndicator {

    private final PgRouter router;

    PgProvidersHealthIndicator(PgRouter router) {
        this.router = router;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (PgProvider provider : router.providers()) {
            Map<String, Object> details = new LinkedHashMap<>();
            boolean open = provider.breakerState() == CircuitBreaker.State.OPEN || provider.breakerState() == CircuitBreaker.State.FORCED_OPEN;
            details.put("status", (open ? Status.DOWN : Status.UP).getCode());
            details.put("circuit", provider.breakerState().name());
            details.put("callsInFlight", provider.callsInFlight());
            details.put("failureRatePercent", provider.failureRatePercent());
            details.put("slowCallRatePercent", provider.slowCallRatePercent());
            health.withDetail(provider.provider(), details);
        }
        return health.withDetail("defaultOrder", router.defaultOrder()).build();
    }
}
