package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.time.Seoul;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * How pages show money and time, as {@code ${@fmt.won(amount)}} in templates: won with thousands
 * separators (₩1,234,567, -₩5,000), times in Asia/Seoul whatever the server's zone.
 */
@Component("fmt")
public class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public String won(long amountWon) {
        // DecimalFormat is not thread-safe: one per call costs less than contention
        return new DecimalFormat("₩#,##0;-₩#,##0").format(amountWon);
    }

    public String count(long count) {
        return new DecimalFormat("#,##0").format(count);
    }

    public String time(OffsetDateTime instant) {
        return instant == null ? "" : Seoul.time(instant).format(TIME);
    }

    /** Spring Batch keeps its times without a zone, in the zone of the JVM that ran the job. */
    public String batchTime(LocalDateTime jvmLocalTime) {
        return jvmLocalTime == null ? "" : time(jvmLocalTime.atZone(ZoneId.systemDefault()).toOffsetDateTime());
    }

    /** A rate as a percentage: 0.033 is "3.3%". */
    public String percent(BigDecimal rate) {
        return rate == null ? "" : rate.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
