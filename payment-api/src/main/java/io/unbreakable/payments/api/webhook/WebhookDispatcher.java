package io.unbreakable.payments.api.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unbreakable.payments.crypto.DataCipher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox: claims due deliveries ({@code FOR UPDATE SKIP LOCKED}, leased, so any number of
 * instances share the table and none sends what another holds), sends each outside any transaction on a
 * bounded pool with at most {@code perEndpoint} in flight per endpoint; the dispatcher's loop then records
 * every attempt finished since its last pass in one transaction (the attempts and the next step of each:
 * DELIVERED, due again on the retry schedule, or FAILED after the last delay), which took the database work
 * per delivery from three statements and a commit to a share of one (docs/benchmarks.md, "Webhooks").
 * A process killed between send and record leaves the lease to expire: the delivery is sent again
 * (at-least-once; receivers deduplicate on webhook-id), never lost. Its database work goes through its own
 * few connections ({@link WebhookDispatchConnections}), not the app's pool.
 */
@Component
public class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** An answer's body beyond this is a failure (a receiver acknowledges with a few bytes). */
    static final long MAX_ANSWER_BYTES = 64 * 1024;
    /** Claimed deliveries of one endpoint that may wait here for its places: this many rounds of perEndpoint. */
    static final int WAITING_ROUNDS = 4;

    private final WebhookRepository webhooks;
    private final WebhookUrls urls;
    private final DataCipher cipher;
    private final TransactionTemplate tx;
    private final WebhookProperties properties;
    private final HttpClient http;
    private ExecutorService senders; // guarded by this; a new pool each start (a stopped context may start again)
    private final Map<Long, Lane> lanes = new HashMap<>(); // guarded by this
    private int inFlight; // guarded by this: sends in flight, at most threads
    private List<Sent> unrecorded = new ArrayList<>(); // guarded by this: answered, not yet recorded
    /** Released when a send finishes: the loop claims again at once instead of waiting out the poll interval. */
    private final Semaphore wake = new Semaphore(0);
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final Timer lag;
    private final Timer attemptLatency;
    private volatile Thread loop;
    private volatile boolean running;

    WebhookDispatcher(WebhookDispatchConnections connections, WebhookUrls urls, DataCipher cipher, WebhookProperties properties,
            MeterRegistry meters) {
        this.webhooks = new WebhookRepository(connections.db());
        this.urls = urls;
        this.cipher = cipher;
        this.tx = connections.tx();
        this.properties = properties;
        // no redirects: a 3xx is a failed attempt, never a request to wherever it points
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.timeout()).build();
        String name = "payments.webhooks.deliveries";
        this.delivered = Counter.builder(name).tag("outcome", "delivered").description("webhook delivery attempts by outcome").register(meters);
        this.retried = Counter.builder(name).tag("outcome", "retry").description("webhook delivery attempts by outcome").register(meters);
        this.failed = Counter.builder(name).tag("outcome", "failed").description("webhook delivery attempts by outcome").register(meters);
        this.lag = Timer.builder("payments.webhooks.lag").description("event commit to its delivery (successful attempts)")
                .publishPercentileHistogram().register(meters);
        this.attemptLatency = Timer.builder("payments.webhooks.attempt.latency").description("one delivery attempt, send to answer")
                .register(meters);
    }

    @Override
    public void start() {
        synchronized (this) {
            AtomicInteger threadCount = new AtomicInteger();
            senders = Executors.newFixedThreadPool(properties.threads(), task -> {
                Thread thread = new Thread(task, "webhook-sender-" + threadCount.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            // what a stop interrupted is leased in the database: due again after the lease
            lanes.clear();
            inFlight = 0;
            unrecorded = new ArrayList<>();
        }
        running = true;
        if (properties.dispatcherEnabled()) {
            loop = new Thread(this::loop, "webhook-dispatcher");
            loop.setDaemon(true);
            loop.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        synchronized (this) {
            senders.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running && Thread.currentThread() == loop) { // a loop of before a stop and start ends
            try {
                wake.drainPermits();
                recordSent();
                if (dispatchOnce() == 0) {
                    // until a send finishes (a sender or an endpoint's place is free) or the poll interval passes
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("webhook dispatcher: {}; polling again", e.toString());
                sleepQuietly(properties.pollInterval());
            }
        }
    }

    /**
     * Claims up to as many due deliveries as there are free senders and starts them, at most
     * {@code perEndpoint} at a time per endpoint: the rest of an endpoint's wait here (leased to this
     * instance) and start as its sends finish, up to {@link #WAITING_PER_ENDPOINT} places per endpoint, after
     * which its deliveries are left to the next claim. Returns how many it claimed: 0 when nothing could be
     * (nothing due, or every sender busy).
     */
    int dispatchOnce() {
        int free;
        List<Long> full;
        synchronized (this) {
            free = properties.threads() - inFlight;
            full = lanes.entrySet().stream().filter(lane -> lane.getValue().waiting.size() >= waitingPerEndpoint())
                    .map(Map.Entry::getKey).toList();
        }
        if (free <= 0) {
            return 0;
        }
        List<WebhookRepository.Due> claimed = webhooks.claimDue(Math.min(free, properties.batchSize()), properties.lease(), full);
        List<Long> leftOver = new ArrayList<>();
        synchronized (this) {
            for (WebhookRepository.Due due : claimed) {
                Lane lane = lanes.computeIfAbsent(due.endpointId(), id -> new Lane());
                if (lane.inFlight < properties.perEndpoint()) {
                    start(lane, due);
                } else if (lane.waiting.size() < waitingPerEndpoint()) {
                    lane.waiting.add(due);
                } else {
                    leftOver.add(due.deliveryId());
                }
            }
        }
        if (!leftOver.isEmpty()) {
            webhooks.release(leftOver, Duration.ZERO);
        }
        return claimed.size();
    }

    /** A waiting delivery is sent within the lease: at most this many wait per endpoint, a few rounds of its places. */
    private int waitingPerEndpoint() {
        return WAITING_ROUNDS * properties.perEndpoint();
    }

    // under this object's lock
    private void start(Lane lane, WebhookRepository.Due due) {
        lane.inFlight++;
        inFlight++;
        Runnable send = () -> {
            Sent sent = null;
            try {
                Attempt attempt = send(due);
                attemptLatency.record(Duration.ofMillis(attempt.latencyMs()));
                sent = new Sent(due, attempt);
            } catch (RuntimeException e) {
                // not sent (its secret does not decrypt, say): the lease runs out and it is due again
                log.warn("webhook delivery {}: not sent ({}); due again after the lease", due.deliveryId(), e.toString());
            } finally {
                finished(lane, due.endpointId(), sent);
            }
        };
        try {
            senders.execute(send);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile: the claim stays leased and is due again after the lease
            lane.inFlight--;
            inFlight--;
            throw e;
        }
    }

    private void finished(Lane lane, long endpointId, Sent sent) {
        synchronized (this) {
            if (lanes.get(endpointId) != lane) {
                return; // a send of before a stop and start: the counts were reset
            }
            if (sent != null) {
                unrecorded.add(sent);
            }
            lane.inFlight--;
            inFlight--;
            WebhookRepository.Due next = lane.waiting.poll();
            if (next != null) {
                start(lane, next);
            } else if (lane.inFlight == 0) {
                lanes.remove(endpointId);
            }
        }
        wake.release();
    }

    /** Until nothing is due and every send is recorded (tests drive the dispatcher this way). */
    public void drain() throws InterruptedException {
        while (true) {
            wake.drainPermits();
            recordSent();
            int claimed = dispatchOnce();
            boolean idle;
            synchronized (this) {
                idle = inFlight == 0 && lanes.isEmpty() && unrecorded.isEmpty();
            }
            if (claimed == 0 && idle) {
                return;
            }
            if (claimed == 0) {
                wake.tryAcquire(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** An endpoint's sends in flight here, and the claimed deliveries waiting for one of its places. */
    private static final class Lane {

        int inFlight;
        final Deque<WebhookRepository.Due> waiting = new ArrayDeque<>();
    }

    /**
     * Records the attempts answered since the last call in one transaction. If that fails, none is recorded:
     * their leases run out and they are sent again.
     */
    void recordSent() {
        List<Sent> batch;
        synchronized (this) {
            if (unrecorded.isEmpty()) {
                return;
            }
            batch = unrecorded;
            unrecorded = new ArrayList<>();
        }
        List<Sent> answered2xx = batch.stream().filter(sent -> sent.attempt().error() == null).toList();
        List<Sent> notDelivered = batch.stream().filter(sent -> sent.attempt().error() != null).toList();
        try {
            tx.executeWithoutResult(status -> {
                webhooks.recordDelivered(answered2xx.stream()
                        .map(sent -> new WebhookRepository.Delivered(sent.due().deliveryId(), sent.due().endpointId(),
                                sent.attempt().httpStatus(), sent.attempt().latencyMs()))
                        .toList());
                notDelivered.forEach(this::recordNotDelivered);
            });
        } catch (RuntimeException e) {
            log.warn("webhook deliveries {}: not recorded ({}); due again after the lease",
                    batch.stream().map(sent -> sent.due().deliveryId()).toList(), e.toString());
            return;
        }
        OffsetDateTime now = OffsetDateTime.now();
        answered2xx.forEach(sent -> lag.record(Duration.between(sent.due().eventCreatedAt(), now)));
        delivered.increment(answered2xx.size());
    }

    /** One POST of the event, signed; never throws for the receiver's sake: every outcome is an Attempt. */
    Attempt send(WebhookRepository.Due due) {
        long started = System.nanoTime();
        URI uri = URI.create(due.url());
        Optional<String> refused = urls.refusal(uri);
        if (refused.isPresent()) {
            return new Attempt(null, 0, "refused: " + refused.get());
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(cipher.decrypt(WebhookService.SECRET_PURPOSE, due.secret()));
        if (due.previousSecret() != null) {
            secrets.add(cipher.decrypt(WebhookService.SECRET_PURPOSE, due.previousSecret()));
        }
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "UnbreakablePayments-Webhooks/1")
                .header("webhook-id", due.eventId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(secrets, due.eventId(), timestamp, due.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(due.payload()))
                .build();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, BoundedBody.handler(MAX_ANSWER_BYTES));
        try {
            HttpResponse<String> response = answer.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            String error = status >= 200 && status < 300 ? null : "HTTP " + status + (response.body().isBlank() ? "" : ": " + oneLine(response.body()));
            return new Attempt(status, millisSince(started), error);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return noAnswer(started);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return noAnswer(started); // the request's own timeout, the same bound, may fire first
            }
            return new Attempt(null, millisSince(started), cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + oneLine(cause.getMessage())));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending webhook delivery " + due.deliveryId());
        }
    }

    private void recordNotDelivered(Sent sent) {
        WebhookRepository.Due due = sent.due();
        Attempt attempt = sent.attempt();
        webhooks.insertAttempt(due.deliveryId(), attempt.httpStatus(), attempt.latencyMs(), attempt.error());
        int attempts = due.attempts() + 1;
        List<Duration> delays = properties.retryDelays();
        Duration retryAfter = attempts <= delays.size() ? delays.get(attempts - 1) : null;
        webhooks.markFailed(due.deliveryId(), attempt.httpStatus(), attempt.error(), retryAfter);
        (retryAfter == null ? failed : retried).increment();
        if (webhooks.endpointFailed(due.endpointId(), properties.disableAfter())) {
            log.warn("webhook endpoint {} disabled: failing for {}", due.endpointId(), properties.disableAfter());
        }
    }

    private Attempt noAnswer(long startedNanos) {
        return new Attempt(null, millisSince(startedNanos), "no answer within " + properties.timeout().toMillis() + " ms");
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() > BoundedBody.KEPT ? line.substring(0, BoundedBody.KEPT) : line;
    }

    private static int millisSince(long startedNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code error} null = delivered. */
    record Attempt(Integer httpStatus, int latencyMs, String error) {
    }

    /** An attempt answered (or failed) and not yet recorded. */
    private record Sent(WebhookRepository.Due due, Attempt attempt) {
    }
}
