package io.unbreakable.payments.audit;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static org.jooq.impl.DSL.noCondition;

import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;

class AuditRepository {

    private final DSLContext db;

    AuditRepository(DSLContext db) {
        this.db = db;
    }

    void insert(AuditContext.Current current, String action, String targetType, String targetId, String before, String after) {
        db.insertInto(AUDIT_EVENT)
                .set(AUDIT_EVENT.ACTOR_TYPE, current.actor().type().name())
                .set(AUDIT_EVENT.ACTOR_ID, current.actor().id())
                .set(AUDIT_EVENT.ACTION, action)
                .set(AUDIT_EVENT.TARGET_TYPE, targetType)
                .set(AUDIT_EVENT.TARGET_ID, targetId)
                .set(AUDIT_EVENT.BEFORE_STATE, before == null ? null : JSONB.valueOf(before))
                .set(AUDIT_EVENT.AFTER_STATE, after == null ? null : JSONB.valueOf(after))
                .set(AUDIT_EVENT.REQUEST_ID, current.requestId())
                .set(AUDIT_EVENT.CLIENT_IP, current.clientIp())
                .execute();
    }

    /** Oldest first after an id: each filter is a range of one of V70's indexes. */
    List<AuditEvent> ascending(AuditFilter filter, Long afterId, int limit) {
        return db.selectFrom(AUDIT_EVENT)
                .where(matching(filter)).and(afterId == null ? noCondition() : AUDIT_EVENT.ID.gt(afterId))
                .orderBy(AUDIT_EVENT.ID)
                .limit(limit)
                .fetch(AuditRepository::toEvent);
    }

    List<AuditEvent> descending(AuditFilter filter, Long beforeId, int limit) {
        return db.selectFrom(AUDIT_EVENT)
                .where(matching(filter)).and(beforeId == null ? noCondition() : AUDIT_EVENT.ID.lt(beforeId))
                .orderBy(AUDIT_EVENT.ID.desc())
                .limit(limit)
                .fetch(AuditRepository::toEvent);
    }

    private static Condition matching(AuditFilter filter) {
        Condition condition = noCondition();
        if (filter.since() != null) {
            condition = condition.and(AUDIT_EVENT.OCCURRED_AT.ge(filter.since()));
        }
        if (filter.actorType() != null) {
            condition = condition.and(AUDIT_EVENT.ACTOR_TYPE.eq(filter.actorType()));
        }
        if (filter.actorId() != null) {
            condition = condition.and(AUDIT_EVENT.ACTOR_ID.eq(filter.actorId()));
        }
        if (filter.targetType() != null) {
            condition = condition.and(AUDIT_EVENT.TARGET_TYPE.eq(filter.targetType()));
        }
        if (filter.targetId() != null) {
            condition = condition.and(AUDIT_EVENT.TARGET_ID.eq(filter.targetId()));
        }
        return condition;
    }

    private static AuditEvent toEvent(Record r) {
        JSONB before = r.get(AUDIT_EVENT.BEFORE_STATE);
        JSONB after = r.get(AUDIT_EVENT.AFTER_STATE);
        return new AuditEvent(r.get(AUDIT_EVENT.ID), r.get(AUDIT_EVENT.OCCURRED_AT),
                new AuditActor(AuditActor.Type.valueOf(r.get(AUDIT_EVENT.ACTOR_TYPE)), r.get(AUDIT_EVENT.ACTOR_ID)),
                r.get(AUDIT_EVENT.ACTION), r.get(AUDIT_EVENT.TARGET_TYPE), r.get(AUDIT_EVENT.TARGET_ID),
                before == null ? null : before.data(), after == null ? null : after.data(),
                r.get(AUDIT_EVENT.REQUEST_ID), r.get(AUDIT_EVENT.CLIENT_IP));
    }
}
