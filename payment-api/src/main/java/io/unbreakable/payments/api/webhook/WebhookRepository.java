package io.unbreakable.payments.api.webhook;

import static io.unbreakable.payments.db.DatabaseTime.nowPlus;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY_ATTEMPT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

@Repository
public class WebhookRepository {

    private static final Field<List<Attempt>> ATTEMPTS = multiset(
            select(WEBHOOK_DELIVERY_ATTEMPT.ATTEMPTED_AT, WEBHOOK_DELIVERY_ATTEMPT.HTTP_STATUS, WEBHOOK_DELIVERY_ATTEMPT.LATENCY_MS,
                    WEBHOOK_DELIVERY_ATTEMPT.ERROR)
                    .from(WEBHOOK_DELIVERY_ATTEMPT).where(WEBHOOK_DELIVERY_ATTEMPT.DELIVERY_ID.eq(WEBHOOK_DELIVERY.ID))
                    .orderBy(WEBHOOK_DELIVERY_ATTEMPT.ID))
            .convertFrom(result -> result.map(r -> new Attempt(r.value1(), r.value2(), r.value3(), r.value4())));

    private final DSLContext db;

    WebhookRepository(DSLContext db) {
        this.db = db;
    }

    long insertEndpoint(long merchantId, String url, List<String> eventTypes, String encryptedSecret) {
        return db.insertInto(WEBHOOK_ENDPOINT)
                .set(WEBHOOK_ENDPOINT.MERCHANT_ID, merchantId)
                .set(WEBHOOK_ENDPOINT.URL, url)
                .set(WEBHOOK_ENDPOINT.EVENT_TYPES, eventTypes.toArray(String[]::new))
                .set(WEBHOOK_ENDPOINT.SECRET, encryptedSecret)
                .returning(WEBHOOK_ENDPOINT.ID)
                .fetchSingle(WEBHOOK_ENDPOINT.ID);
    }

    /** The merchant's endpoints that are not deleted, under a lock on the merchant's endpoint rows (the per-merchant limit). */
    int countLive(long merchantId) {
        return db.fetchCount(db.selectFrom(WEBHOOK_ENDPOINT).where(WEBHOOK_ENDPOINT.MERCHANT_ID.eq(merchantId))
                .and(WEBHOOK_ENDPOINT.STATUS.ne("DELETED")));
    }

    List<Endpoint> endpoints(long merchantId) {
        return db.selectFrom(WEBHOOK_ENDPOINT)
                .where(WEBHOOK_ENDPOINT.MERCHANT_ID.eq(merchantId)).and(WEBHOOK_ENDPOINT.STATUS.ne("DELETED"))
                .orderBy(WEBHOOK_ENDPOINT.ID)
                .fetch(WebhookRepository::toEndpoint);
    }

    /** Every merchant's endpoints that are not deleted (the console), newest first. */
    List<Endpoint> allEndpoints(int limit) {
        return db.selectFrom(WEBHOOK_ENDPOINT).where(WEBHOOK_ENDPOINT.STATUS.ne("DELETED"))
                .orderBy(WEBHOOK_ENDPOINT.ID.desc()).limit(limit)
                .fetch(WebhookRepository::toEndpoint);
    }

    /** One endpoint that is not deleted; with a merchant, only if it is that merchant's; locked when {@code forUpdate}. */
    Optional<Endpoint> endpoint(Long merchantId, long endpointId, boolean forUpdate) {
        Condition condition = WEBHOOK_ENDPOINT.ID.eq(endpointId).and(WEBHOOK_ENDPOINT.STATUS.ne("DELETED"));
        if (merchantId != null) {
            condition = condition.and(WEBHOOK_ENDPOINT.MERCHANT_ID.eq(merchantId));
        }
        var select = db.selectFrom(WEBHOOK_ENDPOINT).where(condition);
        return (forUpdate ? select.forUpdate() : select).fetchOptional(WebhookRepository::toEndpoint);
    }

    void markDeleted(long endpointId) {
        db.update(WEBHOOK_ENDPOINT)
                .set(WEBHOOK_ENDPOINT.STATUS, "DELETED")
                .set(WEBHOOK_ENDPOINT.UPDATED_AT, currentOffsetDateTime())
                .where(WEBHOOK_ENDPOINT.ID.eq(endpointId))
                .execute();
        // nothing more is sent to it; what was sent stays readable
        failPending(endpointId, "endpoint deleted");
    }

    void rotateSecret(long endpointId, String encryptedSecret, String encryptedPrevious, Duration previousValidity) {
        db.update(WEBHOOK_ENDPOINT)
                .set(WEBHOOK_ENDPOINT.SECRET, encryptedSecret)
                .set(WEBHOOK_ENDPOINT.PREVIOUS_SECRET, encryptedPrevious)
                .set(WEBHOOK_ENDPOINT.PREVIOUS_SECRET_EXPIRES_AT, nowPlus(previousValidity))
                .set(WEBHOOK_ENDPOINT.UPDATED_AT, currentOffsetDateTime())
                .where(WEBHOOK_ENDPOINT.ID.eq(endpointId))
                .execute();
    }

    /** An endpoint's deliveries, newest first, optionally of one status, before a delivery id (keyset pages). */
    List<Delivery> deliveries(long endpointId, String status, Long beforeId, int limit) {
        Condition condition = WEBHOOK_DELIVERY.ENDPOINT_ID.eq(endpointId);
        if (status != null) {
            condition = condition.and(WEBHOOK_DELIVERY.STATUS.eq(status));
        }
        if (beforeId != null) {
            condition = condition.and(WEBHOOK_DELIVERY.ID.lt(beforeId));
        }
        return db.select(WEBHOOK_DELIVERY.ID, WEBHOOK_DELIVERY.ENDPOINT_ID, WEBHOOK_EVENT.EVENT_ID, WEBHOOK_EVENT.EVENT_TYPE,
                        WEBHOOK_EVENT.OBJECT_ID, WEBHOOK_DELIVERY.STATUS, WEBHOOK_DELIVERY.ATTEMPTS, WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT,
                        WEBHOOK_DELIVERY.LAST_HTTP_STATUS, WEBHOOK_DELIVERY.LAST_ERROR, WEBHOOK_DELIVERY.DELIVERED_AT,
                        WEBHOOK_DELIVERY.CREATED_AT, ATTEMPTS)
                .from(WEBHOOK_DELIVERY).join(WEBHOOK_EVENT).on(WEBHOOK_EVENT.ID.eq(WEBHOOK_DELIVERY.EVENT_ID))
                .where(condition)
                .orderBy(WEBHOOK_DELIVERY.ID.desc())
                .limit(limit)
                .fetch(r -> new Delivery(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(),
                        r.value8(), r.value9(), r.value10(), r.value11(), r.value12(), r.value13()));
    }

    /** A delivery's endpoint and merchant, to check who may redeliver it. */
    Optional<DeliveryOwner> deliveryOwner(long deliveryId) {
        return db.select(WEBHOOK_DELIVERY.ID, WEBHOOK_DELIVERY.ENDPOINT_ID, WEBHOOK_ENDPOINT.MERCHANT_ID, WEBHOOK_DELIVERY.STATUS,
                        WEBHOOK_ENDPOINT.STATUS)
                .from(WEBHOOK_DELIVERY).join(WEBHOOK_ENDPOINT).on(WEBHOOK_ENDPOINT.ID.eq(WEBHOOK_DELIVERY.ENDPOINT_ID))
                .where(WEBHOOK_DELIVERY.ID.eq(deliveryId))
                .forUpdate().of(WEBHOOK_DELIVERY)
                .fetchOptional(r -> new DeliveryOwner(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    /** Due again now, with a fresh schedule: a FAILED delivery is retried as if new, a DELIVERED one is sent once more. */
    void redeliver(long deliveryId) {
        db.update(WEBHOOK_DELIVERY)
                .set(WEBHOOK_DELIVERY.STATUS, "PENDING")
                .set(WEBHOOK_DELIVERY.ATTEMPTS, 0)
                .set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, currentOffsetDateTime())
                .set(WEBHOOK_DELIVERY.UPDATED_AT, currentOffsetDateTime())
                .where(WEBHOOK_DELIVERY.ID.eq(deliveryId))
                .execute();
    }

    /**
     * Hands out up to {@code limit} due deliveries of enabled endpoints, each leased (moved {@code lease}
     * ahead) so other dispatchers skip it (SKIP LOCKED) and, if this one dies before recording the attempt,
     * it is due again after the lease: sent twice then, never lost. {@code skipEndpoints}: endpoints this
     * instance has enough of already.
     */
    List<Due> claimDue(int limit, Duration lease, Collection<Long> skipEndpoints) {
        return db.resultQuery("""
                update webhook_delivery d
                   set next_attempt_at = now() + ? * interval '1 millisecond'
                  from webhook_event e, webhook_endpoint p
                 where d.id in (select id from webhook_delivery
                                 where status = 'PENDING' and next_attempt_at <= now() and endpoint_id <> all(?::bigint[])
                                 order by next_attempt_at
                                 limit ?
                                 for update skip locked)
                   and e.id = d.event_id and p.id = d.endpoint_id
                returning d.id, d.endpoint_id, d.attempts, e.event_id, e.payload, e.created_at, p.url, p.status, p.secret,
                          case when p.previous_secret_expires_at > now() then p.previous_secret end
                """, lease.toMillis(), skipEndpoints.toArray(Long[]::new), limit)
                .fetch(r -> new Due(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Integer.class), r.get(3, String.class),
                        r.get(4, String.class), r.get(5, OffsetDateTime.class), r.get(6, String.class), r.get(7, String.class),
                        r.get(8, String.class), r.get(9, String.class)));
    }

    /** Puts claimed deliveries back without an attempt (their endpoint is busy here): due again after {@code delay}. */
    void release(Collection<Long> deliveryIds, Duration delay) {
        db.update(WEBHOOK_DELIVERY)
                .set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, nowPlus(delay))
                .where(WEBHOOK_DELIVERY.ID.in(deliveryIds)).and(WEBHOOK_DELIVERY.STATUS.eq("PENDING"))
                .execute();
    }

    void insertAttempt(long deliveryId, Integer httpStatus, int latencyMs, String error) {
        db.insertInto(WEBHOOK_DELIVERY_ATTEMPT)
                .set(WEBHOOK_DELIVERY_ATTEMPT.DELIVERY_ID, deliveryId)
                .set(WEBHOOK_DELIVERY_ATTEMPT.HTTP_STATUS, httpStatus)
                .set(WEBHOOK_DELIVERY_ATTEMPT.LATENCY_MS, latencyMs)
                .set(WEBHOOK_DELIVERY_ATTEMPT.ERROR, error)
                .execute();
    }

    /**
     * Delivered, a batch in one statement: each its attempt row, its delivery DELIVERED (unless no longer
     * PENDING: deleted meanwhile), its endpoint healthy again (a success, a redelivery to a disabled endpoint
     * say, shows the receiver is back). Plain SQL over arrays: one statement whatever the batch's size.
     */
    void recordDelivered(List<Delivered> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        db.execute("""
                with done (delivery_id, endpoint_id, http_status, latency_ms) as (
                         select * from unnest(?::bigint[], ?::bigint[], ?::int[], ?::int[])),
                     attempt as (
                         insert into webhook_delivery_attempt (delivery_id, http_status, latency_ms)
                         select delivery_id, http_status, latency_ms from done),
                     healthy as (
                         update webhook_endpoint p set failing_since = null, status = 'ENABLED', disabled_at = null
                          where p.id in (select endpoint_id from done) and (p.failing_since is not null or p.status = 'DISABLED'))
                update webhook_delivery d
                   set status = 'DELIVERED', attempts = d.attempts + 1, last_http_status = done.http_status, last_error = null,
                       delivered_at = now(), updated_at = now()
                  from done
                 where d.id = done.delivery_id and d.status = 'PENDING'
                """,
                delivered.stream().map(Delivered::deliveryId).toArray(Long[]::new),
                delivered.stream().map(Delivered::endpointId).toArray(Long[]::new),
                delivered.stream().map(Delivered::httpStatus).toArray(Integer[]::new),
                delivered.stream().map(Delivered::latencyMs).toArray(Integer[]::new));
    }

    /** A failed attempt: due again after {@code retryAfter}, or FAILED when that is null (the schedule is spent). */
    void markFailed(long deliveryId, Integer httpStatus, String error, Duration retryAfter) {
        db.update(WEBHOOK_DELIVERY)
                .set(WEBHOOK_DELIVERY.STATUS, retryAfter == null ? "FAILED" : "PENDING")
                .set(WEBHOOK_DELIVERY.ATTEMPTS, WEBHOOK_DELIVERY.ATTEMPTS.plus(1))
                .set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, retryAfter == null ? currentOffsetDateTime() : nowPlus(retryAfter))
                .set(WEBHOOK_DELIVERY.LAST_HTTP_STATUS, httpStatus)
                .set(WEBHOOK_DELIVERY.LAST_ERROR, error)
                .set(WEBHOOK_DELIVERY.UPDATED_AT, currentOffsetDateTime())
                .where(WEBHOOK_DELIVERY.ID.eq(deliveryId)).and(WEBHOOK_DELIVERY.STATUS.eq("PENDING"))
                .execute();
    }

    /**
     * Notes a failure on the endpoint; once it has failed for {@code disableAfter} without a success it is
     * DISABLED and its pending deliveries FAILED (redeliverable: one that succeeds enables it again). True
     * when this disabled it.
     */
    boolean endpointFailed(long endpointId, Duration disableAfter) {
        db.update(WEBHOOK_ENDPOINT)
                .set(WEBHOOK_ENDPOINT.FAILING_SINCE, currentOffsetDateTime())
                .where(WEBHOOK_ENDPOINT.ID.eq(endpointId)).and(WEBHOOK_ENDPOINT.FAILING_SINCE.isNull())
                .execute();
        boolean disabled = db.update(WEBHOOK_ENDPOINT)
                .set(WEBHOOK_ENDPOINT.STATUS, "DISABLED")
                .set(WEBHOOK_ENDPOINT.DISABLED_AT, currentOffsetDateTime())
                .set(WEBHOOK_ENDPOINT.UPDATED_AT, currentOffsetDateTime())
                .where(WEBHOOK_ENDPOINT.ID.eq(endpointId)).and(WEBHOOK_ENDPOINT.STATUS.eq("ENABLED"))
                .and(WEBHOOK_ENDPOINT.FAILING_SINCE.le(nowPlus(disableAfter.negated())))
                .execute() == 1;
        if (disabled) {
            failPending(endpointId, "endpoint disabled after failing for " + disableAfter);
        }
        return disabled;
    }

    private void failPending(long endpointId, String reason) {
        db.update(WEBHOOK_DELIVERY)
                .set(WEBHOOK_DELIVERY.STATUS, "FAILED")
                .set(WEBHOOK_DELIVERY.LAST_ERROR, reason)
                .set(WEBHOOK_DELIVERY.UPDATED_AT, currentOffsetDateTime())
                .where(WEBHOOK_DELIVERY.ENDPOINT_ID.eq(endpointId)).and(WEBHOOK_DELIVERY.STATUS.eq("PENDING"))
                .execute();
    }

    private static Endpoint toEndpoint(io.unbreakable.payments.db.jooq.tables.records.WebhookEndpointRecord r) {
        return new Endpoint(r.getId(), r.getMerchantId(), r.getUrl(), List.of(r.getEventTypes()), r.getSecret(), r.getStatus(),
                r.getFailingSince(), r.getDisabledAt(), r.getPreviousSecretExpiresAt(), r.getCreatedAt());
    }

    /** {@code secret}: ciphertext. */
    public record Endpoint(long id, long merchantId, String url, List<String> eventTypes, String secret, String status,
            OffsetDateTime failingSince, OffsetDateTime disabledAt, OffsetDateTime previousSecretExpiresAt, OffsetDateTime createdAt) {
    }

    public record Attempt(OffsetDateTime attemptedAt, Integer httpStatus, int latencyMs, String error) {
    }

    /** A delivery answered 2xx, to be recorded. */
    record Delivered(long deliveryId, long endpointId, int httpStatus, int latencyMs) {
    }

    public record Delivery(long id, long endpointId, String eventId, String eventType, String objectId, String status, int attemptCount,
            OffsetDateTime nextAttemptAt, Integer lastHttpStatus, String lastError, OffsetDateTime deliveredAt,
            OffsetDateTime createdAt, List<Attempt> attempts) {
    }

    record DeliveryOwner(long deliveryId, long endpointId, long merchantId, String status, String endpointStatus) {
    }

    /** A claimed delivery: what to send where; secrets are ciphertext. */
    record Due(long deliveryId, long endpointId, int attempts, String eventId, String payload, OffsetDateTime eventCreatedAt,
            String url, String endpointStatus, String secret, String previousSecret) {
    }
}
