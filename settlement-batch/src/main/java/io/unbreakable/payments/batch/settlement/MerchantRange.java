package io.unbreakable.payments.batch.settlement;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Merchant ids {@code from} (inclusive) to {@code to} (exclusive): a partition's share of a date, or a slice of it. */
record MerchantRange(long from, long to) {

    /** Every merchant: ids are positive. */
    static final MerchantRange ALL = new MerchantRange(0, Long.MAX_VALUE);

    /** The key just below the range, where a keyset read over it starts. */
    long before() {
        return from - 1;
    }

    static String format(List<MerchantRange> ranges) {
        return ranges.stream().map(range -> range.from + "-" + range.to).collect(Collectors.joining(","));
    }

    static List<MerchantRange> parse(String ranges) {
        return Arrays.stream(ranges.split(",")).map(range -> {
            int dash = range.indexOf('-');
            return new MerchantRange(Long.parseLong(range.substring(0, dash)), Long.parseLong(range.substring(dash + 1)));
        }).toList();
    }
}
