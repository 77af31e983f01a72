package io.unbreakable.payments.api.order;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
public class OrderService {

    private final OrderRepository orders;

    OrderService(OrderRepository orders) {
        this.orders = orders;
    }

    /** Creates the order with its items; the total is computed here, never taken from the client. */
    @Transactional
    public Order create(long merchantId, NewOrder order) {
        List<OrderRepository.NewItem> items = new ArrayList<>();
        long total = 0;
        for (NewOrder.Item item : order.items()) {
            long amount = Math.multiplyExact(item.unitPrice(), item.quantity());
            total = Math.addExact(total, amount);
            items.add(new OrderRepository.NewItem(item.sku(), item.name(), item.unitPrice(), item.quantity(), amount));
        }
        if (total <= 0) {
            throw new ApiException(ErrorCode.INVALID_AMOUNT, "order " + order.orderId() + " totals " + total + " won; it must be positive");
        }
        long orderPk = orders.insert(merchantId, order.orderId(), order.orderName(), order.customerKey(), total)
                .orElseThrow(() -> new ApiException(ErrorCode.DUPLICATED_ORDER_ID, "orderId " + order.orderId() + " is already used"));
        orders.insertItems(orderPk, items);
        return get(merchantId, order.orderId());
    }

    public Order get(long merchantId, String orderId) {
        return orders.findByOrderId(merchantId, orderId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_ORDER, "no order " + orderId));
    }

    public Order getById(long orderPk) {
        return orders.findById(orderPk).orElseThrow(() -> new IllegalStateException("order " + orderPk + " vanished"));
    }

    /** Marks item quantities cancelled, in the caller's transaction; refuses more than was bought. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void cancelQuantities(Order order, List<ItemQuantity> quantities) {
        if (!orders.cancelQuantities(order.id(), quantities)) {
            throw new ApiException(ErrorCode.EXCEED_CANCEL_AMOUNT,
                    "order " + order.orderId() + ": an item quantity to cancel exceeds what is left of it");
        }
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void restoreQuantities(List<ItemQuantity> quantities) {
        orders.restoreQuantities(quantities);
    }

    public record ItemQuantity(long itemId, int quantity) {
    }

    public record NewOrder(String orderId, String orderName, String customerKey, List<Item> items) {

        public record Item(String sku, String name, long unitPrice, int quantity) {
        }
    }
}
