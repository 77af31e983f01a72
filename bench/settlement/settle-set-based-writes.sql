-- The second yardstick: everything settlementJob writes to the database for :'sales_date', hand-written
-- set-based in one transaction, on a copy of the same data (run.sh makes it): one settlement_line per
-- approval and cancel (with paymentKey and orderId), the settlement rows of settle-set-based.sql, the
-- payouts, one balanced ledger transaction per merchant (same legs as SettlementWriter, checked by the
-- same deferred triggers at COMMIT) and the wallets. It writes no report files: the job's
-- writePayoutReports step has no counterpart here and is timed on its own.
\ir settle-set-based.sql

begin;

insert into settlement_line (merchant_id, sales_date, payment_id, cancel_id, kind, amount, fee_rate, occurred_at,
                             payment_key, order_id)
select p.merchant_id, :'sales_date'::date, p.id, null, 'APPROVAL', p.total_amount, m.fee_rate, p.approved_at,
       p.payment_key, o.order_id
  from payment p join merchant m on m.id = p.merchant_id join orders o on o.id = p.order_pk
 where p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED')
   and p.approved_at >= (:'sales_date'::date)::timestamp at time zone 'Asia/Seoul'
   and p.approved_at < (:'sales_date'::date + 1)::timestamp at time zone 'Asia/Seoul'
union all
select p.merchant_id, :'sales_date'::date, p.id, c.id, 'CANCEL', -c.cancel_amount, m.fee_rate, c.canceled_at,
       p.payment_key, o.order_id
  from payment_cancel c join payment p on p.id = c.payment_id join merchant m on m.id = p.merchant_id
  join orders o on o.id = p.order_pk
 where c.status = 'DONE'
   and c.canceled_at >= (:'sales_date'::date)::timestamp at time zone 'Asia/Seoul'
   and c.canceled_at < (:'sales_date'::date + 1)::timestamp at time zone 'Asia/Seoul';

-- D+1: the first day after the sales date that is neither a weekend nor in the holiday table
insert into settlement (merchant_id, sales_date, business_type, approval_count, approval_amount, cancel_count, cancel_amount,
                        sales_amount, fee, fee_vat, withholding_income_tax, withholding_local_tax, withholding,
                        carried_in_amount, carried_out_amount, payout_amount, payout_date, fee_rate)
select e.merchant_id, :'sales_date'::date, m.business_type, e.approval_count, e.approval_amount, e.cancel_count,
       e.cancel_amount, e.sales_amount, e.fee, e.fee_vat, e.withholding_income_tax, e.withholding_local_tax, e.withholding,
       e.carried_in_amount, e.carried_out_amount, e.payout_amount,
       (select min(d)::date from generate_series(:'sales_date'::date + 1, :'sales_date'::date + 31, interval '1 day') d
         where extract(isodow from d) < 6 and not exists (select 1 from holiday h where h.holiday_date = d::date)),
       m.fee_rate
  from expected_settlement e join merchant m on m.id = e.merchant_id;

insert into payout (settlement_id, merchant_id, amount, payout_date, status, bank_code, account_number, account_holder)
select s.id, s.merchant_id, s.payout_amount, s.payout_date, 'SCHEDULED',
       m.payout_bank_code, m.payout_account_number, m.payout_account_holder
  from settlement s join merchant m on m.id = s.merchant_id
 where s.sales_date = :'sales_date'::date and s.payout_amount > 0;

-- the seller's payable gives up fee + VAT + withholding + payout; a negative amount flips the side
create temp table settlement_leg on commit drop as
select s.merchant_id, leg.account_id, case when leg.amount < 0 then leg.flipped else leg.side end as side, abs(leg.amount) as amount
  from settlement s
  join wallet w on w.merchant_id = s.merchant_id
  cross join lateral (values
      (w.ledger_account_id, 'D', 'C', s.fee + s.fee_vat + s.withholding + s.payout_amount),
      ((select id from ledger_account where code = 'PLATFORM_FEE_REVENUE'), 'C', 'D', s.fee),
      ((select id from ledger_account where code = 'VAT_PAYABLE'), 'C', 'D', s.fee_vat),
      ((select id from ledger_account where code = 'WITHHOLDING_PAYABLE'), 'C', 'D', s.withholding),
      ((select id from ledger_account where code = 'PAYOUT_CLEARING'), 'C', 'D', s.payout_amount)) leg(account_id, side, flipped, amount)
 where s.sales_date = :'sales_date'::date and leg.amount <> 0;

with tx as (
    insert into ledger_transaction (type, reference, description)
    select 'SETTLEMENT', merchant_id || ':' || :'sales_date', 'D+1 settlement of ' || :'sales_date'
      from (select distinct merchant_id from settlement_leg) m
    returning id, reference
)
insert into ledger_entry (transaction_id, account_id, side, amount)
select tx.id, l.account_id, l.side, l.amount
  from settlement_leg l join tx on tx.reference = l.merchant_id || ':' || :'sales_date';

update wallet w set balance = w.balance - s.fee - s.fee_vat - s.withholding - s.payout_amount, updated_at = now()
  from settlement s
 where s.merchant_id = w.merchant_id and s.sales_date = :'sales_date'::date;

commit;
