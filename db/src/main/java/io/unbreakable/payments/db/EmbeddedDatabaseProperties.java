package io.unbreakable.payments.db;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dataDirectory where the embedded PostgreSQL keeps its files, relative to the working
 *     directory (git-ignored); blank for a temporary server removed at exit (tests)
 */
@ConfigurationProperties("payments.embedded-database")
public record EmbeddedDatabaseProperties(@DefaultValue(".data/postgres") String dataDirectory) {
}
