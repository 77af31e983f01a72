package io.unbreakable.payments.subscription;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A subscription as its merchant sees it: schedule, state, why it failed, and each charge attempt. */
public record Subscription(long id, String customerKey, String billingKey, String cardCompany, String cardNumber, String planName,
        long amount, String interval, LocalDate anchorDate, int cycleNo, LocalDate nextBillingDate, String status,
        int retryCount, OffsetDateTime nextRetryAt, String lastErrorCode, String lastErrorMessage, boolean cancelAtPeriodEnd,
        OffsetDateTime canceledAt, OffsetDateTime createdAt, List<Charge> charges) {

    public record Charge(int cycle, int attempt, LocalDate dueDate, String status, long amount, String orderId, String paymentKey,
            String errorCode, String errorMessage, OffsetDateTime updatedAt) {
    }
}
