package io.unbreakable.payments.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayoutReportsTest {

    @Test
    void formatsWonWithThousandsSeparatorsAndTheSignBeforeTheSymbol() {
        assertThat(PayoutReports.won(0)).isEqualTo("₩0");
        assertThat(PayoutReports.won(999)).isEqualTo("₩999");
        assertThat(PayoutReports.won(1_000)).isEqualTo("₩1,000");
        assertThat(PayoutReports.won(46_924_443_186L)).isEqualTo("₩46,924,443,186");
        assertThat(PayoutReports.won(-5_000)).isEqualTo("-₩5,000");
        assertThat(PayoutReports.won(-123_456)).isEqualTo("-₩123,456");
        assertThat(PayoutReports.won(Long.MIN_VALUE)).isEqualTo("-₩9,223,372,036,854,775,808");
    }
}
