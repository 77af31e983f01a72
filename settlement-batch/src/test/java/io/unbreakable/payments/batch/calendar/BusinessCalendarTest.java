package io.unbreakable.payments.batch.calendar;

import static io.unbreakable.payments.db.jooq.Tables.HOLIDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** D+1 payout dates on the real holiday table: weekends and finance's holidays are skipped, in any combination. */
class BusinessCalendarTest extends BatchTest {

    @Autowired
    BusinessCalendar calendar;

    private static final LocalDate MONDAY = LocalDate.of(2031, 3, 10);
    private static final LocalDate FRIDAY = LocalDate.of(2031, 3, 14);
    private static final LocalDate SATURDAY = LocalDate.of(2031, 3, 15);
    private static final LocalDate SUNDAY = LocalDate.of(2031, 3, 16);
    private static final LocalDate NEXT_MONDAY = LocalDate.of(2031, 3, 17);

    @Test
    void aWeekdaysSalesArePaidTheNextDay() {
        assertThat(calendar.firstBusinessDayAfter(MONDAY)).isEqualTo(MONDAY.plusDays(1));
    }

    @Test
    void fridaySaturdayAndSundaySalesArePaidOnMonday() {
        assertThat(calendar.firstBusinessDayAfter(FRIDAY)).isEqualTo(NEXT_MONDAY);
        assertThat(calendar.firstBusinessDayAfter(SATURDAY)).isEqualTo(NEXT_MONDAY);
        assertThat(calendar.firstBusinessDayAfter(SUNDAY)).isEqualTo(NEXT_MONDAY);
    }

    @Test
    void aHolidayFinanceAddsIsSkippedLikeAWeekend() {
        db.insertInto(HOLIDAY, HOLIDAY.HOLIDAY_DATE, HOLIDAY.NAME, HOLIDAY.SOURCE).values(NEXT_MONDAY, "대체공휴일", "FINANCE").execute();
        db.insertInto(HOLIDAY, HOLIDAY.HOLIDAY_DATE, HOLIDAY.NAME, HOLIDAY.SOURCE).values(MONDAY.plusDays(1), "임시공휴일", "FINANCE").execute();

        assertThat(calendar.firstBusinessDayAfter(FRIDAY)).isEqualTo(NEXT_MONDAY.plusDays(1));
        assertThat(calendar.firstBusinessDayAfter(MONDAY)).isEqualTo(MONDAY.plusDays(2));
    }
}
