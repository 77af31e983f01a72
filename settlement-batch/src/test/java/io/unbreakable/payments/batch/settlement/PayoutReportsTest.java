package io.unbreakable.payments.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

    @Test
    void encodesReportTextAsUtf8WhateverItsCharactersAndLength() throws Exception {
        // 1, 2, 3 and 4 bytes a character, and a lone surrogate (which the JDK writes as '?')
        String line = "2026-11-23 12:00:00,승인,order-1,pk_1,-20000,0.033,Café ₩ 🍞 \uD800 end\r\n";
        String longerThanTheBuffer = "정".repeat(30_000); // 90 KB in one append
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PayoutReports.Utf8 report = new PayoutReports.Utf8(written);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2_000; i++) { // ~140 KB: the 64 KB buffer is written out twice on the way
            report.append(line).append(i % 2 == 0 ? ',' : ';');
            expected.append(line).append(i % 2 == 0 ? ',' : ';');
            if (i == 1_000) {
                report.append(longerThanTheBuffer);
                expected.append(longerThanTheBuffer);
            }
        }
        report.flush();

        assertThat(written.toByteArray()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
    }
}
