package io.unbreakable.payments.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Which PostgreSQL the apps use: a server named by DB_*, else the embedded one, kept in a data directory and shared by processes. */
class DatabaseSelectionTest {

    private static JdbcConnectionDetails select(Map<String, Object> settings, String dataDirectory) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return new DatabaseSelectionAutoConfiguration().jdbcConnectionDetails(environment, new EmbeddedDatabaseProperties(dataDirectory));
    }

    @Test
    void aServerNamedByDbHostIsUsedWithItsDefaultsAndThePasswordNeverPrinted() {
        JdbcConnectionDetails defaults = select(Map.of("DB_HOST", "db.internal"), "");
        assertThat(defaults.getJdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/payments");
        assertThat(defaults.getUsername()).isEqualTo("postgres");
        assertThat(defaults.getPassword()).isEmpty();

        JdbcConnectionDetails named = select(Map.of("DB_HOST", "10.0.0.5", "DB_PORT", "6432", "DB_NAME", "pay", "DB_USERNAME", "app",
                "DB_PASSWORD", "s3cret"), "");
        assertThat(named.getJdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:6432/pay");
        assertThat(named.getUsername()).isEqualTo("app");
        assertThat(named.getPassword()).isEqualTo("s3cret");
        assertThat(named.toString()).isEqualTo("ConnectionSettings[jdbc:postgresql://10.0.0.5:6432/pay as app]").doesNotContain("s3cret");
    }

    @Test
    void aBlankDbHostMeansTheEmbeddedServerOfThisJvm() {
        JdbcConnectionDetails embedded = select(Map.of("DB_HOST", " "), "");
        assertThat(embedded.getJdbcUrl()).isEqualTo(EmbeddedDatabase.forDataDirectory(null).jdbcUrl());
        assertThat(embedded.getUsername()).isEqualTo("postgres");
        assertThat(EmbeddedDatabase.forDataDirectory(" ")).isSameAs(EmbeddedDatabase.forDataDirectory(""));
    }

    @Test
    void aSecondProcessAttachesToTheServerRunningOnTheDataDirectory(@TempDir Path directory) throws Exception {
        // postmaster.pid names a live process (this one) and its port on line 4: attach, start nothing
        Files.writeString(directory.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + directory + "\n1700000000\n54999\n");
        EmbeddedDatabase attached = EmbeddedDatabase.forDataDirectory(directory.toString());
        assertThat(attached.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:54999/postgres");
        assertThat(EmbeddedDatabase.forDataDirectory(directory.resolve(".").toString())).as("one per directory").isSameAs(attached);
    }

    @Test
    void aServerIsStartedOnAnEmptyDataDirectoryAndKeepsItsFilesThere(@TempDir Path parent) throws Exception {
        Path directory = parent.resolve("data");
        EmbeddedDatabase started = EmbeddedDatabase.forDataDirectory(directory.toString());
        try (Connection connection = DriverManager.getConnection(started.jdbcUrl(), started.username(), "");
                ResultSet answer = connection.createStatement().executeQuery("select current_setting('data_directory')")) {
            answer.next();
            assertThat(Path.of(answer.getString(1)).toRealPath()).isEqualTo(directory.toRealPath());
        }
        assertThat(directory.resolve("postmaster.pid")).exists();
    }

    @Test
    void aPidFileOfNoRunningServerIsNotAttachedTo(@TempDir Path parent) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path stale = Files.createDirectories(parent.resolve("stale"));
        Files.writeString(stale.resolve("postmaster.pid"), finished.pid() + "\n" + stale + "\n1700000000\n54998\n");
        Path torn = Files.createDirectories(parent.resolve("torn"));
        Files.writeString(torn.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n");

        // neither names a live server, so a server is started there; a folder holding a pid file but no cluster is refused loudly
        for (Path directory : List.of(stale, torn)) {
            assertThatThrownBy(() -> EmbeddedDatabase.forDataDirectory(directory.toString())).isInstanceOf(RuntimeException.class);
        }
    }
}
