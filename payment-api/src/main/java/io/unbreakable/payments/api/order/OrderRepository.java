package io.unbreakable.payments.api.order;

import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.ORDER_ITEM;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep8;
import org.springframework.stereotype.Repository;
import io.unbreakable.payments.db.jooq.tables.records.OrderItemRecord;

@Repository
class OrderRepository {

    private static final Field<List<Order.Item>> ITEMS = multiset(
            select(ORDER_ITEM.ID, ORDER_ITEM.LINE_NO, ORDER_ITEM.SKU, ORDER_ITEM.NAME, ORDER_ITEM.UNIT_PRICE,
                    ORDER_ITEM.QUANTITY, ORDER_ITEM.AMOUNT, ORDER_ITEM.CANCELED_QUANTITY)
                    .from(ORDER_ITEM).where(ORDER_ITEM.ORDER_PK.eq(ORDERS.ID)).orderBy(ORDER_ITEM.LINE_NO))
            .as("items").convertFrom(result -> result.map(record -> new Order.Item(record.value1(), record.value2(),
                    record.value3(), record.value4(), record.value5(), record.value6(), record.value7(), record.value8())));

    private final DSLContext db;

    OrderRepository(DSLContext db) {
        this.db = db;
    }

    /** Inserts the order, or returns empty when the merchant already used this orderId. */
    Optional<Long> insert(long merchantId, String orderId, String orderName, String customerKey, long totalAmount) {
        return db.insertInto(ORDERS)
                .set(ORDERS.MERCHANT_ID, merchantId)
                .set(ORDERS.ORDER_ID, orderId)
                .set(ORDERS.ORDER_NAME, orderName)
                .set(ORDERS.CUSTOMER_KEY, customerKey)
                .set(ORDERS.TOTAL_AMOUNT, totalAmount)
                .onConflictDoNothing()
                .returning(ORDERS.ID)
                .fetchOptional(ORDERS.ID);
    }

    void insertItems(long orderPk, List<NewItem> items) {
        InsertValuesStep8<OrderItemRecord, Long, Integer, String, String, Long, Integer, Long, Integer> insert = db.insertInto(ORDER_ITEM,
                ORDER_ITEM.ORDER_PK, ORDER_ITEM.LINE_NO, ORDER_ITEM.SKU, ORDER_ITEM.NAME, ORDER_ITEM.UNIT_PRICE,
                ORDER_ITEM.QUANTITY, ORDER_ITEM.AMOUNT, ORDER_ITEM.CANCELED_QUANTITY);
        for (int i = 0; i < items.size(); i++) {
            NewItem item = items.get(i);
            insert = insert.values(orderPk, i + 1, item.sku(), item.name(), item.unitPrice(), item.quantity(), item.amount(), 0);
        }
        insert.execute();
    }

    Optional<Order> findByOrderId(long merchantId, String orderId) {
        return find(ORDERS.MERCHANT_ID.eq(merchantId).and(ORDERS.ORDER_ID.eq(orderId)));
    }

    Optional<Order> findById(long orderPk) {
        return find(ORDERS.ID.eq(orderPk));
    }

    /** Takes back item quantities for an item cancel; empty-handed (false) if any would exceed what was bought. */
    boolean cancelQuantities(long orderPk, List<OrderService.ItemQuantity> quantities) {
        for (OrderService.ItemQuantity quantity : quantities) {
            int updated = db.update(ORDER_ITEM)
                    .set(ORDER_ITEM.CANCELED_QUANTITY, ORDER_ITEM.CANCELED_QUANTITY.plus(quantity.quantity()))
                    .where(ORDER_ITEM.ID.eq(quantity.itemId()))
                    .and(ORDER_ITEM.ORDER_PK.eq(orderPk))
                    .and(ORDER_ITEM.CANCELED_QUANTITY.plus(quantity.quantity()).le(ORDER_ITEM.QUANTITY))
                    .execute();
            if (updated == 0) {
                return false;
            }
        }
        return true;
    }

    void restoreQuantities(List<OrderService.ItemQuantity> quantities) {
        for (OrderService.ItemQuantity quantity : quantities) {
            db.update(ORDER_ITEM)
                    .set(ORDER_ITEM.CANCELED_QUANTITY, ORDER_ITEM.CANCELED_QUANTITY.minus(quantity.quantity()))
                    .where(ORDER_ITEM.ID.eq(quantity.itemId()))
                    .execute();
        }
    }

    private Optional<Order> find(Condition condition) {
        return db.select(ORDERS.ID, ORDERS.MERCHANT_ID, ORDERS.ORDER_ID, ORDERS.ORDER_NAME, ORDERS.CUSTOMER_KEY,
                        ORDERS.TOTAL_AMOUNT, ORDERS.CREATED_AT, ITEMS)
                .from(ORDERS)
                .where(condition)
                .fetchOptional(record -> new Order(record.value1(), record.value2(), record.value3(), record.value4(),
                        record.value5(), record.value6(), record.value7(), record.value8()));
    }

    record NewItem(String sku, String name, long unitPrice, int quantity, long amount) {
    }
}
