package io.unbreakable.payments.api.common;

import java.util.List;
import org.springframework.http.HttpStatus;

/** Stable error codes of the API (Toss-like names): clients branch on these, never on messages. */
public enum ErrorCode {
    INVALID_REQUEST(HttpStatus.BAD_REQUEST),
    INVALID_AMOUNT(HttpStatus.BAD_REQUEST),
    EXCEED_CANCEL_AMOUNT(HttpStatus.BAD_REQUEST),
    ALREADY_CANCELED_PAYMENT(HttpStatus.BAD_REQUEST),
    NOT_CANCELABLE_PAYMENT(HttpStatus.BAD_REQUEST),
    INVALID_WEBHOOK_URL(HttpStatus.BAD_REQUEST),
    UNAUTHORIZED_KEY(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    REJECT_CARD_PAYMENT(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    NOT_FOUND_ORDER(HttpStatus.NOT_FOUND),
    NOT_FOUND_PAYMENT(HttpStatus.NOT_FOUND),
    NOT_FOUND_BILLING_KEY(HttpStatus.NOT_FOUND),
    NOT_FOUND_SUBSCRIPTION(HttpStatus.NOT_FOUND),
    NOT_FOUND_WEBHOOK(HttpStatus.NOT_FOUND),
    NOT_FOUND_WEBHOOK_DELIVERY(HttpStatus.NOT_FOUND),
    WEBHOOK_ENDPOINT_LIMIT(HttpStatus.BAD_REQUEST),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    DUPLICATED_ORDER_ID(HttpStatus.CONFLICT),
    DUPLICATED_CONSOLE_USER(HttpStatus.CONFLICT),
    ALREADY_PROCESSED_PAYMENT(HttpStatus.CONFLICT),
    PAYMENT_IN_PROGRESS(HttpStatus.CONFLICT),
    PAYMENT_OUTCOME_UNKNOWN(HttpStatus.CONFLICT),
    ALREADY_CANCELED_SUBSCRIPTION(HttpStatus.CONFLICT),
    IDEMPOTENT_REQUEST_PROCESSING(HttpStatus.CONFLICT),
    NOT_CHANGEABLE_PAYOUT(HttpStatus.CONFLICT),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR),
    PG_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

    private final HttpStatus status;

    ErrorCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /**
     * The code for an answer that only has a status (the servlet container's refusals, Spring Security's
     * firewall): the generic code of that status; INVALID_REQUEST for any other 4xx, INTERNAL_ERROR otherwise.
     */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode code : GENERIC) {
            if (code.status.value() == status) {
                return code;
            }
        }
        return status >= 400 && status < 500 ? INVALID_REQUEST : INTERNAL_ERROR;
    }

    private static final List<ErrorCode> GENERIC = List.of(INVALID_REQUEST, UNAUTHORIZED_KEY, FORBIDDEN, NOT_FOUND,
            METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, TOO_MANY_REQUESTS, INTERNAL_ERROR);
}
