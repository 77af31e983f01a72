package io.unbreakable.payments.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: what an HTTP client library would refuse to
 * send or would normalise (a NUL in the path, a bad Host, a header of 20 KB, a chunked body that
 * never ends) reaches the server as it is. One request per connection.
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, ending in an empty line) and then {@code body}. */
    public static Answer send(int port, String head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
                socket.shutdownOutput(); // all sent: a server still waiting for announced bytes sees the end
            } catch (SocketException e) {
                // the server answered and closed before taking the whole body (413): read what it said
            }
            return Answer.parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("no answer to " + head.lines().findFirst().orElse(""), e);
        }
    }

    public static Answer send(int port, String head) {
        return send(port, head, new byte[0]);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException | java.net.SocketTimeoutException e) {
            // reset or silence after the answer: keep what arrived
        }
        return bytes.toByteArray();
    }

    /** Status, headers (lower-case names) and body (de-chunked); {@code json} is empty when the body is not JSON. */
    public record Answer(int status, Map<String, String> headers, String body, JsonNode json) {

        static Answer parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            while (text.startsWith("HTTP/1.1 1")) { // an interim answer (100 Continue): the real one follows
                int interimEnd = text.indexOf("\r\n\r\n") + 4;
                raw = java.util.Arrays.copyOfRange(raw, interimEnd, raw.length);
                text = text.substring(interimEnd);
            }
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IllegalStateException("no complete answer: " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            String content = new String(body, StandardCharsets.UTF_8);
            JsonNode json = headers.getOrDefault("content-type", "").contains("json") && !content.isBlank()
                    ? JSON.readTree(content) : JSON.createObjectNode();
            return new Answer(status, headers, content, json);
        }

        private static byte[] dechunk(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < body.length) {
                int lineEnd = indexOf(body, at);
                int size = Integer.parseInt(new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                out.write(body, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IllegalStateException("broken chunked body");
        }

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        public String code() {
            return json.path("code").asString(null);
        }
    }
}
