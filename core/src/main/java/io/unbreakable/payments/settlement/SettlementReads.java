package io.unbreakable.payments.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;

import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Reads settlements with their payouts: the one query behind the API's settlement object, for its endpoints and the webhook outbox. */
public final class SettlementReads {

    private final DSLContext db;

    public SettlementReads(DSLContext db) {
        this.db = db;
    }

    public List<Settlement> find(Condition condition, int limit) {
        return db.select(SETTLEMENT.asterisk(), PAYOUT.ID, PAYOUT.STATUS)
                .from(SETTLEMENT).leftJoin(PAYOUT).on(PAYOUT.SETTLEMENT_ID.eq(SETTLEMENT.ID))
                .where(condition)
                .orderBy(SETTLEMENT.SALES_DATE.desc(), SETTLEMENT.MERCHANT_ID)
                .limit(limit)
                .fetch(SettlementReads::toSettlement);
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
