package io.unbreakable.payments.payment;

import java.time.OffsetDateTime;
import java.util.List;

public record Payment(long id, String paymentKey, long merchantId, long orderPk, String orderId, String orderName,
        PaymentStatus status, String pgProvider, String method, long totalAmount, long balanceAmount,
        long suppliedAmount, long vat, OffsetDateTime requestedAt, OffsetDateTime approvedAt, OffsetDateTime updatedAt,
        String failureCode, String failureMessage, List<Cancel> cancels) {

    public record Cancel(long cancelId, CancelStatus status, long cancelAmount, String cancelReason, String transactionKey,
            OffsetDateTime requestedAt, OffsetDateTime canceledAt, String failureCode, String failureMessage,
            List<CancelItem> items) {
    }

    public record CancelItem(long itemId, int quantity, long amount) {
    }

    public enum CancelStatus {
        /** Reserved here (balance taken), PG call in flight. */
        IN_PROGRESS,
        DONE,
        ABORTED,
        UNKNOWN
    }
}
