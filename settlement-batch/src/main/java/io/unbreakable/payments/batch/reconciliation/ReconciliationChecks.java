package io.unbreakable.payments.batch.reconciliation;

import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.TrialBalance;
import io.unbreakable.payments.money.Won;
import io.unbreakable.payments.time.Seoul;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * The reconciliation checks of a date, each one SQL statement that returns what does not add up.
 * Amounts compared: ledger vs wallets, debits vs credits, payout clearing and in-transit accounts vs the
 * open payouts, each payment's ledger total vs its approved minus cancelled amount, settlements vs their lines, and ours vs the PG's settlement file.
 */
@Component
class ReconciliationChecks {

    private final DSLContext db;
    private final LedgerService ledger;

    ReconciliationChecks(DSLContext db, LedgerService ledger) {
        this.db = db;
        this.ledger = ledger;
    }

    List<Discrepancy> all(LocalDate date, List<PgSettlementFile.Row> pgRows, BigDecimal pgFeeRate) {
        List<Discrepancy> found = new ArrayList<>();
        ledger.walletDiscrepancies().forEach(wallet -> found.add(new Discrepancy("WALLET_LEDGER_MISMATCH",
                "merchant:" + wallet.merchantId(), wallet.ledgerBalance(), wallet.walletBalance(),
                "wallet balance differs from its SELLER_PAYABLE ledger account")));
        TrialBalance balance = ledger.trialBalance();
        if (!balance.balanced()) {
            found.add(new Discrepancy("TRIAL_BALANCE", "ledger", balance.debitTotal(), balance.creditTotal(),
                    "total debits differ from total credits"));
        }
        found.addAll(payoutAccountsOffOpenPayouts());
        found.addAll(paymentsOffTheirLedger(date));
        found.addAll(settlementsOffTheirLines(date));
        if (pgRows != null) {
            found.addAll(againstPgFile(date, pgRows, pgFeeRate));
        }
        return found;
    }

    /**
     * PAYOUT_CLEARING must hold exactly the payouts not sent yet (SCHEDULED, HELD, RELEASED) and
     * PAYOUTS_IN_TRANSIT exactly those sent without a result (REQUESTED, UNKNOWN): a won more or less means
     * a payout moved without its posting, or the other way round.
     */
    private List<Discrepancy> payoutAccountsOffOpenPayouts() {
        return db.fetch("""
                with ledger as (
                    select a.code, coalesce(sum(case e.side when 'C' then e.amount else -e.amount end), 0) as balance
                      from ledger_account a left join ledger_entry e on e.account_id = a.id
                     where a.code in ('PAYOUT_CLEARING', 'PAYOUTS_IN_TRANSIT')
                     group by a.code),
                payouts as (
                    select 'PAYOUT_CLEARING' as code, coalesce(sum(amount), 0) as open from payout where status in ('SCHEDULED', 'HELD', 'RELEASED')
                    union all
                    select 'PAYOUTS_IN_TRANSIT', coalesce(sum(amount), 0) from payout where status in ('REQUESTED', 'UNKNOWN'))
                select l.code, p.open::bigint as expected, l.balance::bigint as actual
                  from ledger l join payouts p on p.code = l.code
                 where l.balance <> p.open
                """)
                .map(row -> new Discrepancy("PAYOUT_ACCOUNT_MISMATCH", row.get("code", String.class), row.get("expected", Long.class),
                        row.get("actual", Long.class), "ledger account differs from the open payouts it should hold"));
    }

    /** Payments approved or cancelled on the date whose PG receivable postings differ from approved - cancelled. */
    private List<Discrepancy> paymentsOffTheirLedger(LocalDate date) {
        return db.fetch("""
                select p.payment_key, p.total_amount - coalesce(cx.canceled, 0) as expected, coalesce(posted.net, 0) as actual
                  from payment p
                  left join lateral (select sum(c.cancel_amount) as canceled from payment_cancel c
                                      where c.payment_id = p.id and c.status = 'DONE') cx on true
                  left join lateral (
                       select sum(case e.side when 'D' then e.amount else -e.amount end) as net
                         from ledger_transaction t
                         join ledger_entry e on e.transaction_id = t.id
                         join ledger_account a on a.id = e.account_id and a.code = 'PG_RECEIVABLE'
                        where (t.type = 'PAYMENT_APPROVED' and t.reference = p.payment_key)
                           or (t.type = 'PAYMENT_CANCELED' and t.reference in
                                 (select 'cancel:' || c.id from payment_cancel c where c.payment_id = p.id))) posted on true
                 where p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED')
                   and (p.approved_at >= ?::timestamptz and p.approved_at < ?::timestamptz
                        or exists (select 1 from payment_cancel c where c.payment_id = p.id
                                    and c.canceled_at >= ?::timestamptz and c.canceled_at < ?::timestamptz))
                   and p.total_amount - coalesce(cx.canceled, 0) <> coalesce(posted.net, 0)
                """, Seoul.startOf(date), Seoul.startOf(date.plusDays(1)), Seoul.startOf(date), Seoul.startOf(date.plusDays(1)))
                .map(row -> new Discrepancy("PAYMENT_LEDGER_MISMATCH", row.get("payment_key", String.class),
                        row.get("expected", Long.class), row.get("actual", Long.class),
                        "ledger total of the payment differs from approved minus cancelled"));
    }

    private List<Discrepancy> settlementsOffTheirLines(LocalDate date) {
        return db.fetch("""
                select s.merchant_id, s.approval_amount - s.cancel_amount as expected, coalesce(sum(l.amount), 0) as actual,
                       s.approval_count, s.cancel_count,
                       count(l.id) filter (where l.kind = 'APPROVAL') as line_approvals,
                       count(l.id) filter (where l.kind = 'CANCEL') as line_cancels
                  from settlement s left join settlement_line l on l.merchant_id = s.merchant_id and l.sales_date = s.sales_date
                 where s.sales_date = ?::date
                 group by s.id
                having s.approval_amount - s.cancel_amount <> coalesce(sum(l.amount), 0)
                    or s.approval_amount <> coalesce(sum(l.amount) filter (where l.kind = 'APPROVAL'), 0)
                    or s.approval_count <> count(l.id) filter (where l.kind = 'APPROVAL')
                    or s.cancel_count <> count(l.id) filter (where l.kind = 'CANCEL')
                """, date)
                .map(row -> new Discrepancy("SETTLEMENT_LINE_MISMATCH", "settlement:" + row.get("merchant_id", Long.class) + ":" + date,
                        row.get("expected", Long.class), row.get("actual", Long.class),
                        "settlement totals differ from its lines (counts " + row.get("approval_count") + "/" + row.get("cancel_count")
                                + " vs lines " + row.get("line_approvals") + "/" + row.get("line_cancels") + ")"));
    }

    /** Our approvals and cancels of the date against the PG's file, by transaction, with the contract fee. */
    private List<Discrepancy> againstPgFile(LocalDate date, List<PgSettlementFile.Row> pgRows, BigDecimal pgFeeRate) {
        Map<String, Long> ours = new HashMap<>();
        db.fetch("""
                select 'APPROVAL:' || payment_key as key, total_amount as amount from payment
                 where status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED') and approved_at >= ?::timestamptz and approved_at < ?::timestamptz
                union all
                select 'CANCEL:' || transaction_key, cancel_amount from payment_cancel
                 where status = 'DONE' and canceled_at >= ?::timestamptz and canceled_at < ?::timestamptz
                """, Seoul.startOf(date), Seoul.startOf(date.plusDays(1)), Seoul.startOf(date), Seoul.startOf(date.plusDays(1)))
                .forEach(row -> ours.put(row.get("key", String.class), row.get("amount", Long.class)));
        List<Discrepancy> found = new ArrayList<>();
        for (PgSettlementFile.Row row : pgRows) {
            String key = row.transactionType() + ":" + row.transactionReference();
            Long amount = ours.remove(key);
            if (amount == null) {
                found.add(new Discrepancy("MISSING_HERE", key, null, row.amount(), "in the PG's file but not in our records"));
                continue;
            }
            if (amount != row.amount()) {
                found.add(new Discrepancy("PG_AMOUNT_MISMATCH", key, amount, row.amount(), "amount differs from the PG's"));
            }
            long expectedFee = Won.timesRateHalfUp(row.amount(), pgFeeRate);
            if (expectedFee != row.pgFee()) {
                found.add(new Discrepancy("PG_FEE_MISMATCH", key, expectedFee, row.pgFee(),
                        "PG fee differs from the contract rate " + pgFeeRate.toPlainString()));
            }
        }
        ours.forEach((key, amount) -> found.add(new Discrepancy("MISSING_AT_PG", key, amount, null, "ours but not in the PG's file")));
        return found;
    }
}
