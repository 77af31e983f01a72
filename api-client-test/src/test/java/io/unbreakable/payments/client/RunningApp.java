package io.unbreakable.payments.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * payment-api as it is shipped: its repackaged jar started as a process on free ports, on a fresh
 * embedded PostgreSQL (removed when it stops) with its in-process PG simulators.
 */
final class RunningApp implements AutoCloseable {

    final int port;
    final String adminToken;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private RunningApp(int port, int managementPort, String adminToken, Process process, Path log) {
        this.port = port;
        this.managementPort = managementPort;
        this.adminToken = adminToken;
        this.process = process;
        this.log = log;
    }

    static RunningApp start() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("payment-api.jar", "../payment-api/target/payment-api-0.1.0-SNAPSHOT.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build payment-api first (./mvnw -pl api-client-test -am verify)");
        }
        Path directory = Files.createDirectories(Path.of("target/walk-through"));
        Path log = directory.resolve("payment-api.log");
        int port = freePort();
        int managementPort = freePort();
        String adminToken = "admin_" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString(), "--payments.embedded-database.data-directory=")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // no DB_* or PG_* from the machine: the embedded defaults, as the README's first run
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("PG_") || name.startsWith("PAYMENT"));
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("PG_SIMULATOR_PORT", Integer.toString(freePortPair()));
        builder.environment().put("PAYMENT_ADMIN_TOKEN", adminToken);
        builder.environment().put("PAYMENT_CONSOLE_PASSWORD", UUID.randomUUID().toString());
        builder.environment().put("LOG_FORMAT", "");
        RunningApp app = new RunningApp(port, managementPort, adminToken, builder.start(), log);
        app.awaitHealthy();
        return app;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("payment-api exited with " + process.exitValue() + "; its log: " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("payment-api did not become healthy in 3 minutes; its log: " + log.toAbsolutePath());
    }

    String baseUri() {
        return "http://localhost:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: a graceful stop, which stops its embedded PostgreSQL too
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port whose next one is free too: the two PG simulators take port and port + 1. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
        int managementPort = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two free consecutive ports");
    }
}
