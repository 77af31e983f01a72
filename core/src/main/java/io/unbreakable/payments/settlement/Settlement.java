package io.unbreakable.payments.settlement;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A settlement as the batch wrote it, with its payout when there is one. */
public record Settlement(long settlementId, long merchantId, LocalDate salesDate, String businessType, BigDecimal feeRate,
        int approvalCount, long approvalAmount, int cancelCount, long cancelAmount, long salesAmount, long fee, long feeVat,
        long withholdingIncomeTax, long withholdingLocalTax, long withholding, long carriedInAmount, long carriedOutAmount,
        long payoutAmount, LocalDate payoutDate, Long payoutId, String payoutStatus) {
}
