package io.unbreakable.payments.api.merchant;

import io.unbreakable.payments.payout.PayoutAccount;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * @param pgProviders the PGs its new payments try, in order; empty = the system default ({@code payments.pg.default-providers})
 * @param payoutAccount where payouts go, its number masked (null when none was given)
 * @param payoutAccountCheck the account holder check (예금주 조회) of that account: UNVERIFIED until the payout job
 *     asks the payout provider before the first payout to it, then VERIFIED or MISMATCH (its payouts are held)
 */
public record Merchant(long merchantId, String name, BusinessType businessType, BigDecimal feeRate,
        String secretKeyPrefix, OffsetDateTime createdAt, List<String> pgProviders, PayoutAccount payoutAccount,
        String payoutAccountCheck) {

    public Merchant {
        pgProviders = pgProviders == null ? List.of() : List.copyOf(pgProviders);
    }

    public enum BusinessType {
        /** 개인 (a person, not a company): 3.3 % withheld from payouts. */
        INDIVIDUAL,
        /** 사업자: no withholding. */
        BUSINESS
    }
}
