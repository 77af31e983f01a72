package io.unbreakable.payments.subscription;

import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.ORDER_ITEM;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;

import io.unbreakable.payments.money.Won;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** The orders and payment rows of billing-key charges. */
class BillingPaymentRepository {

    private final DSLContext db;

    BillingPaymentRepository(DSLContext db) {
        this.db = db;
    }

    /** The orders, with their one line each; orderPk by orderId, for the ones that were not there yet. */
    Map<String, Long> insertOneLineOrders(List<BillingKeyCharges.OneLineOrder> orders) {
        var insert = db.insertInto(ORDERS, ORDERS.MERCHANT_ID, ORDERS.ORDER_ID, ORDERS.ORDER_NAME, ORDERS.CUSTOMER_KEY,
                ORDERS.TOTAL_AMOUNT);
        for (BillingKeyCharges.OneLineOrder order : orders) {
            insert = insert.values(order.merchantId(), order.orderId(), order.orderName(), order.customerKey(), order.amount());
        }
        Map<String, Long> orderPks = new HashMap<>();
        insert.onConflictDoNothing().returningResult(ORDERS.ORDER_ID, ORDERS.ID).forEach(r -> orderPks.put(r.value1(), r.value2()));
        var items = db.insertInto(ORDER_ITEM, ORDER_ITEM.ORDER_PK, ORDER_ITEM.LINE_NO, ORDER_ITEM.SKU, ORDER_ITEM.NAME,
                ORDER_ITEM.UNIT_PRICE, ORDER_ITEM.QUANTITY, ORDER_ITEM.AMOUNT);
        boolean any = false;
        for (BillingKeyCharges.OneLineOrder order : orders) {
            Long orderPk = orderPks.get(order.orderId());
            if (orderPk != null) {
                items = items.values(orderPk, 1, order.sku(), order.orderName(), order.amount(), 1, order.amount());
                any = true;
            }
        }
        if (any) {
            items.execute();
        }
        return orderPks;
    }

    /** DONE payments, the whole amount cancelable, VAT included (1/11); payment ids by paymentKey. */
    Map<String, Long> insertDone(List<BillingKeyCharges.Booking> bookings) {
        var payments = db.insertInto(PAYMENT, PAYMENT.PAYMENT_KEY, PAYMENT.MERCHANT_ID, PAYMENT.ORDER_PK, PAYMENT.STATUS,
                PAYMENT.PG_PROVIDER, PAYMENT.METHOD, PAYMENT.TOTAL_AMOUNT, PAYMENT.BALANCE_AMOUNT, PAYMENT.SUPPLIED_AMOUNT,
                PAYMENT.VAT, PAYMENT.APPROVED_AT, PAYMENT.SUBSCRIPTION_ID);
        for (BillingKeyCharges.Booking booking : bookings) {
            long amount = booking.charge().amount();
            long vat = Won.vatIncludedIn(amount);
            OffsetDateTime approvedAt = booking.payment().approvedAt() == null ? OffsetDateTime.now() : booking.payment().approvedAt();
            payments = payments.values(booking.payment().paymentKey(), booking.charge().merchantId(), booking.orderPk(),
                    "DONE", booking.pgProvider(), booking.payment().method(), amount, amount, amount - vat,
                    vat, approvedAt, booking.subscriptionId());
        }
        Map<String, Long> ids = new HashMap<>();
        payments.returningResult(PAYMENT.PAYMENT_KEY, PAYMENT.ID).forEach(r -> ids.put(r.value1(), r.value2()));
        return ids;
    }
}
