package io.unbreakable.payments.api.payout;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.payout.Payout;
import io.unbreakable.payments.payout.PayoutReads;
import io.unbreakable.payments.payout.PayoutStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class PayoutRepository {

    private final DSLContext db;
    private final PayoutReads reads;

    PayoutRepository(DSLContext db, DataCipher cipher) {
        this.db = db;
        this.reads = new PayoutReads(db, cipher);
    }

    /** Up to {@code limit} payouts of the filter, newest payout date first. */
    List<Payout> find(PayoutFilter filter, int limit) {
        return reads.find(condition(filter), limit);
    }

    Optional<Payout> findById(long payoutId, Long merchantId) {
        return reads.find(condition(new PayoutFilter(null, null, merchantId)).and(PAYOUT.ID.eq(payoutId)), 1).stream().findFirst();
    }

    PayoutTotals totals(PayoutFilter filter) {
        Map<PayoutStatus, PayoutTotals.StatusTotal> byStatus = new EnumMap<>(PayoutStatus.class);
        long count = 0;
        long amount = 0;
        for (var row : db.select(PAYOUT.STATUS, count(), DSL.coalesce(sum(PAYOUT.AMOUNT), DSL.inline(java.math.BigDecimal.ZERO)))
                .from(PAYOUT).where(condition(filter)).groupBy(PAYOUT.STATUS).fetch()) {
            long won = row.value3().longValue();
            byStatus.put(PayoutStatus.valueOf(row.value1()), new PayoutTotals.StatusTotal(row.value2(), won));
            count += row.value2();
            amount += won;
        }
        return new PayoutTotals(count, amount, byStatus);
    }

    private static Condition condition(PayoutFilter filter) {
        Condition condition = DSL.noCondition();
        if (filter.payoutDate() != null) {
            condition = condition.and(PAYOUT.PAYOUT_DATE.eq(filter.payoutDate()));
        }
        if (filter.status() != null) {
            condition = condition.and(PAYOUT.STATUS.eq(filter.status().name()));
        }
        if (filter.merchantId() != null) {
            condition = condition.and(PAYOUT.MERCHANT_ID.eq(filter.merchantId()));
        }
        return condition;
    }
}
