package io.unbreakable.payments.pg;

import io.unbreakable.payments.pgsim.PgSimulator;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PG both apps talk to: {@code payments.pg.base-url} (PG_BASE_URL) when set, else a PG simulator
 * started in this process on {@code payments.pg.simulator.port}.
 */
@AutoConfiguration
@EnableConfigurationProperties(PgProperties.class)
public class PgAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PgAutoConfiguration.class);

    @Bean
    @ConditionalOnExpression("!'${payments.pg.base-url:}'.isBlank()")
    PgClient pgClient(PgProperties properties) {
        return httpClient(properties, properties.baseUrl());
    }

    /** Only where the simulator is on the class path (payment-api, tests): the batch jar does not carry it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PgSimulator.class)
    @ConditionalOnExpression("'${payments.pg.base-url:}'.isBlank()")
    static class InProcessSimulator {

        @Bean(destroyMethod = "close")
        PgSimulator pgSimulator(PgProperties properties) {
            PgProperties.Simulator simulator = properties.simulator();
            return PgSimulator.start(simulator.port(), simulator.seed(), new SimulatorFaults(simulator.latencyMs(),
                    simulator.latencyJitterMs(), simulator.errorRate(), simulator.timeoutRate(), simulator.hangMs(), List.of()));
        }

        @Bean
        PgClient simulatorPgClient(PgProperties properties, PgSimulator simulator) {
            return httpClient(properties, simulator.baseUrl());
        }
    }

    private static PgClient httpClient(PgProperties properties, String baseUrl) {
        log.info("PG '{}' at {} (connect timeout {}, read timeout {})", properties.provider(), baseUrl,
                properties.connectTimeout(), properties.readTimeout());
        return new HttpPgClient(properties.provider(), baseUrl, properties);
    }
}
