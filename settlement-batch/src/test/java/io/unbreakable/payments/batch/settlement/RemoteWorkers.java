package io.unbreakable.payments.batch.settlement;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Worker processes for the remote-partition tests, on the RabbitMQ server of the machine (RABBITMQ_HOST/PORT,
 * default 127.0.0.1:5672). Each test class gets a queue of its own, so tests (and worktrees) never share one.
 */
final class RemoteWorkers implements AutoCloseable {

    static final String HOST = System.getenv().getOrDefault("RABBITMQ_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(System.getenv().getOrDefault("RABBITMQ_PORT", "5672"));

    final String queue = "partitions.test." + UUID.randomUUID();
    private final List<Process> started = new ArrayList<>();

    /** Skips the calling test class, loudly, when no broker answers. */
    static void assumeBrokerAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
        } catch (IOException e) {
            String warning = "NO RABBITMQ BROKER ANSWERS AT " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "): THE REMOTE-PARTITION TESTS ARE SKIPPED, REMOTE WORKERS ARE NOT TESTED ON THIS MACHINE";
            System.err.println("\n" + "!".repeat(warning.length()) + "\n" + warning + "\n" + "!".repeat(warning.length()) + "\n");
            Assumptions.abort(warning);
        }
    }

    /** Starts a worker process on this queue; {@link #awaitListening} waits until it takes partitions. */
    Process start(DataSource dataSource, String logName) throws Exception {
        Process worker = JobProcesses.start(dataSource, logName, Map.of("RABBITMQ_HOST", HOST, "RABBITMQ_PORT", Integer.toString(PORT)),
                "--payments.settlement.role=worker", "--payments.settlement.queue=" + queue,
                "--payments.settlement.report-directory=target/test-reports");
        started.add(worker);
        return worker;
    }

    static void awaitListening(Process worker, String logName) throws Exception {
        Path log = Path.of("target", logName);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("Started SettlementBatchApplication"))) {
            if (!worker.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker did not start, see target/" + logName);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        for (Process worker : started) {
            worker.destroyForcibly();
            worker.waitFor(30, TimeUnit.SECONDS);
        }
        deleteQueue(queue);
    }

    static void deleteQueue(String queue) {
        CachingConnectionFactory connection = new CachingConnectionFactory(HOST, PORT);
        try {
            new RabbitAdmin(connection).deleteQueue(queue);
        } finally {
            connection.destroy();
        }
    }
}
