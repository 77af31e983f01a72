package io.unbreakable.payments.audit;

import java.util.List;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to write the audit trail ({@code audit_event}), for both apps and the batch jobs. A row is
 * written in the transaction of the change it records — so it commits with the change or not at all —
 * by the actor of the current {@link AuditContext}; the database refuses to update or delete it.
 */
public class AuditTrail {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditRepository events;

    AuditTrail(AuditRepository events) {
        this.events = events;
    }

    /**
     * Records that the current actor did {@code action} to a target. {@code before} and {@code after}
     * are what changed, as JSON (a map or a record; null when there was nothing before or after). Never
     * pass a secret or an account number: a masked form or a fact ("passwordChanged": true) says enough.
     *
     * @throws IllegalStateException outside a transaction, or when nobody is acting (no open AuditContext)
     */
    public void record(String action, String targetType, Object targetId, Object before, Object after) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("audit " + action + " outside a transaction: it must commit with the change it records");
        }
        AuditContext.Current current = AuditContext.current().orElseThrow(() ->
                new IllegalStateException("audit " + action + " on " + targetType + " " + targetId + " with no actor (no AuditContext)"));
        events.insert(current, action, targetType, String.valueOf(targetId), json(before), json(after));
    }

    /** A page of events, oldest first, with ids above {@code afterId} (null: from the start). */
    public List<AuditEvent> events(AuditFilter filter, Long afterId, int limit) {
        return events.ascending(filter, afterId, limit);
    }

    /** A page of events, newest first, with ids below {@code beforeId} (null: from the newest). */
    public List<AuditEvent> latest(AuditFilter filter, Long beforeId, int limit) {
        return events.descending(filter, beforeId, limit);
    }

    private static String json(Object state) {
        return state == null ? null : JSON.writeValueAsString(state);
    }
}
