package io.unbreakable.payments.batch.settlement;

import io.unbreakable.payments.batch.SettlementBatchApplication;
import io.unbreakable.payments.crypto.DataCipher;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The batch app started as a process of its own against the test's database, as cron or a worker host would
 * start it: for kill -9 and for a second process beside the test's own.
 */
final class JobProcesses {

    private JobProcesses() {
    }

    /** Starts the app with these arguments, its output into {@code target/<logName>}. */
    static Process start(DataSource dataSource, String logName, Map<String, String> environment, String... arguments) throws Exception {
        URI database;
        try (Connection connection = dataSource.getConnection()) {
            database = URI.create(connection.getMetaData().getURL().substring("jdbc:".length()));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SettlementBatchApplication.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", logName).toFile());
        process.environment().put("DB_HOST", database.getHost());
        process.environment().put("DB_PORT", Integer.toString(database.getPort()));
        process.environment().put("DB_NAME", database.getPath().substring(1));
        process.environment().put("DB_USERNAME", "postgres");
        process.environment().put("DB_PASSWORD", "");
        // a job against a database server needs the data key; these only copy ciphertext, any key will do
        process.environment().put("PAYMENTS_DATA_KEY", DataCipher.newKey("test"));
        process.environment().putAll(environment);
        return process.start();
    }
}
