package io.unbreakable.payments.pg;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unbreakable.payments.pgsim.PgSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PGs both apps talk to ({@code payments.pg.providers}), each behind its own circuit breaker
 * and bulkhead, and the {@link PgRouter} that picks among them. A provider without a base URL gets
 * a PG simulator started in this process.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@EnableConfigurationProperties(PgProperties.class)
public class PgAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PgAutoConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PgSimulator.class)
    static class InProcessSimulators {

        @Bean(destroyMethod = "close")
        PgSimulators pgSimulators(PgProperties properties) {
            return PgSimulators.start(properties);
        }

        /** The default provider's simulator (the first one started), for tests and tools that drive one PG. */
        @Bean
        PgSimulator pgSimulator(PgSimulators simulators) {
            return simulators.first().orElse(null);
        }
    }

    @Bean
    PgRouter pgRouter(PgProperties properties, ObjectProvider<PgSimulators> simulators, ObjectProvider<MeterRegistry> meterRegistry) {
        PgSimulators inProcess = simulators.getIfAvailable();
        PgRouter router = PgRouter.create(properties, name -> {
            PgProperties.Provider settings = properties.providers().get(name);
            if (!settings.simulated()) {
                return settings.baseUrl();
            }
            if (inProcess == null) {
                // an app without the simulator on its class path (the batch until it charges): refuse calls, do not fail start
                log.warn("PG '{}' has no base URL and no simulator can start here: every call to it is refused", name);
                return null;
            }
            return inProcess.get(name).baseUrl();
        }, meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
        router.providers().forEach(provider -> log.info("PG '{}' at {} ({})", provider.provider(), provider.baseUrl(),
                properties.providers().get(provider.provider())));
        log.info("new payments go to the first available of {}; request deadline {}", router.defaultOrder(),
                properties.requestDeadline());
        return router;
    }

    /**
     * The default order's first provider, behind its breaker: for code written against a single PG.
     * Anything that must stay with the provider it recorded asks {@link PgRouter#provider(String)}.
     */
    @Bean
    PgClient pgClient(PgRouter router) {
        return router.provider(router.defaultOrder().get(0));
    }
}
