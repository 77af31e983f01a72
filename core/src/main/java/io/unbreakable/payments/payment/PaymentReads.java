package io.unbreakable.payments.payment;

import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL_ITEM;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

/**
 * Reads payments with their cancels: the one query behind the API's payment object ({@link PaymentResponse}),
 * used by the API's endpoints and by the webhook outbox of both apps (a billing charge booked by the
 * renewal job reports the same object a GET answers).
 */
public final class PaymentReads {

    private static final Field<List<Payment.CancelItem>> CANCEL_ITEMS = multiset(
            select(PAYMENT_CANCEL_ITEM.ORDER_ITEM_ID, PAYMENT_CANCEL_ITEM.QUANTITY, PAYMENT_CANCEL_ITEM.AMOUNT)
                    .from(PAYMENT_CANCEL_ITEM).where(PAYMENT_CANCEL_ITEM.CANCEL_ID.eq(PAYMENT_CANCEL.ID))
                    .orderBy(PAYMENT_CANCEL_ITEM.ORDER_ITEM_ID))
            .convertFrom(result -> result.map(record -> new Payment.CancelItem(record.value1(), record.value2(), record.value3())));

    public static final Field<List<Payment.Cancel>> CANCELS = multiset(
            select(PAYMENT_CANCEL.ID, PAYMENT_CANCEL.STATUS, PAYMENT_CANCEL.CANCEL_AMOUNT, PAYMENT_CANCEL.CANCEL_REASON,
                    PAYMENT_CANCEL.TRANSACTION_KEY, PAYMENT_CANCEL.REQUESTED_AT, PAYMENT_CANCEL.CANCELED_AT,
                    PAYMENT_CANCEL.FAILURE_CODE, PAYMENT_CANCEL.FAILURE_MESSAGE, CANCEL_ITEMS)
                    .from(PAYMENT_CANCEL).where(PAYMENT_CANCEL.PAYMENT_ID.eq(PAYMENT.ID)).orderBy(PAYMENT_CANCEL.ID))
            .as("cancels")
            .convertFrom(result -> result.map(record -> new Payment.Cancel(record.value1(),
                    Payment.CancelStatus.valueOf(record.value2()), record.value3(), record.value4(), record.value5(),
                    record.value6(), record.value7(), record.value8(), record.value9(), record.value10())));

    /** A payment's own columns and its order's keys: what {@link Payment} holds besides its cancels. */
    public static final List<Field<?>> PAYMENT_ROW = List.of(PAYMENT.ID, PAYMENT.PAYMENT_KEY, PAYMENT.MERCHANT_ID,
            PAYMENT.ORDER_PK, ORDERS.ORDER_ID, ORDERS.ORDER_NAME, PAYMENT.STATUS, PAYMENT.PG_PROVIDER, PAYMENT.METHOD,
            PAYMENT.TOTAL_AMOUNT, PAYMENT.BALANCE_AMOUNT, PAYMENT.SUPPLIED_AMOUNT, PAYMENT.VAT, PAYMENT.REQUESTED_AT,
            PAYMENT.APPROVED_AT, PAYMENT.UPDATED_AT, PAYMENT.FAILURE_CODE, PAYMENT.FAILURE_MESSAGE);

    private final DSLContext db;

    public PaymentReads(DSLContext db) {
        this.db = db;
    }

    public Optional<Payment> find(Condition condition) {
        return db.select(PAYMENT_ROW).select(CANCELS)
                .from(PAYMENT).join(ORDERS).on(ORDERS.ID.eq(PAYMENT.ORDER_PK))
                .where(condition)
                .fetchOptional(record -> toPayment(record, record.get(CANCELS)));
    }

    /** These payments, in id order, in one statement. */
    public List<Payment> byIds(Collection<Long> paymentIds) {
        return db.select(PAYMENT_ROW).select(CANCELS)
                .from(PAYMENT).join(ORDERS).on(ORDERS.ID.eq(PAYMENT.ORDER_PK))
                .where(PAYMENT.ID.in(paymentIds))
                .orderBy(PAYMENT.ID)
                .fetch(record -> toPayment(record, record.get(CANCELS)));
    }

    public static Payment toPayment(Record record, List<Payment.Cancel> cancels) {
        return new Payment(record.get(PAYMENT.ID), record.get(PAYMENT.PAYMENT_KEY), record.get(PAYMENT.MERCHANT_ID),
                record.get(PAYMENT.ORDER_PK), record.get(ORDERS.ORDER_ID), record.get(ORDERS.ORDER_NAME),
                PaymentStatus.valueOf(record.get(PAYMENT.STATUS)), record.get(PAYMENT.PG_PROVIDER), record.get(PAYMENT.METHOD),
                record.get(PAYMENT.TOTAL_AMOUNT), record.get(PAYMENT.BALANCE_AMOUNT), record.get(PAYMENT.SUPPLIED_AMOUNT),
                record.get(PAYMENT.VAT), record.get(PAYMENT.REQUESTED_AT), record.get(PAYMENT.APPROVED_AT),
                record.get(PAYMENT.UPDATED_AT), record.get(PAYMENT.FAILURE_CODE), record.get(PAYMENT.FAILURE_MESSAGE), cancels);
    }
}
