package io.unbreakable.payments.api.pages;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person's browser without the browser: a cookie jar (the session), redirects not followed (so
 * tests see them), and the CSRF token of the last page read, sent back with each form post.
 */
public final class PageSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String origin;
    private final String language;
    private final Map<String, String> headers;
    private String csrf;

    public PageSession(int port, String language) {
        this(port, language, Map.of());
    }

    /** {@code headers} go with every request, e.g. X-Forwarded-For as a proxy in front would add it. */
    public PageSession(int port, String language, Map<String, String> headers) {
        this.origin = "http://localhost:" + port;
        this.language = language;
        this.headers = headers;
    }

    public Page get(String path) {
        return get(path, Map.of());
    }

    public Page get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    /** Posts a form with the CSRF token of the last page read (as a browser would from that page's form). */
    public Page post(String path, Map<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>(form);
        if (csrf != null) {
            fields.putIfAbsent("_csrf", csrf);
        }
        return postWithoutToken(path, fields);
    }

    Page postWithoutToken(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(origin + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Signs in to {@code /console} or {@code /merchant}; returns the answer to the sign-in post (a redirect). */
    public Page signIn(String base, String username, String password) {
        get(base + "/login");
        return post(base + "/login", Map.of("username", username, "password", password));
    }

    private Page send(HttpRequest.Builder request) {
        request.header("Accept-Language", language);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrf = token.group(1);
            }
            return new Page(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Page(int status, String body, HttpHeaders headers) {

        public String location() {
            return headers.firstValue("Location").map(value -> value.replaceFirst("^https?://[^/]+", "")).orElse(null);
        }

        public int count(String text) {
            int count = 0;
            for (int at = body.indexOf(text); at >= 0; at = body.indexOf(text, at + text.length())) {
                count++;
            }
            return count;
        }
    }
}
