package io.unbreakable.payments.api.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A merchant's webhook receiver on 127.0.0.1 (a free port): records every request and answers as the test says. */
final class Receiver implements AutoCloseable {

    /** How to answer: a status, or hang, or a huge body, or a redirect. */
    enum Mode { OK, FAIL_500, REDIRECT, HANG, HUGE_BODY }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.OK;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", this::handle);
        server.createContext("/elsewhere", exchange -> {
            received.add(new Received("/elsewhere", Map.of(), ""));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(Mode mode) {
        this.mode = mode;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestURI().getPath(), Map.of(
                "webhook-id", exchange.getRequestHeaders().getFirst("webhook-id"),
                "webhook-timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                "webhook-signature", exchange.getRequestHeaders().getFirst("webhook-signature")), body));
        switch (mode) {
            case OK -> exchange.sendResponseHeaders(204, -1);
            case FAIL_500 -> {
                byte[] answer = "receiver broken".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, answer.length);
                exchange.getResponseBody().write(answer);
            }
            case REDIRECT -> {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
            }
            case HANG -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case HUGE_BODY -> {
                exchange.sendResponseHeaders(200, 10L * 1024 * 1024);
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 160; i++) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the dispatcher hung up once it had read enough: what we expect
                }
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    record Received(String path, Map<String, String> headers, String body) {
    }
}
