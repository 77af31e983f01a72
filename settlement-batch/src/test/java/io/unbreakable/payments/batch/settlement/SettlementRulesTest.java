package io.unbreakable.payments.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Worked examples of the rules, by hand: every figure below can be checked with a calculator. */
class SettlementRulesTest {

    private static SettlementFigures settle(String type, String feeRate, long approvals, long cancels, long carriedIn) {
        return SettlementRules.settle(new SettlementInput(1, type, new BigDecimal(feeRate), 1, approvals, cancels > 0 ? 1 : 0, cancels, carriedIn));
    }

    @Test
    void aBusinessSellerPaysFeeAndVatButNoWithholding() {
        // 100,000 x 3.3 % = 3,300; VAT 330; paid 96,370
        assertThat(settle("BUSINESS", "0.033", 100_000, 0, 0))
                .isEqualTo(new SettlementFigures(100_000, 3_300, 330, 0, 0, 0, 96_370, 0));
    }

    @Test
    void anIndividualSellerAboveTheThresholdHasIncomeAndLocalTaxWithheldTruncatedTo10Won() {
        // fee 33,000; VAT 3,300; base 963,700; income tax 28,911 -> 28,910; local 2,891 -> 2,890
        assertThat(settle("INDIVIDUAL", "0.033", 1_000_000, 0, 0))
                .isEqualTo(new SettlementFigures(1_000_000, 33_000, 3_300, 28_910, 2_890, 31_800, 931_900, 0));
    }

    @Test
    void anIndividualSellerBelowTheThresholdHasNothingWithheld() {
        // fee 990; VAT 99; base 28,911; income tax 867 -> 860 < 1,000: 소액부징수
        assertThat(settle("INDIVIDUAL", "0.033", 30_000, 0, 0))
                .isEqualTo(new SettlementFigures(30_000, 990, 99, 0, 0, 0, 28_911, 0));
    }

    @Test
    void theThresholdIsOnTheTruncatedIncomeTax() {
        // base 33,340 -> 1,000.2 -> 1,000: withheld; local 100
        SettlementFigures figures = SettlementRules.settle(new SettlementInput(1, "INDIVIDUAL", BigDecimal.ZERO, 1, 33_340, 0, 0, 0));
        assertThat(figures.withholdingIncomeTax()).isEqualTo(1_000);
        assertThat(figures.withholdingLocalTax()).isEqualTo(100);
        assertThat(figures.payoutAmount()).isEqualTo(32_240);
    }

    @Test
    void aRefundHeavyDayGivesTheFeeBackAndCarriesTheNegativeBalance() {
        // sales -40,000; fee -1,200; VAT -120; net -38,680: nothing paid, all carried
        assertThat(settle("INDIVIDUAL", "0.03", 10_000, 50_000, 0))
                .isEqualTo(new SettlementFigures(-40_000, -1_200, -120, 0, 0, 0, 0, -38_680));
    }

    @Test
    void aCarriedBalanceIsOffsetAgainstTheNextPayout() {
        // 100,000 - 3,000 - 300 - 38,680 = 58,020
        assertThat(settle("BUSINESS", "0.03", 100_000, 0, -38_680))
                .isEqualTo(new SettlementFigures(100_000, 3_000, 300, 0, 0, 0, 58_020, 0));
        // still short: carried on
        assertThat(settle("BUSINESS", "0.03", 10_000, 0, -38_680).carriedOutAmount()).isEqualTo(-29_010);
    }

    @Test
    void feesRoundHalfUp() {
        // 15,150 x 3.3 % = 499.95 -> 500; VAT 50
        SettlementFigures figures = settle("BUSINESS", "0.033", 15_150, 0, 0);
        assertThat(figures.fee()).isEqualTo(500);
        assertThat(figures.feeVat()).isEqualTo(50);
    }
}
