package io.unbreakable.payments.api.security;

import io.unbreakable.payments.audit.AuditActor;
import io.unbreakable.payments.audit.AuditContext;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;

/**
 * How a request's actor reaches the audit trail, for the API's authentication filter and the pages'
 * security alike: an {@link AuditContext} scope with the request's correlation id (set in the MDC by
 * the first filter) and the client address. That address is the TCP peer unless forwarded headers are
 * honoured ({@code server.forward-headers-strategy}): then it is the client the trusted proxy names.
 */
public final class RequestAudit {

    private RequestAudit() {
    }

    public static AuditContext.Scope open(AuditActor actor, HttpServletRequest request) {
        return AuditContext.open(actor, MDC.get("correlationId"), request.getRemoteAddr());
    }
}
