import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A merchant's webhook receiver for the benchmarks: answers 204 at once, appends each webhook-id to a file
 * (duplicates and losses are counted from it afterwards) and keeps the first requests whole (headers and
 * body) so their signatures can be verified independently.
 *
 * <p>Usage: java bench/webhooks/Receiver.java PORT IDS_FILE SAMPLE_FILE
 */
public class Receiver {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        BufferedWriter ids = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8);
        BufferedWriter sample = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8);
        AtomicLong received = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            long n = received.incrementAndGet();
            synchronized (ids) {
                ids.write(id);
                ids.newLine();
                if (n <= 20) {
                    sample.write(id + "\t" + exchange.getRequestHeaders().getFirst("webhook-timestamp") + "\t"
                            + exchange.getRequestHeaders().getFirst("webhook-signature") + "\t"
                            + new String(body, StandardCharsets.UTF_8));
                    sample.newLine();
                    sample.flush();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                synchronized (ids) {
                    ids.flush();
                }
            } catch (IOException e) {
                e.printStackTrace();
            }
        }));
        // flushed every second: the scripts count lines while it runs
        Thread flusher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                    synchronized (ids) {
                        ids.flush();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
        flusher.setDaemon(true);
        flusher.start();
        server.start();
        System.out.println("receiver listening on " + port);
    }
}
