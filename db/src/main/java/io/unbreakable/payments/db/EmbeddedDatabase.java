package io.unbreakable.payments.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when no DB_* settings are given: real PostgreSQL 17 binaries from
 * Maven Central, started once per JVM and data directory.
 *
 * <p>With a data directory the data survives restarts, and a second process (a batch job run while
 * the API is up) attaches to the server the first one started instead of starting its own on the
 * same files. Without one (tests) the server lives in a temporary directory removed at exit.
 */
public final class EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Map<String, EmbeddedDatabase> RUNNING = new ConcurrentHashMap<>();
    private static final String TEMPORARY = "";

    private final int port;

    private EmbeddedDatabase(int port) {
        this.port = port;
    }

    /** The server for this data directory (blank = temporary), started or attached on first use. */
    public static EmbeddedDatabase forDataDirectory(String dataDirectory) {
        String key = dataDirectory == null || dataDirectory.isBlank() ? TEMPORARY : Path.of(dataDirectory).toAbsolutePath().normalize().toString();
        return RUNNING.computeIfAbsent(key, EmbeddedDatabase::startOrAttach);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    private static EmbeddedDatabase startOrAttach(String dataDirectory) {
        try {
            if (dataDirectory.equals(TEMPORARY)) {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
                log.info("Embedded PostgreSQL (temporary) on port {}", postgres.getPort());
                return new EmbeddedDatabase(postgres.getPort());
            }
            Path directory = Path.of(dataDirectory);
            Optional<Integer> runningPort = portOfRunningServer(directory);
            if (runningPort.isPresent()) {
                log.info("Embedded PostgreSQL already running on port {} with data in {}: attaching", runningPort.get(), directory);
                return new EmbeddedDatabase(runningPort.get());
            }
            Files.createDirectories(directory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
            log.info("Embedded PostgreSQL started on port {} with data in {} (kept between runs; delete the folder to start empty)",
                    postgres.getPort(), directory);
            return new EmbeddedDatabase(postgres.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in '" + dataDirectory + "'", e);
        }
    }

    /** postmaster.pid holds the server's pid on line 1 and its port on line 4 while it runs. */
    private static Optional<Integer> portOfRunningServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
