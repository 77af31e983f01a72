-- The D+1 settlement of :'sales_date' for every merchant, hand-written as one set-based statement:
-- the yardstick settlementJob is measured against (same rules: fee and VAT half-up, withholding
-- truncated to 10 won with the 1,000-won threshold, carry-over). Writes nothing but a temp table.
-- SettlementRestartAfterKillTest and SettlementSimulationTest compare the job's rows with this query's.
create temp table expected_settlement as
with bounds as (
    select (:'sales_date'::date)::timestamp at time zone 'Asia/Seoul' as day_start,
           (:'sales_date'::date + 1)::timestamp at time zone 'Asia/Seoul' as day_end
), tx as (
    select p.merchant_id, true as approval, p.total_amount as amount
      from payment p, bounds b
     where p.status in ('DONE', 'PARTIAL_CANCELED', 'CANCELED') and p.approved_at >= b.day_start and p.approved_at < b.day_end
    union all
    select p.merchant_id, false, c.cancel_amount
      from payment_cancel c join payment p on p.id = c.payment_id, bounds b
     where c.status = 'DONE' and c.canceled_at >= b.day_start and c.canceled_at < b.day_end
), aggregated as (
    select t.merchant_id, m.business_type, m.fee_rate,
           count(*) filter (where t.approval) as approval_count,
           coalesce(sum(t.amount) filter (where t.approval), 0) as approval_amount,
           count(*) filter (where not t.approval) as cancel_count,
           coalesce(sum(t.amount) filter (where not t.approval), 0) as cancel_amount,
           coalesce((select s.carried_out_amount from settlement s
                      where s.merchant_id = t.merchant_id and s.sales_date < :'sales_date'::date
                      order by s.sales_date desc limit 1), 0) as carried_in_amount
      from tx t join merchant m on m.id = t.merchant_id
     group by t.merchant_id, m.business_type, m.fee_rate
), fee as (
    select a.*, a.approval_amount - a.cancel_amount as sales_amount,
           round((a.approval_amount - a.cancel_amount) * a.fee_rate)::bigint as fee
      from aggregated a
), vat as (
    select f.*, round(f.fee * 0.1)::bigint as fee_vat, f.sales_amount - f.fee - round(f.fee * 0.1)::bigint as paid_to_seller from fee f
), income_tax as (
    select v.*, case when v.business_type = 'INDIVIDUAL' and v.paid_to_seller > 0
                      and trunc(v.paid_to_seller * 0.03 / 10) * 10 >= 1000
                     then (trunc(v.paid_to_seller * 0.03 / 10) * 10)::bigint else 0 end as withholding_income_tax
      from vat v
), taxes as (
    select i.*, (trunc(i.withholding_income_tax * 0.1 / 10) * 10)::bigint as withholding_local_tax from income_tax i
)
select merchant_id, approval_count, approval_amount, cancel_count, cancel_amount, sales_amount, fee, fee_vat,
       withholding_income_tax, withholding_local_tax, withholding_income_tax + withholding_local_tax as withholding,
       carried_in_amount,
       greatest(paid_to_seller - withholding_income_tax - withholding_local_tax + carried_in_amount, 0) as payout_amount,
       least(paid_to_seller - withholding_income_tax - withholding_local_tax + carried_in_amount, 0) as carried_out_amount
  from taxes;
