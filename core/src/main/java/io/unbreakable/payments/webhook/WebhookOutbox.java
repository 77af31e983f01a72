package io.unbreakable.payments.webhook;

import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.payment.PaymentReads;
import io.unbreakable.payments.payment.PaymentResponse;
import io.unbreakable.payments.payout.PayoutReads;
import io.unbreakable.payments.payout.PayoutResponse;
import io.unbreakable.payments.settlement.Settlement;
import io.unbreakable.payments.settlement.SettlementReads;
import io.unbreakable.payments.settlement.SettlementResponse;
import io.unbreakable.payments.subscription.Subscription;
import io.unbreakable.payments.subscription.SubscriptionReads;
import io.unbreakable.payments.subscription.SubscriptionResponse;
import io.unbreakable.payments.time.Seoul;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transactional outbox: writes a merchant's webhook events, and one delivery per subscribed endpoint,
 * in the caller's transaction, the one that changes the state the event reports. A commit is an event, a
 * rollback is none; the API's dispatcher delivers them. A merchant without an endpoint for the type costs
 * one indexed look-up and nothing is written.
 *
 * <p>{@code data} is the object exactly as the API's GET returns it, plus {@code version}: a number from one
 * sequence, taken after the state change locked the object's row, so a later state of the same object
 * always has a higher version (a receiver drops an older one: delivery order is not guaranteed).
 */
public class WebhookOutbox {

    private final DSLContext db;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final PaymentReads payments;
    private final SubscriptionReads subscriptions;
    private final SettlementReads settlements;
    private final PayoutReads payouts;

    public WebhookOutbox(DSLContext db, JdbcClient jdbc, JsonMapper json, DataCipher cipher) {
        this.db = db;
        this.jdbc = jdbc;
        this.json = json;
        this.payments = new PaymentReads(db);
        this.subscriptions = new SubscriptionReads(db);
        this.settlements = new SettlementReads(db);
        this.payouts = new PayoutReads(db, cipher);
    }

    /** A payment's new state, as the caller holds it (read in this transaction). */
    public void paymentChanged(Payment payment) {
        paymentsChanged(List.of(payment));
    }

    /** These payments' states as this transaction leaves them. */
    public void paymentIdsChanged(Collection<Long> paymentIds) {
        if (paymentIds.isEmpty()) {
            return;
        }
        Set<Long> merchants = subscribed(WebhookEventType.PAYMENT_STATUS_CHANGED,
                db.selectDistinct(PAYMENT.MERCHANT_ID).from(PAYMENT).where(PAYMENT.ID.in(paymentIds)).fetch(PAYMENT.MERCHANT_ID));
        if (!merchants.isEmpty()) {
            writePayments(payments.byIds(paymentIds), merchants);
        }
    }

    private void paymentsChanged(List<Payment> changed) {
        writePayments(changed, subscribed(WebhookEventType.PAYMENT_STATUS_CHANGED, changed.stream().map(Payment::merchantId).toList()));
    }

    private void writePayments(List<Payment> changed, Set<Long> merchants) {
        write(WebhookEventType.PAYMENT_STATUS_CHANGED, changed.stream().filter(p -> merchants.contains(p.merchantId()))
                .map(p -> new Change(p.merchantId(), p.paymentKey(), PaymentResponse.of(p))).toList());
    }

    /** These subscriptions' states as this transaction leaves them (charged, PAST_DUE, SUSPENDED, CANCELED). */
    public void subscriptionsChanged(Map<Long, Long> merchantBySubscriptionId) {
        Set<Long> merchants = subscribed(WebhookEventType.SUBSCRIPTION_STATUS_CHANGED, merchantBySubscriptionId.values());
        List<Long> ids = merchantBySubscriptionId.entrySet().stream().filter(e -> merchants.contains(e.getValue()))
                .map(Map.Entry::getKey).toList();
        List<Change> changes = new ArrayList<>();
        for (Subscription subscription : subscriptions.byIds(ids)) {
            changes.add(new Change(merchantBySubscriptionId.get(subscription.id()), Long.toString(subscription.id()),
                    SubscriptionResponse.of(subscription)));
        }
        write(WebhookEventType.SUBSCRIPTION_STATUS_CHANGED, changes);
    }

    /**
     * These payouts' settlements, once their reports are written in this transaction: the event's links
     * ({@code reportCsvUrl}, {@code reportHtmlUrl}: API paths, merchant Basic auth) answer from its commit on.
     */
    public void settlementsCompleted(Collection<Long> payoutIds) {
        if (payoutIds.isEmpty()) {
            return;
        }
        Set<Long> merchants = subscribed(WebhookEventType.SETTLEMENT_COMPLETED,
                db.selectDistinct(PAYOUT.MERCHANT_ID).from(PAYOUT).where(PAYOUT.ID.in(payoutIds)).fetch(PAYOUT.MERCHANT_ID));
        if (merchants.isEmpty()) {
            return;
        }
        List<Change> changes = new ArrayList<>();
        for (Settlement settlement : settlements.find(PAYOUT.ID.in(payoutIds).and(PAYOUT.MERCHANT_ID.in(merchants)), Integer.MAX_VALUE)) {
            // the settlement object plus where its payout report is read
            ObjectNode data = json.valueToTree(SettlementResponse.of(settlement));
            data.put("reportCsvUrl", "/v1/payouts/" + settlement.payoutId() + "/report.csv");
            data.put("reportHtmlUrl", "/v1/payouts/" + settlement.payoutId() + "/report.html");
            changes.add(new Change(settlement.merchantId(), Long.toString(settlement.settlementId()), data));
        }
        write(WebhookEventType.SETTLEMENT_COMPLETED, changes);
    }

    /**
     * These payouts' states as this transaction leaves them: each a move of the payout lifecycle, the one
     * place that calls this. {@code data} is the payout as the admin API's GET answers it, the account masked.
     */
    public void payoutsChanged(Map<Long, Long> merchantByPayoutId) {
        Set<Long> merchants = subscribed(WebhookEventType.PAYOUT_STATUS_CHANGED, merchantByPayoutId.values());
        if (merchants.isEmpty()) {
            return;
        }
        List<Long> ids = merchantByPayoutId.entrySet().stream().filter(e -> merchants.contains(e.getValue())).map(Map.Entry::getKey).toList();
        write(WebhookEventType.PAYOUT_STATUS_CHANGED, payouts.find(PAYOUT.ID.in(ids), ids.size()).stream()
                .map(payout -> new Change(payout.merchantId(), Long.toString(payout.payoutId()), PayoutResponse.of(payout))).toList());
    }

    /** The merchants among these with an enabled endpoint taking this type. */
    private Set<Long> subscribed(WebhookEventType type, Collection<Long> merchantIds) {
        if (merchantIds.isEmpty()) {
            return Set.of();
        }
        // asked on every payment outcome, so constant SQL through JDBC: in the confirm's profile, jOOQ rendering
        // this query per call was most of its cost (docs/benchmarks.md, 2026-12-08)
        return jdbc.sql("""
                select distinct merchant_id from webhook_endpoint
                 where merchant_id = any(?::bigint[]) and status = 'ENABLED' and ? = any(event_types)
                """)
                .params(merchantIds.toArray(Long[]::new), type.name())
                .query(Long.class).set();
    }

    private void write(WebhookEventType type, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("webhook events are written in the transaction of the change they report");
        }
        List<Long> versions = db.fetch("select nextval('webhook_event_version') from generate_series(1, ?)", changes.size())
                .getValues(0, Long.class);
        OffsetDateTime createdAt = Seoul.time(OffsetDateTime.now());
        int n = changes.size();
        String[] eventIds = new String[n];
        Long[] merchantIds = new Long[n];
        String[] objectIds = new String[n];
        Long[] versionValues = new Long[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Change change = changes.get(i);
            eventIds[i] = "evt_" + UUID.randomUUID().toString().replace("-", "");
            merchantIds[i] = change.merchantId();
            objectIds[i] = change.objectId();
            versionValues[i] = versions.get(i);
            ObjectNode data = json.valueToTree(change.data());
            data.put("version", versions.get(i));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("eventId", eventIds[i]);
            body.put("eventType", type.name());
            body.put("createdAt", createdAt);
            body.put("data", data);
            payloads[i] = json.writeValueAsString(body);
        }
        db.execute("""
                with event as (
                    insert into webhook_event (event_id, merchant_id, event_type, object_id, version, payload, created_at)
                    select e.event_id, e.merchant_id, ?, e.object_id, e.version, e.payload, ?::timestamptz
                      from unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[]) as e(event_id, merchant_id, object_id, version, payload)
                    returning id, merchant_id)
                insert into webhook_delivery (event_id, endpoint_id)
                select event.id, endpoint.id
                  from event join webhook_endpoint endpoint on endpoint.merchant_id = event.merchant_id
                 where endpoint.status = 'ENABLED' and ? = any(endpoint.event_types)
                """, type.name(), createdAt, eventIds, merchantIds, objectIds, versionValues, payloads, type.name());
    }

    private record Change(long merchantId, String objectId, Object data) {
    }
}
