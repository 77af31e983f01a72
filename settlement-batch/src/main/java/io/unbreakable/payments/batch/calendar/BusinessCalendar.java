package io.unbreakable.payments.batch.calendar;

import static io.unbreakable.payments.db.jooq.Tables.HOLIDAY;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Set;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Korean business days: not a weekend, not a day in the holiday table (which finance can extend). */
@Component
public class BusinessCalendar {

    private final DSLContext db;

    BusinessCalendar(DSLContext db) {
        this.db = db;
    }

    /** The first business day after {@code date}: the payout date of sales on {@code date} (D+1). */
    public LocalDate firstBusinessDayAfter(LocalDate date) {
        Set<LocalDate> holidays = db.select(HOLIDAY.HOLIDAY_DATE).from(HOLIDAY)
                .where(HOLIDAY.HOLIDAY_DATE.between(date.plusDays(1), date.plusDays(31)))
                .fetchSet(HOLIDAY.HOLIDAY_DATE);
        LocalDate candidate = date.plusDays(1);
        while (candidate.getDayOfWeek() == DayOfWeek.SATURDAY || candidate.getDayOfWeek() == DayOfWeek.SUNDAY
                || holidays.contains(candidate)) {
            candidate = candidate.plusDays(1);
        }
        return candidate;
    }
}
