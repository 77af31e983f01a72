package io.unbreakable.payments.db;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest app on the db module: DB selection, Flyway and jOOQ, for the schema tests. */
@SpringBootApplication
class SchemaTestApplication {
}
