package io.unbreakable.payments.api.subscription;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION_CHARGE;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import io.unbreakable.payments.pg.PgBillingKey;
import io.unbreakable.payments.subscription.BillingInterval;
import io.unbreakable.payments.subscription.Subscription;
import io.unbreakable.payments.subscription.SubscriptionReads;
import io.unbreakable.payments.subscription.SubscriptionStatus;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

@Repository
class SubscriptionRepository {

    private final DSLContext db;

    private final SubscriptionReads reads;

    SubscriptionRepository(DSLContext db) {
        this.db = db;
        this.reads = new SubscriptionReads(db);
    }

    /** The PG answers a repeated issue with the same key, so storing it twice is a no-op. */
    BillingKeyRow saveBillingKey(long merchantId, PgBillingKey key, String provider) {
        db.insertInto(BILLING_KEY)
                .set(BILLING_KEY.MERCHANT_ID, merchantId)
                .set(BILLING_KEY.CUSTOMER_KEY, key.customerKey())
                .set(BILLING_KEY.BILLING_KEY_, key.billingKey())
                .set(BILLING_KEY.PG_PROVIDER, provider)
                .set(BILLING_KEY.CARD_COMPANY, key.cardCompany())
                .set(BILLING_KEY.CARD_NUMBER_MASKED, key.cardNumber())
                .onConflictDoNothing()
                .execute();
        return findBillingKey(merchantId, key.billingKey()).orElseThrow();
    }

    Optional<BillingKeyRow> findBillingKey(long merchantId, String billingKey) {
        return db.select(BILLING_KEY.ID, BILLING_KEY.CUSTOMER_KEY, BILLING_KEY.BILLING_KEY_, BILLING_KEY.PG_PROVIDER,
                        BILLING_KEY.CARD_COMPANY, BILLING_KEY.CARD_NUMBER_MASKED, BILLING_KEY.CREATED_AT)
                .from(BILLING_KEY)
                .where(BILLING_KEY.MERCHANT_ID.eq(merchantId)).and(BILLING_KEY.BILLING_KEY_.eq(billingKey))
                .fetchOptional(r -> new BillingKeyRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7()));
    }

    long insert(long merchantId, BillingKeyRow billingKey, String planName, long amount, BillingInterval interval,
            LocalDate anchorDate) {
        return db.insertInto(SUBSCRIPTION)
                .set(SUBSCRIPTION.MERCHANT_ID, merchantId)
                .set(SUBSCRIPTION.CUSTOMER_KEY, billingKey.customerKey())
                .set(SUBSCRIPTION.BILLING_KEY_ID, billingKey.id())
                .set(SUBSCRIPTION.PLAN_NAME, planName)
                .set(SUBSCRIPTION.AMOUNT, amount)
                .set(SUBSCRIPTION.BILLING_INTERVAL, interval.name())
                .set(SUBSCRIPTION.ANCHOR_DATE, anchorDate)
                .set(SUBSCRIPTION.NEXT_BILLING_DATE, anchorDate)
                .set(SUBSCRIPTION.STATUS, SubscriptionStatus.ACTIVE.name())
                .returning(SUBSCRIPTION.ID)
                .fetchSingle(SUBSCRIPTION.ID);
    }

    Optional<Subscription> find(long merchantId, long id) {
        return reads.find(SUBSCRIPTION.MERCHANT_ID.eq(merchantId).and(SUBSCRIPTION.ID.eq(id)));
    }

    /** The status under a row lock: a cancel waits for a charge being claimed, never races it. */
    Optional<SubscriptionStatus> lockStatus(long merchantId, long id) {
        return db.select(SUBSCRIPTION.STATUS).from(SUBSCRIPTION)
                .where(SUBSCRIPTION.MERCHANT_ID.eq(merchantId)).and(SUBSCRIPTION.ID.eq(id))
                .forUpdate()
                .fetchOptional(r -> SubscriptionStatus.valueOf(r.value1()));
    }

    void cancelNow(long id) {
        db.update(SUBSCRIPTION)
                .set(SUBSCRIPTION.STATUS, SubscriptionStatus.CANCELED.name())
                .set(SUBSCRIPTION.CANCELED_AT, currentOffsetDateTime())
                .set(SUBSCRIPTION.NEXT_RETRY_AT, (OffsetDateTime) null)
                .set(SUBSCRIPTION.UPDATED_AT, currentOffsetDateTime())
                .where(SUBSCRIPTION.ID.eq(id))
                .execute();
    }

    void cancelAtPeriodEnd(long id) {
        db.update(SUBSCRIPTION)
                .set(SUBSCRIPTION.CANCEL_AT_PERIOD_END, true)
                .set(SUBSCRIPTION.UPDATED_AT, currentOffsetDateTime())
                .where(SUBSCRIPTION.ID.eq(id))
                .execute();
    }

    /** {@code pgProvider}: the PG that issued it, the only one that can charge it. */
    record BillingKeyRow(long id, String customerKey, String billingKey, String pgProvider, String cardCompany, String cardNumber,
            OffsetDateTime createdAt) {
    }
}
