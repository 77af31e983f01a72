package io.unbreakable.payments.subscription;

import java.time.LocalDate;

public enum BillingInterval {
    MONTHLY, WEEKLY;

    /**
     * The due date of billing cycle {@code cycle} (1 = the first), always counted from the anchor so a
     * short month does not shift the schedule for good: anchored on Jan 31 → Feb 28 (29), then Mar 31.
     * Dates are Asia/Seoul calendar dates.
     */
    public LocalDate dueDate(LocalDate anchorDate, int cycle) {
        if (cycle < 1) {
            throw new IllegalArgumentException("cycles start at 1, got " + cycle);
        }
        return this == MONTHLY ? anchorDate.plusMonths(cycle - 1L) : anchorDate.plusWeeks(cycle - 1L);
    }
}
