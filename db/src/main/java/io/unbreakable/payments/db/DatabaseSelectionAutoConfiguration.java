package io.unbreakable.payments.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Chooses the PostgreSQL both apps use: the server named by DB_HOST, DB_PORT, DB_NAME, DB_USERNAME
 * and DB_PASSWORD when DB_HOST is set, else the embedded one. Another {@link JdbcConnectionDetails}
 * (a Testcontainers service connection in tests) wins over both.
 */
// after the Testcontainers service connections (when they are on the class path), so ours backs off for them
@AutoConfiguration(before = DataSourceAutoConfiguration.class,
        afterName = "org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration")
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
public class DatabaseSelectionAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSelectionAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(JdbcConnectionDetails.class)
    JdbcConnectionDetails jdbcConnectionDetails(Environment environment, EmbeddedDatabaseProperties embedded) {
        String host = environment.getProperty("DB_HOST");
        if (host != null && !host.isBlank()) {
            ConnectionSettings server = new ConnectionSettings(
                    "jdbc:postgresql://" + host + ":" + environment.getProperty("DB_PORT", "5432") + "/"
                            + environment.getProperty("DB_NAME", "payments"),
                    environment.getProperty("DB_USERNAME", "postgres"),
                    environment.getProperty("DB_PASSWORD", ""));
            log.info("Database: PostgreSQL server {} as {}", server.getJdbcUrl(), server.getUsername());
            return server;
        }
        EmbeddedDatabase database = EmbeddedDatabase.forDataDirectory(embedded.dataDirectory());
        return new ConnectionSettings(database.jdbcUrl(), database.username(), "");
    }

    record ConnectionSettings(String jdbcUrl, String username, String password) implements JdbcConnectionDetails {

        @Override
        public String getJdbcUrl() {
            return jdbcUrl;
        }

        @Override
        public String getUsername() {
            return username;
        }

        @Override
        public String getPassword() {
            return password;
        }

        @Override
        public String toString() {
            return "ConnectionSettings[" + jdbcUrl + " as " + username + "]"; // never the password
        }
    }
}
