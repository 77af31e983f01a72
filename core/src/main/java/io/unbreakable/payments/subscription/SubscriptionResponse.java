package io.unbreakable.payments.subscription;

import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A subscription as the API answers it (GET /v1/subscriptions/{id}) and as SUBSCRIPTION_STATUS_CHANGED reports it. */
/** {@code upcomingBillingDates}: the next three due dates of the schedule while it renews. */
public record SubscriptionResponse(long id, String customerKey, String billingKey, String cardCompany, String cardNumber,
        String planName, long amount, String interval, String status, LocalDate anchorDate, int paidCycles,
        LocalDate nextBillingDate, List<LocalDate> upcomingBillingDates, int retryCount, OffsetDateTime nextRetryAt,
        String lastErrorCode, String lastErrorMessage, boolean cancelAtPeriodEnd, OffsetDateTime canceledAt,
        OffsetDateTime createdAt, List<ChargeResponse> charges) {

    public static SubscriptionResponse of(Subscription s) {
        BillingInterval interval = BillingInterval.valueOf(s.interval());
        boolean renews = (s.status().equals("ACTIVE") || s.status().equals("PAST_DUE")) && !s.cancelAtPeriodEnd();
        List<LocalDate> upcoming = renews
                ? List.of(1, 2, 3).stream().map(n -> interval.dueDate(s.anchorDate(), s.cycleNo() + n)).toList()
                : List.of();
        return new SubscriptionResponse(s.id(), s.customerKey(), s.billingKey(), s.cardCompany(), s.cardNumber(),
                s.planName(), s.amount(), s.interval(), s.status(), s.anchorDate(), s.cycleNo(), s.nextBillingDate(),
                upcoming, s.retryCount(), Seoul.time(s.nextRetryAt()), s.lastErrorCode(), s.lastErrorMessage(),
                s.cancelAtPeriodEnd(), Seoul.time(s.canceledAt()), Seoul.time(s.createdAt()),
                s.charges().stream().map(ChargeResponse::of).toList());
    }
}
