package io.unbreakable.payments.api.webhook;

import com.zaxxer.hikari.HikariDataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatcher's own few database connections (payments.webhooks.connections), beside the app's pool: under a
 * confirm load that keeps every connection of the app's pool busy, claims and records of deliveries would
 * otherwise queue behind the requests, and the outbox's lag grow with the load (measured: docs/benchmarks.md).
 * Not a DataSource bean, so the app's own DataSource stays the one Spring Boot configures.
 */
@Component
class WebhookDispatchConnections implements AutoCloseable {

    private final HikariDataSource pool;
    private final DSLContext db;
    private final TransactionTemplate tx;

    WebhookDispatchConnections(JdbcConnectionDetails database, WebhookProperties properties) {
        pool = new HikariDataSource();
        pool.setPoolName("webhook-dispatch");
        pool.setJdbcUrl(database.getJdbcUrl());
        pool.setUsername(database.getUsername());
        pool.setPassword(database.getPassword());
        pool.setMaximumPoolSize(properties.connections());
        pool.setMinimumIdle(1);
        db = DSL.using(new TransactionAwareDataSourceProxy(pool), SQLDialect.POSTGRES);
        tx = new TransactionTemplate(new DataSourceTransactionManager(pool));
    }

    DSLContext db() {
        return db;
    }

    TransactionTemplate tx() {
        return tx;
    }

    @Override
    public void close() {
        pool.close();
    }
}
