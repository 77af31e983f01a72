package io.unbreakable.payments.batch.settlement;

/** The money of one settlement; {@code payoutAmount + carriedOutAmount = sales - fee - feeVat - withholding + carriedIn}. */
public record SettlementFigures(long salesAmount, long fee, long feeVat, long withholdingIncomeTax,
        long withholdingLocalTax, long withholding, long payoutAmount, long carriedOutAmount) {
}
