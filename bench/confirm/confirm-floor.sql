-- The database's part of one confirm, as payment-api sends it (PaymentRepository, LedgerService):
-- the claim (its own transaction: the recovery point committed before the PG is called), then the
-- outcome transaction: approval, the PG call's row, the ledger posting and the seller's wallet.
-- pgbench -M prepared -f bench/confirm/confirm-floor.sql -D first_merchant=<id> -D first_payable=<account>
--   -D merchants=<count> -D receivable=<account>   (order floor-n belongs to seller n mod merchants: sql-floor.sh)
select nextval('floor_order') as n \gset
\set merchant :first_merchant + :n % :merchants
\set payable :first_payable + :n % :merchants
insert into payment (payment_key, merchant_id, order_pk, status, pg_provider, total_amount, balance_amount,
                     supplied_amount, vat, next_inquiry_at)
select 'pk_floor_' || :n, o.merchant_id, o.id, 'IN_PROGRESS', 'toss', o.total_amount, o.total_amount, 9091, 909,
       now() + 30000 * interval '1 millisecond'
  from orders o
 where o.merchant_id = :merchant and o.order_id = 'floor-' || :n and o.total_amount = 10000
on conflict do nothing
returning id as payment_id \gset
begin;
update payment p
   set status = 'DONE', method = '카드', approved_at = now(), next_inquiry_at = null, failure_code = null,
       failure_message = null, updated_at = now()
  from orders o
 where p.id = :payment_id and p.status in ('IN_PROGRESS', 'UNKNOWN') and p.total_amount = 10000 and o.id = p.order_pk
returning p.id, p.payment_key, p.merchant_id, p.order_pk, o.order_id, o.order_name, p.status, p.pg_provider,
          p.method, p.total_amount, p.balance_amount, p.supplied_amount, p.vat, p.requested_at, p.approved_at,
          p.updated_at, p.failure_code, p.failure_message;
insert into pg_call (payment_id, pg_provider, operation, idempotency_key, outcome, http_status, error_code, duration_ms)
values (:payment_id, 'toss', 'CONFIRM', 'confirm-' || :n, 'SUCCESS', 200, null, 1);
with t as (
    insert into ledger_transaction (type, reference, description)
    select * from unnest(array['PAYMENT_APPROVED'], array['pk_floor_' || :n], array['approval of order floor-' || :n])
    returning id, type, reference)
insert into ledger_entry (transaction_id, account_id, side, amount)
select t.id, e.account_id, e.side, e.amount
  from unnest(array['PAYMENT_APPROVED', 'PAYMENT_APPROVED'], array['pk_floor_' || :n, 'pk_floor_' || :n],
              array[:receivable, :payable]::bigint[], array['D', 'C'], array[10000, 10000]::bigint[])
       with ordinality as e(type, reference, account_id, side, amount, leg_no)
  join t on t.type = e.type and t.reference = e.reference
 order by e.leg_no;
update wallet w set balance = w.balance + d.delta, updated_at = now()
  from unnest(array[:merchant]::bigint[], array[10000]::bigint[]) as d(merchant_id, delta)
 where w.merchant_id = d.merchant_id;
commit;
