package io.unbreakable.payments.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.settlement.MerchantRangePartitioner.MerchantLines;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MerchantRangePartitionerTest {

    @Test
    void cutsEvenlySpreadMerchantsIntoRangesOfEqualLineCounts() {
        List<MerchantLines> merchants = LongStream.rangeClosed(1, 100).mapToObj(id -> new MerchantLines(id, 10)).toList();

        List<MerchantRange> ranges = MerchantRangePartitioner.balance(merchants, 4);

        assertThat(ranges).extracting(range -> lines(merchants, range)).containsExactly(250L, 250L, 250L, 250L);
        assertCoversEveryId(ranges);
    }

    @Test
    void givesASellerWithHalfTheLinesARangeOfItsOwnAndSharesTheRestEvenly() {
        for (long bigSeller : List.of(1L, 37L, 100L)) {
            List<MerchantLines> merchants = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                merchants.add(new MerchantLines(id, id == bigSeller ? 990 : 10)); // 990 of 1,980 lines
            }

            List<MerchantRange> ranges = MerchantRangePartitioner.balance(merchants, 4);

            MerchantRange own = ranges.stream().filter(range -> range.from() <= bigSeller && bigSeller < range.to()).findFirst().orElseThrow();
            assertThat(lines(merchants, own)).as("big seller %d alone in its range", bigSeller).isEqualTo(990);
            // the other 990 lines over three ranges: 330 each within 10 % (ranges are contiguous: the merchants
            // before the big seller are one range or more, e.g. 360 lines when it is the 37th)
            assertThat(ranges).filteredOn(range -> range != own).extracting(range -> lines(merchants, range))
                    .as("big seller %d", bigSeller).hasSize(3).allSatisfy(lines -> assertThat(lines).isBetween(297L, 363L));
            assertCoversEveryId(ranges);
        }
    }

    @Test
    void cutsTheWholeListInOnePassWhenBigSellersAndTheSmallOnesBetweenThemOutnumberTheRanges() {
        // three sellers with a range's share each and small ones around them: seven runs for four ranges
        List<MerchantLines> merchants = List.of(new MerchantLines(1, 10), new MerchantLines(2, 100), new MerchantLines(3, 10),
                new MerchantLines(4, 100), new MerchantLines(5, 10), new MerchantLines(6, 100), new MerchantLines(7, 10));

        List<MerchantRange> ranges = MerchantRangePartitioner.balance(merchants, 4);

        assertThat(ranges).extracting(range -> lines(merchants, range)).containsExactly(110L, 110L, 110L, 10L);
        assertCoversEveryId(ranges);
    }

    @Test
    void twoBigSellersEachGetARangeAndTheSmallOnesBeforeThemOneEach() {
        List<MerchantLines> merchants = new ArrayList<>();
        for (long id = 1; id <= 40; id++) {
            merchants.add(new MerchantLines(id, id == 20 || id == 40 ? 400 : 10)); // 800 of 1,180 lines
        }

        List<MerchantRange> ranges = MerchantRangePartitioner.balance(merchants, 4);

        assertThat(ranges).extracting(range -> lines(merchants, range)).containsExactly(190L, 400L, 190L, 400L);
        assertCoversEveryId(ranges);
    }

    @Test
    void padsWithEmptyRangesWhenThereAreFewerMerchantsThanPartitions() {
        List<MerchantLines> merchants = List.of(new MerchantLines(7, 3), new MerchantLines(9, 5));

        List<MerchantRange> ranges = MerchantRangePartitioner.balance(merchants, 4);

        assertThat(ranges).hasSize(4);
        assertThat(ranges).extracting(range -> lines(merchants, range)).containsExactly(3L, 5L, 0L, 0L);
        assertThat(MerchantRangePartitioner.balance(List.of(), 3)).containsExactly(MerchantRange.ALL,
                new MerchantRange(Long.MAX_VALUE, Long.MAX_VALUE), new MerchantRange(Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void keepsRangesInTheJobContextAsText() {
        List<MerchantRange> ranges = List.of(new MerchantRange(0, 17), new MerchantRange(17, Long.MAX_VALUE));

        assertThat(MerchantRange.parse(MerchantRange.format(ranges))).isEqualTo(ranges);
    }

    private static long lines(List<MerchantLines> merchants, MerchantRange range) {
        return merchants.stream().filter(m -> range.from() <= m.merchantId() && m.merchantId() < range.to())
                .mapToLong(MerchantLines::lines).sum();
    }

    /** Adjacent ranges from 0 to the largest id: every merchant, including one with only late outcomes, is in one. */
    private static void assertCoversEveryId(List<MerchantRange> ranges) {
        assertThat(ranges.get(0).from()).isZero();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to());
        }
        assertThat(ranges.get(ranges.size() - 1).to()).isEqualTo(Long.MAX_VALUE);
    }
}
