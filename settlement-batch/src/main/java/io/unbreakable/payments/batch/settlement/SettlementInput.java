package io.unbreakable.payments.batch.settlement;

import java.math.BigDecimal;

/**
 * One merchant's staged transactions of a sales date, aggregated in SQL.
 *
 * @param cancelAmount the cancels as a positive amount
 * @param carriedInAmount the negative balance left by the merchant's previous settlement (<= 0)
 */
public record SettlementInput(long merchantId, String businessType, BigDecimal feeRate, int approvalCount,
        long approvalAmount, int cancelCount, long cancelAmount, long carriedInAmount) {
}
