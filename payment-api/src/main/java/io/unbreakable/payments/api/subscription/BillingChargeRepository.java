package io.unbreakable.payments.api.subscription;

import static io.unbreakable.payments.db.DatabaseTime.nowPlus;
import static io.unbreakable.payments.db.jooq.Tables.BILLING_CHARGE;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static org.jooq.impl.DSL.currentOffsetDateTime;

import io.unbreakable.payments.pg.PgMessages;
import io.unbreakable.payments.subscription.ChargeStatus;
import java.time.Duration;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** One-off billing-key charges; every state change is guarded by the state it expects. */
@Repository
class BillingChargeRepository {

    private static final String IN_PROGRESS = ChargeStatus.IN_PROGRESS.name();
    private static final String UNKNOWN = ChargeStatus.UNKNOWN.name();
    private static final Condition OUTCOME_OPEN = BILLING_CHARGE.STATUS.in(IN_PROGRESS, UNKNOWN);

    private final DSLContext db;

    BillingChargeRepository(DSLContext db) {
        this.db = db;
    }

    long insert(long merchantId, long orderPk, long billingKeyId, long amount, String idempotencyKey) {
        return db.insertInto(BILLING_CHARGE)
                .set(BILLING_CHARGE.MERCHANT_ID, merchantId)
                .set(BILLING_CHARGE.ORDER_PK, orderPk)
                .set(BILLING_CHARGE.BILLING_KEY_ID, billingKeyId)
                .set(BILLING_CHARGE.STATUS, IN_PROGRESS)
                .set(BILLING_CHARGE.AMOUNT, amount)
                .set(BILLING_CHARGE.IDEMPOTENCY_KEY, idempotencyKey)
                .returning(BILLING_CHARGE.ID)
                .fetchSingle(BILLING_CHARGE.ID);
    }

    Optional<ChargeRow> findByOrderId(long merchantId, String orderId) {
        return db.select(BILLING_CHARGE.ID, BILLING_CHARGE.ORDER_PK, BILLING_CHARGE.BILLING_KEY_ID, BILLING_CHARGE.AMOUNT,
                        BILLING_CHARGE.STATUS, BILLING_CHARGE.IDEMPOTENCY_KEY, PAYMENT.PAYMENT_KEY, BILLING_CHARGE.ERROR_STATUS,
                        BILLING_CHARGE.ERROR_CODE, BILLING_CHARGE.ERROR_MESSAGE)
                .from(BILLING_CHARGE)
                .join(ORDERS).on(ORDERS.ID.eq(BILLING_CHARGE.ORDER_PK))
                .leftJoin(PAYMENT).on(PAYMENT.ID.eq(BILLING_CHARGE.PAYMENT_ID))
                .where(ORDERS.MERCHANT_ID.eq(merchantId)).and(ORDERS.ORDER_ID.eq(orderId))
                .fetchOptional(r -> new ChargeRow(r.value1(), r.value2(), r.value3(), r.value4(), ChargeStatus.valueOf(r.value5()), r.value6(), r.value7(),
                        r.value8(), r.value9(), r.value10()));
    }

    /** Takes over a charge whose outcome is open: UNKNOWN, or IN_PROGRESS untouched for {@code staleAfter}. One caller wins. */
    boolean lease(long id, Duration staleAfter) {
        return db.update(BILLING_CHARGE)
                .set(BILLING_CHARGE.STATUS, IN_PROGRESS)
                .set(BILLING_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(BILLING_CHARGE.ID.eq(id))
                .and(BILLING_CHARGE.STATUS.eq(UNKNOWN)
                        .or(BILLING_CHARGE.STATUS.eq(IN_PROGRESS).and(BILLING_CHARGE.UPDATED_AT.lt(nowPlus(staleAfter.negated())))))
                .execute() == 1;
    }

    boolean markDone(long id, long paymentId) {
        return db.update(BILLING_CHARGE)
                .set(BILLING_CHARGE.STATUS, ChargeStatus.DONE.name())
                .set(BILLING_CHARGE.PAYMENT_ID, paymentId)
                .set(BILLING_CHARGE.ERROR_CODE, (String) null)
                .set(BILLING_CHARGE.ERROR_MESSAGE, (String) null)
                .set(BILLING_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(BILLING_CHARGE.ID.eq(id)).and(OUTCOME_OPEN)
                .execute() == 1;
    }

    void markFailed(long id, int httpStatus, String code, String message) {
        db.update(BILLING_CHARGE)
                .set(BILLING_CHARGE.STATUS, ChargeStatus.FAILED.name())
                .set(BILLING_CHARGE.ERROR_STATUS, httpStatus)
                .set(BILLING_CHARGE.ERROR_CODE, code)
                .set(BILLING_CHARGE.ERROR_MESSAGE, PgMessages.storable(message))
                .set(BILLING_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(BILLING_CHARGE.ID.eq(id)).and(OUTCOME_OPEN)
                .execute();
    }

    void markUnknown(long id, String reason) {
        db.update(BILLING_CHARGE)
                .set(BILLING_CHARGE.STATUS, UNKNOWN)
                .set(BILLING_CHARGE.ERROR_CODE, "PG_OUTCOME_UNKNOWN")
                .set(BILLING_CHARGE.ERROR_MESSAGE, PgMessages.storable(reason))
                .set(BILLING_CHARGE.UPDATED_AT, currentOffsetDateTime())
                .where(BILLING_CHARGE.ID.eq(id)).and(OUTCOME_OPEN)
                .execute();
    }

    /** {@code paymentKey} once DONE; {@code error*} once FAILED (the PG's decline). */
    record ChargeRow(long id, long orderPk, long billingKeyId, long amount, ChargeStatus status, String idempotencyKey, String paymentKey,
            Integer errorStatus, String errorCode, String errorMessage) {
    }
}
