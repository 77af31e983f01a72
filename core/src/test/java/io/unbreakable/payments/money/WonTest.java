package io.unbreakable.payments.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class WonTest {

    @Test
    void vatIncludedInAnAmountIsOneEleventhHalfUp() {
        assertThat(Won.vatIncludedIn(11_000)).isEqualTo(1_000);
        assertThat(Won.vatIncludedIn(10_000)).isEqualTo(909);   // 909.09
        assertThat(Won.vatIncludedIn(15_400)).isEqualTo(1_400);
        assertThat(Won.vatIncludedIn(5)).isEqualTo(0);          // 0.45
        assertThat(Won.vatIncludedIn(6)).isEqualTo(1);          // 0.545
        assertThat(Won.vatIncludedIn(16_500)).isEqualTo(1_500);
        assertThat(Won.vatIncludedIn(38_500 + 5)).isEqualTo(3_500); // 3500.45
    }

    @Test
    void feeIsHalfUpToTheWonAndSymmetricForRefunds() {
        BigDecimal rate = new BigDecimal("0.033");
        assertThat(Won.timesRateHalfUp(10_000, rate)).isEqualTo(330);
        assertThat(Won.timesRateHalfUp(15_150, rate)).isEqualTo(500);   // 499.95
        assertThat(Won.timesRateHalfUp(15_136, rate)).isEqualTo(499);   // 499.488
        assertThat(Won.timesRateHalfUp(-15_150, rate)).isEqualTo(-500);
    }

    @Test
    void vatOnAFeeIsTenPercentHalfUp() {
        assertThat(Won.vatOn(330)).isEqualTo(33);
        assertThat(Won.vatOn(335)).isEqualTo(34);   // 33.5
        assertThat(Won.vatOn(334)).isEqualTo(33);   // 33.4
        assertThat(Won.vatOn(-335)).isEqualTo(-34);
    }

    @Test
    void taxIsTruncatedBelowTenWon() {
        assertThat(Won.truncateTo10Won(2_999)).isEqualTo(2_990);
        assertThat(Won.truncateTo10Won(1_000)).isEqualTo(1_000);
        assertThat(Won.truncateTo10Won(9)).isEqualTo(0);
        assertThat(Won.timesRateTruncatedTo10Won(99_999, new BigDecimal("0.03"))).isEqualTo(2_990);   // 2999.97
        assertThat(Won.timesRateTruncatedTo10Won(2_990, new BigDecimal("0.10"))).isEqualTo(290);      // 299
        assertThat(Won.timesRateTruncatedTo10Won(33_340, new BigDecimal("0.03"))).isEqualTo(1_000);   // 1000.2
    }
}
