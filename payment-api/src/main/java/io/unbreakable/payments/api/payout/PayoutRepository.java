package io.unbreakable.payments.api.payout;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;

import io.unbreakable.payments.api.merchant.PayoutAccount;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.payout.PayoutStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class PayoutRepository {

    private final DSLContext db;
    private final DataCipher cipher;

    PayoutRepository(DSLContext db, DataCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** Up to {@code limit} payouts of the filter, newest payout date first. */
    List<Payout> find(PayoutFilter filter, int limit) {
        return db.select(PAYOUT.asterisk(), MERCHANT.NAME).from(PAYOUT).join(MERCHANT).on(MERCHANT.ID.eq(PAYOUT.MERCHANT_ID))
                .where(condition(filter))
                .orderBy(PAYOUT.PAYOUT_DATE.desc(), PAYOUT.ID)
                .limit(limit)
                .fetch(this::toPayout);
    }

    Optional<Payout> findById(long payoutId, Long merchantId) {
        return db.select(PAYOUT.asterisk(), MERCHANT.NAME).from(PAYOUT).join(MERCHANT).on(MERCHANT.ID.eq(PAYOUT.MERCHANT_ID))
                .where(condition(new PayoutFilter(null, null, merchantId))).and(PAYOUT.ID.eq(payoutId))
                .fetchOptional(this::toPayout);
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

    private Payout toPayout(Record r) {
        String stored = r.get(PAYOUT.ACCOUNT_NUMBER);
        PayoutAccount account = stored == null ? null : new PayoutAccount(r.get(PAYOUT.BANK_CODE),
                cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, stored), r.get(PAYOUT.ACCOUNT_HOLDER)).masked();
        return new Payout(r.get(PAYOUT.ID), r.get(PAYOUT.MERCHANT_ID), r.get(MERCHANT.NAME), r.get(PAYOUT.SETTLEMENT_ID), r.get(PAYOUT.AMOUNT),
                r.get(PAYOUT.PAYOUT_DATE), PayoutStatus.valueOf(r.get(PAYOUT.STATUS)), r.get(PAYOUT.STATUS_REASON),
                r.get(PAYOUT.STATUS_MESSAGE), r.get(PAYOUT.ATTEMPT), r.get(PAYOUT.GATEWAY), account, r.get(PAYOUT.REQUESTED_AT),
                r.get(PAYOUT.PAID_AT), r.get(PAYOUT.UPDATED_AT));
    }
}
