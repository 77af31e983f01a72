package io.unbreakable.payments.pg;

import java.time.OffsetDateTime;
import java.util.List;

/** A payment as the PG reports it (Toss's Payment object, the fields we use). */
public record PgPayment(String paymentKey, String orderId, String status, String method, long totalAmount,
        long balanceAmount, OffsetDateTime approvedAt, List<Cancel> cancels) {

    public PgPayment {
        cancels = cancels == null ? List.of() : List.copyOf(cancels);
    }

    public boolean approved() {
        return status.equals("DONE") || status.equals("PARTIAL_CANCELED") || status.equals("CANCELED");
    }

    public record Cancel(String transactionKey, long cancelAmount, String cancelReason, OffsetDateTime canceledAt) {
    }
}
