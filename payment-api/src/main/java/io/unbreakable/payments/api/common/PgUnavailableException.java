package io.unbreakable.payments.api.common;

import java.time.Duration;

/** No PG can take the call now (breakers open, bulkheads full, connections refused): 503 with Retry-After. */
public class PgUnavailableException extends ApiException {

    private final Duration retryAfter;

    public PgUnavailableException(String message, Duration retryAfter) {
        super(ErrorCode.PG_UNAVAILABLE, message);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, rounded up: what the Retry-After header says. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
