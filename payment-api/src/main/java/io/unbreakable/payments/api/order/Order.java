package io.unbreakable.payments.api.order;

import java.time.OffsetDateTime;
import java.util.List;

/** An order as the merchant created it; {@code id} is ours, {@code orderId} the merchant's key. */
public record Order(long id, long merchantId, String orderId, String orderName, String customerKey, long totalAmount,
        OffsetDateTime createdAt, List<Item> items) {

    public record Item(long itemId, int lineNo, String sku, String name, long unitPrice, int quantity, long amount,
            int canceledQuantity) {

        public int cancelableQuantity() {
            return quantity - canceledQuantity;
        }
    }
}
