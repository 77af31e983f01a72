package io.unbreakable.payments.audit;

import java.time.OffsetDateTime;

/** One recorded change; {@code before}/{@code after} are JSON text (null when there was nothing before or after). */
public record AuditEvent(long id, OffsetDateTime occurredAt, AuditActor actor, String action, String targetType,
        String targetId, String before, String after, String requestId, String clientIp) {
}
