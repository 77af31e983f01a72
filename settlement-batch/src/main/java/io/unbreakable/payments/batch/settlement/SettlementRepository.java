package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;

import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The settlement job's SQL: set-based where it can be, keyset-paged where it must read. */
@Repository
class SettlementRepository {

    private final DSLContext db;
    private final TransactionTemplate nested;

    SettlementRepository(DSLContext db, PlatformTransactionManager tx) {
        this.db = db;
        this.nested = new TransactionTemplate(tx);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Stages the approvals and cancels of {@code salesDate} (Seoul), plus late PG outcomes of the
     * {@code lookbackDays} before it that were recorded since the day before (an UNKNOWN payment settled
     * by inquiry keeps the PG's approval time) and are not staged yet; merchants already settled for the
     * date are left for the next one. Each line keeps its paymentKey and orderId for the payout report.
     * Lines are written in merchant order, so a merchant's lines sit together for settling and reports.
     *
     * <p>The day's own rows are new unless this date was staged before or a later date took one of them
     * as a late outcome (dates settled out of order). The unique indexes catch both; only then does the
     * statement run again skipping what exists ({@code ON CONFLICT DO NOTHING}), because that speculative
     * insertion costs about a quarter of the staging time on every row (docs/benchmarks.md). The savepoint keeps
     * the step's transaction usable after the first attempt fails. Only the merchants of {@code slice}
     * are staged, so slices can be staged side by side on their own connections.
     */
    int stageLines(LocalDate salesDate, int lookbackDays, MerchantRange slice) {
        try {
            return nested.execute(status -> stageLinesSql(salesDate, lookbackDays, slice, "").execute());
        } catch (DuplicateKeyException alreadyStaged) {
            return stageLinesSql(salesDate, lookbackDays, slice, "on conflict do nothing").execute();
        }
    }

    /** The merchants of {@code range} cut into up to {@code count} slices of about as many merchants each. */
    List<MerchantRange> merchantSlices(MerchantRange range, int count) {
        List<Long> bounds = new ArrayList<>(List.of(range.from()));
        if (count > 1) {
            Double[] fractions = IntStream.range(1, count).mapToObj(k -> (double) k / count).toArray(Double[]::new);
            bounds.addAll(db.fetch("""
                    select unnest(percentile_disc(?::float8[]) within group (order by id)) from merchant where id >= ? and id < ?
                    """, fractions, range.from(), range.to()).getValues(0, Long.class));
        }
        bounds.add(range.to());
        List<MerchantRange> slices = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            if (bounds.get(i) != null && bounds.get(i) < bounds.get(i + 1)) {
                slices.add(new MerchantRange(bounds.get(i), bounds.get(i + 1)));
            }
        }
        return slices;
    }

    /**
     * Each merchant's approvals and cancels of the date, in merchant order, for cutting the date into
     * partitions of about equal work. Late outcomes of earlier days are left out: few, and wherever they fall
     * some partition's range holds them.
     */
    List<MerchantRangePartitioner.MerchantLines> linesByMerchant(LocalDate salesDate) {
        return db.fetch("""
                select merchant_id, count(*) from (
                    select p.merchant_id from payment p
                     where p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED') and p.approved_at >= {0} and p.approved_at < {1}
                    union all
                    select p.merchant_id from payment_cancel c join payment p on p.id = c.payment_id
                     where c.status = 'DONE' and c.canceled_at >= {0} and c.canceled_at < {1}
                ) line
                 group by merchant_id
                 order by merchant_id
                """, DSL.val(Seoul.startOf(salesDate)), DSL.val(Seoul.startOf(salesDate.plusDays(1))))
                .map(row -> new MerchantRangePartitioner.MerchantLines(row.get(0, Long.class), row.get(1, Long.class)));
    }

    private org.jooq.Query stageLinesSql(LocalDate salesDate, int lookbackDays, MerchantRange slice, String onConflict) {
        return db.query("""
                insert into settlement_line (merchant_id, sales_date, payment_id, cancel_id, kind, amount, fee_rate, occurred_at,
                                             payment_key, order_id)
                with candidate as (
                    select p.merchant_id, p.id as payment_id, null::bigint as cancel_id, 'APPROVAL' as kind, p.total_amount as amount,
                           p.approved_at as occurred_at, p.payment_key, p.order_pk
                      from payment p
                     where p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED') and p.approved_at >= {1} and p.approved_at < {2}
                    union all
                    select p.merchant_id, p.id, null, 'APPROVAL', p.total_amount, p.approved_at, p.payment_key, p.order_pk
                      from payment p
                     where p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED') and p.approved_at >= {3} and p.approved_at < {1}
                       and p.updated_at >= {4}
                       and not exists (select 1 from settlement_line l where l.kind = 'APPROVAL' and l.payment_id = p.id)
                    union all
                    select p.merchant_id, p.id, c.id, 'CANCEL', -c.cancel_amount, c.canceled_at, p.payment_key, p.order_pk
                      from payment_cancel c join payment p on p.id = c.payment_id
                     where c.status = 'DONE' and c.canceled_at >= {1} and c.canceled_at < {2}
                    union all
                    select p.merchant_id, p.id, c.id, 'CANCEL', -c.cancel_amount, c.canceled_at, p.payment_key, p.order_pk
                      from payment_cancel c join payment p on p.id = c.payment_id
                     where c.status = 'DONE' and c.canceled_at >= {3} and c.canceled_at < {1}
                       and c.requested_at >= {4}
                       and not exists (select 1 from settlement_line l where l.kind = 'CANCEL' and l.cancel_id = c.id)
                )
                select c.merchant_id, {0}, c.payment_id, c.cancel_id, c.kind, c.amount, m.fee_rate, c.occurred_at, c.payment_key, o.order_id
                  from candidate c join merchant m on m.id = c.merchant_id join orders o on o.id = c.order_pk
                 where c.merchant_id >= {5} and c.merchant_id < {6}
                   and not exists (select 1 from settlement s where s.merchant_id = c.merchant_id and s.sales_date = {0})
                 order by c.merchant_id
                """ + onConflict,
                DSL.val(salesDate), DSL.val(Seoul.startOf(salesDate)), DSL.val(Seoul.startOf(salesDate.plusDays(1))),
                DSL.val(Seoul.startOf(salesDate.minusDays(lookbackDays))), DSL.val(Seoul.startOf(salesDate.minusDays(1))),
                DSL.val(slice.from()), DSL.val(slice.to()));
    }

    /** After staging a day (up to millions of rows) the planner must know, before autovacuum gets to it. */
    void refreshLineStatistics() {
        db.execute("analyze settlement_line");
    }

    /**
     * For the progress log. Probes each merchant's lines by key: a distinct count over the day's million
     * lines took 0.5 s before the first chunk could start.
     */
    long countMerchantsToSettle(LocalDate salesDate, MerchantRange range) {
        return db.fetchValue("""
                select count(*) from merchant m
                 where m.id >= ? and m.id < ?
                   and exists (select 1 from settlement_line l where l.sales_date = ?::date and l.merchant_id = m.id)
                   and not exists (select 1 from settlement s where s.merchant_id = m.id and s.sales_date = ?::date)
                """, range.from(), range.to(), salesDate, salesDate) instanceof Number number ? number.longValue() : 0;
    }

    /**
     * The next page of merchants of {@code range} with staged lines and no settlement yet, after {@code
     * afterMerchantId} (keyset: a restarted run simply does not see the merchants it already settled).
     */
    List<SettlementInput> nextInputs(LocalDate salesDate, MerchantRange range, long afterMerchantId, int pageSize) {
        return db.fetch("""
                select l.merchant_id, m.business_type, max(l.fee_rate) as fee_rate,
                       count(*) filter (where l.kind = 'APPROVAL') as approval_count,
                       coalesce(sum(l.amount) filter (where l.kind = 'APPROVAL'), 0) as approval_amount,
                       count(*) filter (where l.kind = 'CANCEL') as cancel_count,
                       coalesce(-sum(l.amount) filter (where l.kind = 'CANCEL'), 0) as cancel_amount,
                       coalesce((select s.carried_out_amount from settlement s
                                  where s.merchant_id = l.merchant_id and s.sales_date < ?::date
                                  order by s.sales_date desc limit 1), 0) as carried_in_amount
                  from settlement_line l join merchant m on m.id = l.merchant_id
                 where l.sales_date = ?::date and l.merchant_id > ? and l.merchant_id < ?
                   and not exists (select 1 from settlement s where s.merchant_id = l.merchant_id and s.sales_date = l.sales_date)
                 group by l.merchant_id, m.business_type
                 order by l.merchant_id
                 limit ?
                """, salesDate, salesDate, afterMerchantId, range.to(), pageSize)
                .map(SettlementRepository::toInput);
    }

    /** Inserts the settlements of one chunk and returns their ids in the same order. */
    List<Long> insertSettlements(LocalDate salesDate, List<SettlementDraft> drafts) {
        var insert = db.insertInto(SETTLEMENT, SETTLEMENT.MERCHANT_ID, SETTLEMENT.SALES_DATE,
                SETTLEMENT.BUSINESS_TYPE, SETTLEMENT.APPROVAL_COUNT, SETTLEMENT.APPROVAL_AMOUNT, SETTLEMENT.CANCEL_COUNT,
                SETTLEMENT.CANCEL_AMOUNT, SETTLEMENT.SALES_AMOUNT, SETTLEMENT.FEE, SETTLEMENT.FEE_VAT,
                SETTLEMENT.WITHHOLDING_INCOME_TAX, SETTLEMENT.WITHHOLDING_LOCAL_TAX, SETTLEMENT.WITHHOLDING,
                SETTLEMENT.CARRIED_IN_AMOUNT, SETTLEMENT.CARRIED_OUT_AMOUNT, SETTLEMENT.PAYOUT_AMOUNT,
                SETTLEMENT.PAYOUT_DATE, SETTLEMENT.FEE_RATE);
        for (SettlementDraft draft : drafts) {
            SettlementInput in = draft.input();
            SettlementFigures out = draft.figures();
            insert = insert.values(in.merchantId(), salesDate, in.businessType(), in.approvalCount(), in.approvalAmount(),
                    in.cancelCount(), in.cancelAmount(), out.salesAmount(), out.fee(), out.feeVat(), out.withholdingIncomeTax(),
                    out.withholdingLocalTax(), out.withholding(), in.carriedInAmount(), out.carriedOutAmount(),
                    out.payoutAmount(), draft.payoutDate(), in.feeRate());
        }
        return insert.returningResult(SETTLEMENT.ID).fetch(SETTLEMENT.ID);
    }

    /** A payout for each of these settlements that pays something, with the bank account as of now; their ids. */
    List<Long> insertPayouts(List<Long> settlementIds) {
        return db.fetch("""
                insert into payout (settlement_id, merchant_id, amount, payout_date, status, bank_code, account_number, account_holder)
                select s.id, s.merchant_id, s.payout_amount, s.payout_date, 'SCHEDULED',
                       m.payout_bank_code, m.payout_account_number, m.payout_account_holder
                  from settlement s join merchant m on m.id = s.merchant_id
                 where s.id = any(?::bigint[]) and s.payout_amount > 0
                on conflict (settlement_id) do nothing
                returning id
                """, (Object) settlementIds.toArray(Long[]::new))
                .getValues(0, Long.class);
    }

    /**
     * The next page of the date's payouts of {@code range} whose report is not written yet (a partial index
     * holds just those).
     */
    List<Long> payoutIdsWithoutReport(LocalDate salesDate, MerchantRange range, long afterPayoutId, int pageSize) {
        return db.select(PAYOUT.ID).from(PAYOUT).join(SETTLEMENT).on(SETTLEMENT.ID.eq(PAYOUT.SETTLEMENT_ID))
                .where(PAYOUT.REPORT_CSV_PATH.isNull()).and(PAYOUT.ID.gt(afterPayoutId)).and(SETTLEMENT.SALES_DATE.eq(salesDate))
                .and(PAYOUT.MERCHANT_ID.ge(range.from())).and(PAYOUT.MERCHANT_ID.lt(range.to()))
                .orderBy(PAYOUT.ID).limit(pageSize)
                .fetch(PAYOUT.ID);
    }

    /** The date's settlements summed up, for the job's closing log line. */
    Map<String, Object> totals(LocalDate salesDate) {
        return db.fetchOne("""
                select count(*) as merchants, coalesce(sum(sales_amount), 0) as sales, coalesce(sum(fee), 0) as fee,
                       coalesce(sum(fee_vat), 0) as fee_vat, coalesce(sum(withholding), 0) as withholding,
                       coalesce(sum(payout_amount), 0) as payout, coalesce(sum(carried_out_amount), 0) as carried_out
                  from settlement where sales_date = ?::date
                """, salesDate).intoMap();
    }

    private static SettlementInput toInput(Record record) {
        return new SettlementInput(record.get("merchant_id", Long.class), record.get("business_type", String.class),
                record.get("fee_rate", java.math.BigDecimal.class), record.get("approval_count", Integer.class),
                record.get("approval_amount", Long.class), record.get("cancel_count", Integer.class),
                record.get("cancel_amount", Long.class), record.get("carried_in_amount", Long.class));
    }
}
