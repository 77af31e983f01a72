package io.unbreakable.payments.subscription;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION_CHARGE;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;

/**
 * Reads subscriptions with their charge attempts: the one query behind the API's subscription object
 * ({@link SubscriptionResponse}), used by its endpoints and by the webhook outbox of both apps.
 */
public final class SubscriptionReads {

    private static final Field<List<Subscription.Charge>> CHARGES = multiset(
            select(SUBSCRIPTION_CHARGE.CYCLE_NO, SUBSCRIPTION_CHARGE.ATTEMPT, SUBSCRIPTION_CHARGE.DUE_DATE,
                    SUBSCRIPTION_CHARGE.STATUS, SUBSCRIPTION_CHARGE.AMOUNT, SUBSCRIPTION_CHARGE.ORDER_ID, PAYMENT.PAYMENT_KEY,
                    SUBSCRIPTION_CHARGE.ERROR_CODE, SUBSCRIPTION_CHARGE.ERROR_MESSAGE, SUBSCRIPTION_CHARGE.UPDATED_AT)
                    .from(SUBSCRIPTION_CHARGE).leftJoin(PAYMENT).on(PAYMENT.ID.eq(SUBSCRIPTION_CHARGE.PAYMENT_ID))
                    .where(SUBSCRIPTION_CHARGE.SUBSCRIPTION_ID.eq(SUBSCRIPTION.ID))
                    .orderBy(SUBSCRIPTION_CHARGE.CYCLE_NO, SUBSCRIPTION_CHARGE.ATTEMPT))
            .convertFrom(result -> result.map(r -> new Subscription.Charge(r.value1(), r.value2(), r.value3(), r.value4(),
                    r.value5(), r.value6(), r.value7(), r.value8(), r.value9(), r.value10())));

    private final DSLContext db;

    public SubscriptionReads(DSLContext db) {
        this.db = db;
    }

    public Optional<Subscription> find(Condition condition) {
        return findAll(condition).stream().findFirst();
    }

    /** These subscriptions, in id order. */
    public List<Subscription> byIds(Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : findAll(SUBSCRIPTION.ID.in(ids));
    }

    private List<Subscription> findAll(Condition condition) {
        return db.select(SUBSCRIPTION.ID, SUBSCRIPTION.CUSTOMER_KEY, BILLING_KEY.BILLING_KEY_, BILLING_KEY.CARD_COMPANY,
                        BILLING_KEY.CARD_NUMBER_MASKED, SUBSCRIPTION.PLAN_NAME, SUBSCRIPTION.AMOUNT, SUBSCRIPTION.BILLING_INTERVAL,
                        SUBSCRIPTION.ANCHOR_DATE, SUBSCRIPTION.CYCLE_NO, SUBSCRIPTION.NEXT_BILLING_DATE, SUBSCRIPTION.STATUS,
                        SUBSCRIPTION.RETRY_COUNT, SUBSCRIPTION.NEXT_RETRY_AT, SUBSCRIPTION.LAST_ERROR_CODE,
                        SUBSCRIPTION.LAST_ERROR_MESSAGE, SUBSCRIPTION.CANCEL_AT_PERIOD_END, SUBSCRIPTION.CANCELED_AT,
                        SUBSCRIPTION.CREATED_AT, CHARGES)
                .from(SUBSCRIPTION).join(BILLING_KEY).on(BILLING_KEY.ID.eq(SUBSCRIPTION.BILLING_KEY_ID))
                .where(condition)
                .orderBy(SUBSCRIPTION.ID)
                .fetch(r -> new Subscription(r.value1(), r.value2(), BillingKeys.mask(r.value3()), r.value4(),
                        r.value5(), r.value6(), r.value7(), r.value8(), r.value9(), r.value10(), r.value11(), r.value12(),
                        r.value13(), r.value14(), r.value15(), r.value16(), r.value17(), r.value18(), r.value19(), r.value20()));
    }
}
