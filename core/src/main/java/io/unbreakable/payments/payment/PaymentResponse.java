package io.unbreakable.payments.payment;

import io.unbreakable.payments.time.Seoul;
import java.time.OffsetDateTime;
import java.util.List;

/** A payment as the API answers it (Toss's Payment object, the fields we keep), for every endpoint that returns one. */
public record PaymentResponse(String paymentKey, String orderId, String orderName, PaymentStatus status, String method,
        long totalAmount, long balanceAmount, long suppliedAmount, long vat, OffsetDateTime requestedAt,
        OffsetDateTime approvedAt, Failure failure, List<CancelResponse> cancels) {

    public static PaymentResponse of(Payment payment) {
        Failure failure = payment.failureCode() == null ? null : new Failure(payment.failureCode(), payment.failureMessage());
        return new PaymentResponse(payment.paymentKey(), payment.orderId(), payment.orderName(), payment.status(),
                payment.method(), payment.totalAmount(), payment.balanceAmount(), payment.suppliedAmount(),
                payment.vat(), Seoul.time(payment.requestedAt()), Seoul.time(payment.approvedAt()), failure,
                payment.cancels().stream().map(CancelResponse::of).toList());
    }

    public record Failure(String code, String message) {
    }

    public record CancelResponse(long cancelId, Payment.CancelStatus status, long cancelAmount, String cancelReason,
            String transactionKey, OffsetDateTime requestedAt, OffsetDateTime canceledAt, List<Payment.CancelItem> items) {

        public static CancelResponse of(Payment.Cancel cancel) {
            return new CancelResponse(cancel.cancelId(), cancel.status(), cancel.cancelAmount(), cancel.cancelReason(),
                    cancel.transactionKey(), Seoul.time(cancel.requestedAt()), Seoul.time(cancel.canceledAt()), cancel.items());
        }
    }
}
