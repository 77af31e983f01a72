package io.unbreakable.payments.api.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;

import io.unbreakable.payments.settlement.Settlement;
import io.unbreakable.payments.settlement.SettlementReads;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
class SettlementRepository {

    private final DSLContext db;

    private final SettlementReads reads;

    SettlementRepository(DSLContext db) {
        this.db = db;
        this.reads = new SettlementReads(db);
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
        return reads.find(condition, limit);
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
}
