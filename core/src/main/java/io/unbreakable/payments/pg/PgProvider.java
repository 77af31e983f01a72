package io.unbreakable.payments.pg;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One PG provider: its HTTP client behind its own circuit breaker and bulkhead. A call the breaker
 * or the bulkhead refuses is not sent and comes back as {@link PgResult.Unknown#notSent}, at once,
 * so a sick PG costs a request thread nothing. Every answer that is not a clear yes or no (timeout,
 * 5xx, connection refused) counts as a failure for the breaker; a decline is a healthy PG answering.
 */
public final class PgProvider implements PgClient {

    /** Less time than this left before the deadline is not worth a call: it could only time out. */
    static final Duration SHORTEST_CALL = Duration.ofMillis(50);

    private final String name;
    /** null when this provider has no address here: every call is refused. */
    private final HttpPgClient http;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final MeterRegistry meters;
    private final Duration openFor;
    /** When the breaker last opened (System.nanoTime), shared by every {@link #until} view. */
    private final AtomicLong openedAtNanos;
    private final Instant deadline;

    PgProvider(String name, HttpPgClient http, CircuitBreaker breaker, Bulkhead bulkhead, MeterRegistry meters, Duration openFor) {
        this(name, http, breaker, bulkhead, meters, openFor, new AtomicLong(System.nanoTime()), null);
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtNanos.set(System.nanoTime());
            }
        });
    }

    private PgProvider(String name, HttpPgClient http, CircuitBreaker breaker, Bulkhead bulkhead, MeterRegistry meters,
            Duration openFor, AtomicLong openedAtNanos, Instant deadline) {
        this.name = name;
        this.http = http;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.meters = meters;
        this.openFor = openFor;
        this.openedAtNanos = openedAtNanos;
        this.deadline = deadline;
    }

    /** This provider for one request: no call outlives {@code deadline}, none starts after it. */
    public PgProvider until(Instant deadline) {
        return new PgProvider(name, http == null ? null : http.until(deadline), breaker, bulkhead, meters, openFor, openedAtNanos, deadline);
    }

    @Override
    public String provider() {
        return name;
    }

    public String baseUrl() {
        return http == null ? null : http.baseUrl();
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    void resetCircuit() {
        breaker.reset();
    }

    /** Whether a call would be let through now (it may still lose the race for the last slot). */
    public boolean admitsCalls() {
        CircuitBreaker.State state = breaker.getState();
        boolean breakerAdmits = state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN
                || state == CircuitBreaker.State.DISABLED || state == CircuitBreaker.State.METRICS_ONLY;
        return breakerAdmits && bulkhead.getMetrics().getAvailableConcurrentCalls() > 0;
    }

    public int callsInFlight() {
        return bulkhead.getBulkheadConfig().getMaxConcurrentCalls() - bulkhead.getMetrics().getAvailableConcurrentCalls();
    }

    public float failureRatePercent() {
        return breaker.getMetrics().getFailureRate();
    }

    public float slowCallRatePercent() {
        return breaker.getMetrics().getSlowCallRate();
    }

    /** How long until this provider may take calls again: the rest of an open breaker's wait, else a second. */
    public Duration retryAfter() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return Duration.ofSeconds(1);
        }
        Duration left = openFor.minusNanos(System.nanoTime() - openedAtNanos.get());
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    @Override
    public PgResult<PgPayment> confirm(String paymentKey, String orderId, long amount, String idempotencyKey) {
        return guarded("confirm", client -> client.confirm(paymentKey, orderId, amount, idempotencyKey));
    }

    @Override
    public PgResult<PgPayment> cancel(String paymentKey, long cancelAmount, String cancelReason, String idempotencyKey) {
        return guarded("cancel", client -> client.cancel(paymentKey, cancelAmount, cancelReason, idempotencyKey));
    }

    @Override
    public PgResult<PgPayment> inquire(String paymentKey) {
        return guarded("inquire", client -> client.inquire(paymentKey));
    }

    @Override
    public PgResult<PgPayment> inquireByOrderId(String orderId) {
        return guarded("inquire", client -> client.inquireByOrderId(orderId));
    }

    @Override
    public PgResult<PgBillingKey> issueBillingKey(String customerKey, String authKey, String idempotencyKey) {
        return guarded("billing_issue", client -> client.issueBillingKey(customerKey, authKey, idempotencyKey));
    }

    @Override
    public PgResult<PgPayment> chargeBillingKey(String billingKey, String customerKey, long amount, String orderId,
            String orderName, String idempotencyKey) {
        return guarded("billing_charge", client -> client.chargeBillingKey(billingKey, customerKey, amount, orderId, orderName, idempotencyKey));
    }

    private <T> PgResult<T> guarded(String operation, Function<HttpPgClient, PgResult<T>> call) {
        if (http == null) {
            return rejected(operation, "PG " + name + " has no base URL here");
        }
        if (deadline != null && Duration.between(Instant.now(), deadline).compareTo(SHORTEST_CALL) < 0) {
            return rejected(operation, "the request's deadline has passed");
        }
        if (!bulkhead.tryAcquirePermission()) {
            return rejected(operation, "PG " + name + " has " + callsInFlight() + " calls in flight, its limit");
        }
        try {
            if (!breaker.tryAcquirePermission()) {
                return rejected(operation, "PG " + name + " circuit is " + breaker.getState());
            }
            long started = System.nanoTime();
            PgResult<T> result;
            try {
                result = call.apply(http);
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                throw e;
            }
            long durationNanos = System.nanoTime() - started;
            if (result instanceof PgResult.Unknown<T> unknown) {
                breaker.onError(durationNanos, TimeUnit.NANOSECONDS, new NoAnswer(unknown.reason()));
            } else {
                breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
            }
            timer(operation, outcome(result)).record(durationNanos, TimeUnit.NANOSECONDS);
            return result;
        } finally {
            bulkhead.onComplete();
        }
    }

    private <T> PgResult<T> rejected(String operation, String reason) {
        timer(operation, "rejected").record(0, TimeUnit.NANOSECONDS);
        return PgResult.Unknown.notSent(reason);
    }

    private Timer timer(String operation, String outcome) {
        return Timer.builder("payments.pg.calls")
                .description("PG calls by provider, operation and outcome (rejected = refused here by the breaker or bulkhead)")
                .tags("provider", name, "operation", operation, "outcome", outcome)
                .register(meters);
    }

    private static String outcome(PgResult<?> result) {
        if (result instanceof PgResult.Success<?>) {
            return "success";
        }
        if (result instanceof PgResult.Declined<?>) {
            return "declined";
        }
        return switch (((PgResult.Unknown<?>) result).kind()) {
            case TIMEOUT -> "timeout";
            case NOT_SENT -> "not_sent";
            case NO_ANSWER -> "no_answer";
        };
    }

    /** What the breaker records for a call without a clear answer; no stack trace, it is not a bug. */
    static final class NoAnswer extends RuntimeException {

        NoAnswer(String reason) {
            super(reason, null, false, false);
        }
    }
}
