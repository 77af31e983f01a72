package io.unbreakable.payments.api.merchant;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

public record Merchant(long merchantId, String name, BusinessType businessType, BigDecimal feeRate,
        String secretKeyPrefix, OffsetDateTime createdAt) {

    public enum BusinessType {
        /** 개인 (a person, not a company): 3.3 % withheld from payouts. */
        INDIVIDUAL,
        /** 사업자: no withholding. */
        BUSINESS
    }
}
