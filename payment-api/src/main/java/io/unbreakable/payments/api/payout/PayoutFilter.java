package io.unbreakable.payments.api.payout;

import io.unbreakable.payments.payout.PayoutStatus;
import java.time.LocalDate;

/** Which payouts to list; every part optional. */
public record PayoutFilter(LocalDate payoutDate, PayoutStatus status, Long merchantId) {

    public static PayoutFilter ofMerchant(long merchantId) {
        return new PayoutFilter(null, null, merchantId);
    }
}
