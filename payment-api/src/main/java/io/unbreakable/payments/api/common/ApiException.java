package io.unbreakable.payments.api.common;

import org.springframework.http.HttpStatusCode;

/**
 * A refusal the client can act on: an HTTP status, a stable code and a message naming the values
 * involved. The PG's own decline codes travel through here unchanged.
 */
public class ApiException extends RuntimeException {

    private final HttpStatusCode status;
    private final String code;

    public ApiException(ErrorCode code, String message) {
        this(code.status(), code.name(), message);
    }

    public ApiException(HttpStatusCode status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public HttpStatusCode status() {
        return status;
    }

    public String code() {
        return code;
    }
}
