package io.unbreakable.payments.db.test;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The test suite's database switch: by default nothing here applies and the suite runs on the
 * embedded PostgreSQL; with {@code -Ptestcontainers} (system property test.database=testcontainers)
 * it runs on the postgres:17 image through Spring Boot's service connection, on machines with Docker.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    @Bean
    @ServiceConnection
    @ConditionalOnProperty(name = "test.database", havingValue = "testcontainers")
    PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer("postgres:17");
    }
}
