package io.unbreakable.payments.settlement;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A merchant's settlement of a sales date as the API answers it (GET /v1/settlements) and SETTLEMENT_COMPLETED reports it. */
public record SettlementResponse(long merchantId, LocalDate salesDate, String businessType, String feeRate, int approvalCount,
        long approvalAmount, int cancelCount, long cancelAmount, long salesAmount, long fee, long feeVat,
        long withholdingIncomeTax, long withholdingLocalTax, long withholding, long carriedInAmount,
        long carriedOutAmount, long payoutAmount, LocalDate payoutDate, Long payoutId, String payoutStatus) {

    public static SettlementResponse of(Settlement s) {
        return new SettlementResponse(s.merchantId(), s.salesDate(), s.businessType(), plain(s.feeRate()), s.approvalCount(),
                s.approvalAmount(), s.cancelCount(), s.cancelAmount(), s.salesAmount(), s.fee(), s.feeVat(),
                s.withholdingIncomeTax(), s.withholdingLocalTax(), s.withholding(), s.carriedInAmount(),
                s.carriedOutAmount(), s.payoutAmount(), s.payoutDate(), s.payoutId(), s.payoutStatus());
    }

    private static String plain(BigDecimal rate) {
        return rate.stripTrailingZeros().toPlainString();
    }
}
