package io.unbreakable.payments.api.payout;

import io.unbreakable.payments.payout.PayoutStatus;
import java.util.Map;

/** Count and won of the listed payouts, in all and by status. */
public record PayoutTotals(long count, long amount, Map<PayoutStatus, StatusTotal> byStatus) {

    public record StatusTotal(long count, long amount) {
    }
}
