package io.unbreakable.payments.pgsim;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The simulator's own record of a payment: what an inquiry answers, whatever the client saw. */
final class SimulatedPayment {

    final String paymentKey;
    final String orderId;
    final long totalAmount;
    final OffsetDateTime approvedAt;
    final String status;
    final String method;
    final List<Cancel> cancels = new ArrayList<>();

    SimulatedPayment(String paymentKey, String orderId, long totalAmount, OffsetDateTime approvedAt, String status, String method) {
        this.paymentKey = paymentKey;
        this.orderId = orderId;
        this.totalAmount = totalAmount;
        this.approvedAt = approvedAt;
        this.status = status;
        this.method = method;
    }

    long balanceAmount() {
        return totalAmount - cancels.stream().mapToLong(Cancel::cancelAmount).sum();
    }

    String currentStatus() {
        if (!status.equals("DONE") || cancels.isEmpty()) {
            return status;
        }
        return balanceAmount() == 0 ? "CANCELED" : "PARTIAL_CANCELED";
    }

    record Cancel(String transactionKey, long cancelAmount, String cancelReason, OffsetDateTime canceledAt) {
    }
}
