package io.unbreakable.payments.api.pages.console;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Daily approved volume as bars for an inline SVG: one bar per day of the range, days without
 * approvals included at zero, heights scaled to the busiest day. No chart library, nothing to load.
 */
record VolumeChart(List<Bar> bars, long maxAmountWon) {

    static final int HEIGHT_PX = 160;
    static final int BAR_PITCH_PX = 22;

    static VolumeChart of(LocalDate firstDay, LocalDate lastDay, List<ConsoleRepository.DailyVolume> days) {
        Map<LocalDate, ConsoleRepository.DailyVolume> byDay = days.stream()
                .collect(Collectors.toMap(ConsoleRepository.DailyVolume::day, Function.identity()));
        long max = days.stream().mapToLong(ConsoleRepository.DailyVolume::amountWon).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        int index = 0;
        for (LocalDate day = firstDay; !day.isAfter(lastDay); day = day.plusDays(1), index++) {
            ConsoleRepository.DailyVolume volume = byDay.get(day);
            long amount = volume == null ? 0 : volume.amountWon();
            int height = max == 0 ? 0 : (int) Math.max(amount > 0 ? 1 : 0, amount * HEIGHT_PX / max);
            bars.add(new Bar(day, volume == null ? 0 : volume.count(), amount, index * BAR_PITCH_PX, HEIGHT_PX - height, height));
        }
        return new VolumeChart(bars, max);
    }

    public int widthPx() {
        return bars.size() * BAR_PITCH_PX;
    }

    public int heightPx() {
        return HEIGHT_PX;
    }

    record Bar(LocalDate day, int count, long amountWon, int x, int y, int height) {
    }
}
