package io.unbreakable.payments.api.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
class SettlementRepository {

    private final DSLContext db;

    SettlementRepository(DSLContext db) {
        this.db = db;
    }

    List<Settlement> find(LocalDate salesDate, Long merchantId) {
        Condition condition = SETTLEMENT.SALES_DATE.eq(salesDate);
        if (merchantId != null) {
            condition = condition.and(SETTLEMENT.MERCHANT_ID.eq(merchantId));
        }
        return find(condition, Integer.MAX_VALUE);
    }

    /** A merchant's latest settlements, newest sales date first. */
    List<Settlement> latest(long merchantId, int limit) {
        return find(SETTLEMENT.MERCHANT_ID.eq(merchantId), limit);
    }

    /** One settlement; with a merchant, only if it is that merchant's. */
    Optional<Settlement> findById(long settlementId, Long merchantId) {
        Condition condition = SETTLEMENT.ID.eq(settlementId);
        if (merchantId != null) {
            condition = condition.and(SETTLEMENT.MERCHANT_ID.eq(merchantId));
        }
        return find(condition, 1).stream().findFirst();
    }

    private List<Settlement> find(Condition condition, int limit) {
        return db.select(SETTLEMENT.asterisk(), PAYOUT.ID, PAYOUT.STATUS)
                .from(SETTLEMENT).leftJoin(PAYOUT).on(PAYOUT.SETTLEMENT_ID.eq(SETTLEMENT.ID))
                .where(condition)
                .orderBy(SETTLEMENT.SALES_DATE.desc(), SETTLEMENT.MERCHANT_ID)
                .limit(limit)
                .fetch(SettlementRepository::toSettlement);
    }

    /** The stored path of a payout report; with a merchant, only if the payout belongs to it. */
    Optional<String> reportPath(Long merchantId, long payoutId, boolean csv) {
        Condition condition = PAYOUT.ID.eq(payoutId);
        if (merchantId != null) {
            condition = condition.and(PAYOUT.MERCHANT_ID.eq(merchantId));
        }
        return db.select(csv ? PAYOUT.REPORT_CSV_PATH : PAYOUT.REPORT_HTML_PATH).from(PAYOUT)
                .where(condition)
                .fetchOptional(record -> record.value1());
    }

    private static Settlement toSettlement(Record r) {
        return new Settlement(r.get(SETTLEMENT.ID), r.get(SETTLEMENT.MERCHANT_ID), r.get(SETTLEMENT.SALES_DATE),
                r.get(SETTLEMENT.BUSINESS_TYPE), r.get(SETTLEMENT.FEE_RATE), r.get(SETTLEMENT.APPROVAL_COUNT),
                r.get(SETTLEMENT.APPROVAL_AMOUNT), r.get(SETTLEMENT.CANCEL_COUNT), r.get(SETTLEMENT.CANCEL_AMOUNT),
                r.get(SETTLEMENT.SALES_AMOUNT), r.get(SETTLEMENT.FEE), r.get(SETTLEMENT.FEE_VAT),
                r.get(SETTLEMENT.WITHHOLDING_INCOME_TAX), r.get(SETTLEMENT.WITHHOLDING_LOCAL_TAX), r.get(SETTLEMENT.WITHHOLDING),
                r.get(SETTLEMENT.CARRIED_IN_AMOUNT), r.get(SETTLEMENT.CARRIED_OUT_AMOUNT), r.get(SETTLEMENT.PAYOUT_AMOUNT),
                r.get(SETTLEMENT.PAYOUT_DATE), r.get(PAYOUT.ID), r.get(PAYOUT.STATUS));
    }
}
