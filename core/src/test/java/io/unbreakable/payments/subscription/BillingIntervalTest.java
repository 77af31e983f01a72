package io.unbreakable.payments.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BillingIntervalTest {

    @Test
    void monthlyCyclesAreCountedFromTheAnchorSoAShortMonthDoesNotShiftTheSchedule() {
        LocalDate anchor = LocalDate.of(2027, 1, 31);
        assertThat(BillingInterval.MONTHLY.dueDate(anchor, 1)).isEqualTo(anchor);
        assertThat(BillingInterval.MONTHLY.dueDate(anchor, 2)).isEqualTo(LocalDate.of(2027, 2, 28));
        assertThat(BillingInterval.MONTHLY.dueDate(anchor, 3)).isEqualTo(LocalDate.of(2027, 3, 31));
        assertThat(BillingInterval.MONTHLY.dueDate(LocalDate.of(2028, 1, 31), 2)).isEqualTo(LocalDate.of(2028, 2, 29));
    }

    @Test
    void weeklyCyclesAreSevenDaysApart() {
        LocalDate anchor = LocalDate.of(2027, 12, 27);
        assertThat(BillingInterval.WEEKLY.dueDate(anchor, 1)).isEqualTo(anchor);
        assertThat(BillingInterval.WEEKLY.dueDate(anchor, 2)).isEqualTo(LocalDate.of(2028, 1, 3));
        assertThat(BillingInterval.WEEKLY.dueDate(anchor, 53)).isEqualTo(anchor.plusDays(52 * 7));
    }

    @Test
    void cyclesStartAtOne() {
        assertThatThrownBy(() -> BillingInterval.WEEKLY.dueDate(LocalDate.of(2027, 1, 1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cycles start at 1, got 0");
    }
}
