package io.unbreakable.payments.batch.settlement;

import io.unbreakable.payments.money.Won;
import java.math.BigDecimal;

/**
 * The D+1 settlement rules, as pure arithmetic on whole won. Every rounding is named:
 * <ul>
 *   <li>fee = sales x fee rate, half-up to the won (negative on a net-refund day: the fee comes back);</li>
 *   <li>feeVat = 10 % of the fee, half-up (Toss rounds VAT to the nearest won);</li>
 *   <li>withholding, INDIVIDUAL sellers only, on what is paid to them (sales - fee - feeVat):
 *       income tax 3 % and local income tax 10 % of the income tax, each truncated to 10 won
 *       (국고금 끝수 처리); nothing when the income tax is under 1,000 won (소액부징수) or the base is
 *       not positive;</li>
 *   <li>payout = sales - fee - feeVat - withholding + carried-in (a negative balance from before);
 *       a negative result is not paid but carried out to the next settlement (상계), never lost.</li>
 * </ul>
 */
public final class SettlementRules {

    static final BigDecimal INCOME_TAX_RATE = new BigDecimal("0.03");
    static final BigDecimal LOCAL_INCOME_TAX_RATE = new BigDecimal("0.10");
    static final long MIN_INCOME_TAX_WON = 1_000;

    private SettlementRules() {
    }

    public static SettlementFigures settle(SettlementInput input) {
        long sales = Math.subtractExact(input.approvalAmount(), input.cancelAmount());
        long fee = Won.timesRateHalfUp(sales, input.feeRate());
        long feeVat = Won.vatOn(fee);
        long paidToSeller = sales - fee - feeVat;
        long incomeTax = 0;
        long localIncomeTax = 0;
        if (input.businessType().equals("INDIVIDUAL") && paidToSeller > 0) {
            incomeTax = Won.timesRateTruncatedTo10Won(paidToSeller, INCOME_TAX_RATE);
            if (incomeTax < MIN_INCOME_TAX_WON) {
                incomeTax = 0; // 소액부징수
            } else {
                localIncomeTax = Won.timesRateTruncatedTo10Won(incomeTax, LOCAL_INCOME_TAX_RATE);
            }
        }
        long withholding = incomeTax + localIncomeTax;
        long net = paidToSeller - withholding + input.carriedInAmount();
        return new SettlementFigures(sales, fee, feeVat, incomeTax, localIncomeTax, withholding, Math.max(net, 0), Math.min(net, 0));
    }
}
