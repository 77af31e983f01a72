package io.unbreakable.payments.subscription;

import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** One charge attempt of a subscription, as the API answers it. */
public record ChargeResponse(int cycle, int attempt, LocalDate dueDate, String status, long amount, String orderId,
        String paymentKey, String errorCode, String errorMessage, OffsetDateTime updatedAt) {

    public static ChargeResponse of(Subscription.Charge c) {
        return new ChargeResponse(c.cycle(), c.attempt(), c.dueDate(), c.status(), c.amount(), c.orderId(), c.paymentKey(),
                c.errorCode(), c.errorMessage(), Seoul.time(c.updatedAt()));
    }
}
