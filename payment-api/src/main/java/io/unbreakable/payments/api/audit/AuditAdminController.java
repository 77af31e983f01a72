package io.unbreakable.payments.api.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.audit.AuditActor;
import io.unbreakable.payments.audit.AuditEvent;
import io.unbreakable.payments.audit.AuditFilter;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.time.Seoul;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Admin: audit", description = "Finance: Authorization: Bearer <PAYMENT_ADMIN_TOKEN>")
class AuditAdminController {

    static final int PAGE_SIZE = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditTrail audit;

    AuditAdminController(AuditTrail audit) {
        this.audit = audit;
    }

    /**
     * Oldest first, {@value #PAGE_SIZE} a page; {@code nextAfter} continues it (null on the last page).
     * A follower that polls with {@code after} should re-read its last minute: an id is taken at insert,
     * so a row whose transaction commits late can appear behind one already read.
     */
    @GetMapping("/v1/admin/audit-events")
    @Operation(summary = "Who did what: every admin, console and portal change, sign-in failure and lock (keyset pages)")
    AuditPage events(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String target,
            @RequestParam(required = false) Long after) {
        AuditFilter filter = AuditFilter.of(since, actor, target);
        if (filter.actorType() != null && Arrays.stream(AuditActor.Type.values()).noneMatch(type -> type.name().equals(filter.actorType()))) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "actor is TYPE or TYPE:id with TYPE one of "
                    + Arrays.toString(AuditActor.Type.values()) + ", was " + actor);
        }
        List<AuditEvent> events = audit.events(filter, after, PAGE_SIZE + 1);
        List<AuditEventResponse> page = events.stream().limit(PAGE_SIZE).map(AuditEventResponse::of).toList();
        return new AuditPage(page, events.size() > PAGE_SIZE ? page.get(PAGE_SIZE - 1).id() : null);
    }

    record AuditPage(List<AuditEventResponse> events, Long nextAfter) {
    }

    record AuditEventResponse(long id, OffsetDateTime occurredAt, String actorType, String actorId, String action,
            String targetType, String targetId,
            // free-form JSON in the contract: the target's fields before and after, not Jackson's node type
            @Schema(implementation = Object.class, description = "the target before the change (JSON), null for a creation") JsonNode before,
            @Schema(implementation = Object.class, description = "the target after the change (JSON)") JsonNode after,
            String requestId, String clientIp) {

        static AuditEventResponse of(AuditEvent event) {
            return new AuditEventResponse(event.id(), Seoul.time(event.occurredAt()), event.actor().type().name(), event.actor().id(),
                    event.action(), event.targetType(), event.targetId(), json(event.before()), json(event.after()),
                    event.requestId(), event.clientIp());
        }

        private static JsonNode json(String text) {
            return text == null ? null : JSON.readTree(text);
        }
    }
}
