package io.unbreakable.payments.subscription;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION_CHARGE;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.select;

import io.unbreakable.payments.db.DatabaseTime;
import io.unbreakable.payments.pg.PgMessages;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;

/** Subscription charging's reads and writes; every state change is guarded by the state it expects. */
class SubscriptionChargeRepository {

    static final String IN_PROGRESS = ChargeStatus.IN_PROGRESS.name();
    static final String DONE = ChargeStatus.DONE.name();
    static final String FAILED = ChargeStatus.FAILED.name();
    static final String UNKNOWN = ChargeStatus.UNKNOWN.name();

    private static final Condition CHARGE_OUTCOME_OPEN = SUBSCRIPTION_CHARGE.STATUS.in(IN_PROGRESS, UNKNOWN);

    private final DSLContext db;

    SubscriptionChargeRepository(DSLContext db) {
        this.db = db;
    }

    /** ACTIVE with the cycle's due date reached, or PAST_DUE with the retry time reached. */
    private static Condition due(LocalDate runDate, OffsetDateTime runAt) {
        return SUBSCRIPTION.STATUS.eq(SubscriptionStatus.ACTIVE.name()).and(SUBSCRIPTION.NEXT_BILLING_DATE.le(runDate))
                .or(SUBSCRIPTION.STATUS.eq(SubscriptionStatus.PAST_DUE.name()).and(SUBSCRIPTION.NEXT_RETRY_AT.le(runAt)));
    }

    /** Due, or with an attempt whose outcome is open: that one is resolved even if the subscription was cancelled since. */
    private static Condition dueOrOpen(LocalDate runDate, OffsetDateTime runAt) {
        return due(runDate, runAt).or(SUBSCRIPTION.ID.in(
                select(SUBSCRIPTION_CHARGE.SUBSCRIPTION_ID).from(SUBSCRIPTION_CHARGE).where(CHARGE_OUTCOME_OPEN)));
    }

    List<Long> dueAfter(long lastId, int limit, LocalDate runDate, OffsetDateTime runAt) {
        return db.select(SUBSCRIPTION.ID).from(SUBSCRIPTION)
                .where(SUBSCRIPTION.ID.gt(lastId)).and(dueOrOpen(runDate, runAt))
                .orderBy(SUBSCRIPTION.ID).limit(limit)
                .fetch(SUBSCRIPTION.ID);
    }

    List<Long> orderByMerchant(List<Long> ids) {
        return db.select(SUBSCRIPTION.ID).from(SUBSCRIPTION).where(SUBSCRIPTION.ID.in(ids))
                .orderBy(SUBSCRIPTION.MERCHANT_ID, SUBSCRIPTION.ID)
                .fetch(SUBSCRIPTION.ID);
    }

    int countDue(LocalDate runDate, OffsetDateTime runAt) {
        return db.fetchCount(SUBSCRIPTION, dueOrOpen(runDate, runAt));
    }

    /**
     * Locks the given subscriptions that are still due or have an attempt whose outcome is open, with
     * their billing key and that attempt. SKIP LOCKED: one held by another process is that process's now.
     */
    List<DueSubscription> lockDue(Collection<Long> ids, LocalDate runDate, OffsetDateTime runAt, Duration staleAfter) {
        var charge = SUBSCRIPTION_CHARGE.as("open_charge");
        return db.select(SUBSCRIPTION.ID, SUBSCRIPTION.MERCHANT_ID, SUBSCRIPTION.CUSTOMER_KEY, BILLING_KEY.BILLING_KEY_,
                        BILLING_KEY.PG_PROVIDER, SUBSCRIPTION.PLAN_NAME, SUBSCRIPTION.AMOUNT, SUBSCRIPTION.BILLING_INTERVAL,
                        SUBSCRIPTION.ANCHOR_DATE, SUBSCRIPTION.CYCLE_NO, SUBSCRIPTION.NEXT_BILLING_DATE, SUBSCRIPTION.RETRY_COUNT,
                        SUBSCRIPTION.CANCEL_AT_PERIOD_END, charge.ID, charge.CYCLE_NO, charge.ATTEMPT, charge.DUE_DATE,
                        charge.ORDER_ID, charge.IDEMPOTENCY_KEY, charge.AMOUNT,
                        charge.STATUS.eq(IN_PROGRESS).and(charge.UPDATED_AT.gt(DatabaseTime.nowPlus(staleAfter.negated()))),
                        field(due(runDate, runAt)))
                .from(SUBSCRIPTION)
                .join(BILLING_KEY).on(BILLING_KEY.ID.eq(SUBSCRIPTION.BILLING_KEY_ID))
                .leftJoin(charge).on(charge.SUBSCRIPTION_ID.eq(SUBSCRIPTION.ID)).and(charge.STATUS.in(IN_PROGRESS, UNKNOWN))
                .where(SUBSCRIPTION.ID.in(ids)).and(due(runDate, runAt).or(charge.ID.isNotNull()))
                .orderBy(SUBSCRIPTION.ID)
                .forUpdate().of(SUBSCRIPTION).skipLocked()
                .fetch(r -> new DueSubscription(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), BillingInterval.valueOf(r.value8()), r.value9(), r.value10(), r.value11(), r.value12(),
                        r.value13(), Boolean.TRUE.equals(r.value22()), r.value14() == null ? null
                                : new OpenCharge(r.value14(), r.value15(), r.value16(), r.value17(), r.value18(), r.value19(),
                                        r.value20(), Boolean.TRUE.equals(r.value21()))));
    }

    /** New attempts, IN_PROGRESS; the unique (subscription, cycle, attempt) key refuses a second claim. */
    Map<String, Long> insertAttempts(List<SubscriptionCharger.ChargeAttempt> attempts) {
        if (attempts.isEmpty()) {
            return Map.of();
        }
        var insert = db.insertInto(SUBSCRIPTION_CHARGE, SUBSCRIPTION_CHARGE.SUBSCRIPTION_ID, SUBSCRIPTION_CHARGE.CYCLE_NO,
                SUBSCRIPTION_CHARGE.DUE_DATE, SUBSCRIPTION_CHARGE.ATTEMPT, SUBSCRIPTION_CHARGE.STATUS, SUBSCRIPTION_CHARGE.ORDER_ID,
                SUBSCRIPTION_CHARGE.IDEMPOTENCY_KEY, SUBSCRIPTION_CHARGE.AMOUNT);
        for (SubscriptionCharger.ChargeAttempt attempt : attempts) {
            insert = insert.values(attempt.subscription().id(), attempt.cycle(), attempt.dueDate(), attempt.attempt(), IN_PROGRESS,
                    attempt.orderId(), attempt.idempotencyKey(), attempt.amount());
        }
        Map<String, Long> ids = new HashMap<>();
        insert.onConflictDoNothing()
                .returningResult(SUBSCRIPTION_CHARGE.IDEMPOTENCY_KEY, SUBSCRIPTION_CHARGE.ID)
                .forEach(r -> ids.put(r.value1(), r.value2()));
        return ids;
    }

    /** Takes over attempts whose outcome is open, so a concurrent run sees them as in flight. */
    void leaseOpen(Collection<Long> chargeIds) {
        if (!chargeIds.isEmpty()) {
            db.update(SUBSCRIPTION_CHARGE)
                    .set(SUBSCRIPTION_CHARGE.STATUS, IN_PROGRESS)
                    .set(SUBSCRIPTION_CHARGE.UPDATED_AT, currentOffsetDateTime())
                    .where(SUBSCRIPTION_CHARGE.ID.in(chargeIds)).and(CHARGE_OUTCOME_OPEN)
                    .execute();
        }
    }

    void cancelAtPeriodEnd(Collection<Long> subscriptionIds) {
        if (!subscriptionIds.isEmpty()) {
            db.update(SUBSCRIPTION)
                    .set(SUBSCRIPTION.STATUS, SubscriptionStatus.CANCELED.name())
                    .set(SUBSCRIPTION.CANCELED_AT, currentOffsetDateTime())
                    .set(SUBSCRIPTION.UPDATED_AT, currentOffsetDateTime())
                    .where(SUBSCRIPTION.ID.in(subscriptionIds)).and(SUBSCRIPTION.CANCEL_AT_PERIOD_END.isTrue())
                    .execute();
        }
    }

    /** Marks attempts DONE; only the ones still open come back, so each approval is booked once. */
    Set<Long> markDone(Collection<Long> chargeIds) {
        if (chargeIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(db.update(SUBSCRIPTION_CHARGE)
                .set(SUBSCRIPTION_CHARGE.STATUS, DONE)
                .set(SUBSCRIPTION_CHARGE.ERROR_CODE, (String) null)
                .set(SUBSCRIPTION_CHARGE.ERROR_MESSAGE, (String) null)
                .set(SUBSCRIPTION_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(SUBSCRIPTION_CHARGE.ID.in(chargeIds)).and(CHARGE_OUTCOME_OPEN)
                .returning(SUBSCRIPTION_CHARGE.ID)
                .fetch(SUBSCRIPTION_CHARGE.ID));
    }

    /**
     * Links approved charges to the payments booked for them and moves each subscription to its next
     * cycle, in one statement each for the whole batch.
     */
    void linkPayments(List<ApprovedCharge> charges, Map<String, Long> paymentIds) {
        if (charges.isEmpty()) {
            return;
        }
        Long[] chargeIds = new Long[charges.size()];
        Long[] linkedPaymentIds = new Long[charges.size()];
        Long[] subscriptionIds = new Long[charges.size()];
        Integer[] cycles = new Integer[charges.size()];
        String[] nextDueDates = new String[charges.size()];
        for (int i = 0; i < charges.size(); i++) {
            ApprovedCharge charge = charges.get(i);
            long paymentId = paymentIds.get(charge.paymentKey());
            chargeIds[i] = charge.chargeId();
            linkedPaymentIds[i] = paymentId;
            subscriptionIds[i] = charge.subscriptionId();
            cycles[i] = charge.cycle();
            nextDueDates[i] = charge.nextDueDate().toString();
        }
        // one statement each for the whole batch (a row-by-row batch cost as much as everything else together)
        db.execute("""
                update subscription_charge c set payment_id = v.payment_id
                  from unnest(?::bigint[], ?::bigint[]) as v(charge_id, payment_id)
                 where c.id = v.charge_id""", chargeIds, linkedPaymentIds);
        // the cycle is paid: on to the next one (a subscription cancelled meanwhile stays cancelled)
        db.execute("""
                update subscription s
                   set cycle_no = v.cycle, next_billing_date = v.next_due,
                       status = case when s.status = 'CANCELED' then s.status else 'ACTIVE' end,
                       retry_count = 0, next_retry_at = null, last_error_code = null, last_error_message = null,
                       updated_at = now()
                  from unnest(?::bigint[], ?::int[], ?::date[]) as v(id, cycle, next_due)
                 where s.id = v.id and s.cycle_no = v.cycle - 1""", subscriptionIds, cycles, nextDueDates);
    }

    /**
     * A declined attempt: FAILED, and the subscription PAST_DUE until {@code nextRetryAt}, or SUSPENDED
     * when it was the last attempt ({@code nextRetryAt} null). False when the attempt was no longer open.
     */
    boolean markDeclined(long chargeId, long subscriptionId, int attempt, OffsetDateTime nextRetryAt, String code, String message) {
        boolean changed = db.update(SUBSCRIPTION_CHARGE)
                .set(SUBSCRIPTION_CHARGE.STATUS, FAILED)
                .set(SUBSCRIPTION_CHARGE.ERROR_CODE, code)
                .set(SUBSCRIPTION_CHARGE.ERROR_MESSAGE, PgMessages.storable(message))
                .set(SUBSCRIPTION_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(SUBSCRIPTION_CHARGE.ID.eq(chargeId)).and(CHARGE_OUTCOME_OPEN)
                .execute() == 1;
        if (changed) {
            db.update(SUBSCRIPTION)
                    .set(SUBSCRIPTION.STATUS, (nextRetryAt == null ? SubscriptionStatus.SUSPENDED : SubscriptionStatus.PAST_DUE).name())
                    .set(SUBSCRIPTION.RETRY_COUNT, attempt - 1 + (nextRetryAt == null ? 0 : 1))
                    .set(SUBSCRIPTION.NEXT_RETRY_AT, nextRetryAt)
                    .set(SUBSCRIPTION.LAST_ERROR_CODE, code)
                    .set(SUBSCRIPTION.LAST_ERROR_MESSAGE, PgMessages.storable(message))
                    .set(SUBSCRIPTION.UPDATED_AT, currentOffsetDateTime())
                    .where(SUBSCRIPTION.ID.eq(subscriptionId)).and(SUBSCRIPTION.STATUS.ne(SubscriptionStatus.CANCELED.name()))
                    .execute();
        }
        return changed;
    }

    /** An attempt the PG never received (refused on our side before sending): nothing to resolve, so no row. */
    void deleteUnsent(long chargeId) {
        db.deleteFrom(SUBSCRIPTION_CHARGE)
                .where(SUBSCRIPTION_CHARGE.ID.eq(chargeId)).and(SUBSCRIPTION_CHARGE.STATUS.eq(IN_PROGRESS))
                .execute();
    }

    /** The PG's answer is lost: the attempt stays open, to be resolved by inquiry on the next run. */
    void markUnknown(long chargeId, String reason) {
        db.update(SUBSCRIPTION_CHARGE)
                .set(SUBSCRIPTION_CHARGE.STATUS, UNKNOWN)
                .set(SUBSCRIPTION_CHARGE.ERROR_CODE, "PG_OUTCOME_UNKNOWN")
                .set(SUBSCRIPTION_CHARGE.ERROR_MESSAGE, PgMessages.storable(reason))
                .set(SUBSCRIPTION_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(SUBSCRIPTION_CHARGE.ID.eq(chargeId)).and(CHARGE_OUTCOME_OPEN)
                .execute();
    }

    record DueSubscription(long id, long merchantId, String customerKey, String billingKey, String pgProvider, String planName,
            long amount, BillingInterval interval, LocalDate anchorDate, int cycleNo, LocalDate nextBillingDate, int retryCount,
            boolean cancelAtPeriodEnd, boolean due, OpenCharge openCharge) {
    }

    /** An attempt whose outcome is open; {@code fresh} = IN_PROGRESS and touched within staleAfter. */
    record OpenCharge(long id, int cycle, int attempt, LocalDate dueDate, String orderId, String idempotencyKey, long amount,
            boolean fresh) {
    }

    /** An approved attempt, booked as the payment {@code paymentKey}: its cycle is paid, the next is due {@code nextDueDate}. */
    record ApprovedCharge(long chargeId, long subscriptionId, int cycle, LocalDate nextDueDate, String paymentKey) {
    }
}
