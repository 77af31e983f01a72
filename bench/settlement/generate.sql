-- Builds a settlement data set in seconds, server-side (INSERT ... SELECT generate_series):
-- :merchants merchants with wallets, :payments approved payments on :'sales_date' (Asia/Seoul)
-- spread over them (:big_percent % of them all to the first merchant, a big seller; the rest round robin),
-- every :cancel_every-th partially cancelled (half, to 10 won) the same day,
-- and the ledger postings the payment API would have written for all of it.
-- Triggers are off while loading (session_replication_role = replica): the data is balanced by
-- construction, and the last statement checks it.
-- psql -v merchants=10000 -v payments=1000000 -v cancel_every=20 -v big_percent=0 -v sales_date=2026-11-23 -f generate.sql
-- (SettlementRestartAfterKillTest runs this same file through JDBC.)
begin;
set local session_replication_role = replica;

-- account numbers are stored encrypted (V73 refuses plaintext): a stand-in of the same shape and length,
-- which nothing here decrypts (the job copies it to the payout as it is)
insert into merchant (name, business_type, fee_rate, secret_key_hash, secret_key_prefix,
                      payout_bank_code, payout_account_number, payout_account_holder)
select 'gen merchant ' || g, case when g % 3 = 0 then 'INDIVIDUAL' else 'BUSINESS' end, 0.033,
       'gen-' || g || '-' || md5(random()::text || clock_timestamp()::text), 'test_sk_', '088',
       'v1:bench:' || md5('110-000-' || g) || md5(g::text), '예금주'
  from generate_series(1, :merchants) g;

create temp table gen_merchant on commit drop as
select id, row_number() over (order by id) as n
  from merchant m where not exists (select 1 from wallet w where w.merchant_id = m.id);

insert into ledger_account (code, type, merchant_id) select 'SELLER_PAYABLE:' || id, 'LIABILITY', id from gen_merchant;
insert into wallet (merchant_id, ledger_account_id)
select a.merchant_id, a.id from ledger_account a join gen_merchant m on m.id = a.merchant_id;

create temp table gen_payment on commit drop as
select g as n, m.id as merchant_id,
       (1000 + (g::bigint * 7919) % 99000) / 10 * 10 as amount,
       (:'sales_date'::date + (g % 86000) * interval '1 second') at time zone 'Asia/Seoul' as approved_at,
       'gen-' || :'sales_date' || '-' || g as order_id,
       g % :cancel_every = 0 as canceled
  from generate_series(1, :payments) g
  join gen_merchant m on m.n = case when g % 100 < :big_percent then 1 else (g - 1) % :merchants + 1 end;

insert into orders (merchant_id, order_id, order_name, total_amount)
select merchant_id, order_id, 'generated order', amount from gen_payment;

insert into payment (payment_key, merchant_id, order_pk, status, pg_provider, method, total_amount, balance_amount,
                     supplied_amount, vat, requested_at, approved_at)
select 'pk_' || p.order_id, p.merchant_id, o.id, case when p.canceled then 'PARTIAL_CANCELED' else 'DONE' end, 'toss', '카드',
       p.amount, p.amount - case when p.canceled then p.amount / 2 / 10 * 10 else 0 end,
       p.amount - round(p.amount / 11.0), round(p.amount / 11.0), p.approved_at, p.approved_at
  from gen_payment p join orders o on o.merchant_id = p.merchant_id and o.order_id = p.order_id;

insert into payment_cancel (payment_id, status, cancel_amount, cancel_reason, transaction_key, requested_at, canceled_at)
select pay.id, 'DONE', p.amount / 2 / 10 * 10, 'generated partial cancel', 'tx_' || p.order_id,
       p.approved_at + interval '1 minute', p.approved_at + interval '1 minute'
  from gen_payment p join payment pay on pay.payment_key = 'pk_' || p.order_id
 where p.canceled;

insert into ledger_transaction (type, reference, description)
select 'PAYMENT_APPROVED', 'pk_' || p.order_id, 'generated' from gen_payment p;
insert into ledger_transaction (type, reference, description)
select 'PAYMENT_CANCELED', 'cancel:' || c.id, 'generated'
  from payment_cancel c join payment pay on pay.id = c.payment_id join gen_payment p on pay.payment_key = 'pk_' || p.order_id;

insert into ledger_entry (transaction_id, account_id, side, amount)
select t.id, case e.side when 'D' then r.id else w.ledger_account_id end, e.side, pay.total_amount
  from gen_payment p
  join payment pay on pay.payment_key = 'pk_' || p.order_id
  join ledger_transaction t on t.type = 'PAYMENT_APPROVED' and t.reference = pay.payment_key
  join wallet w on w.merchant_id = pay.merchant_id
  cross join (select id from ledger_account where code = 'PG_RECEIVABLE') r
  cross join (values ('D'), ('C')) e(side);
insert into ledger_entry (transaction_id, account_id, side, amount)
select t.id, case e.side when 'D' then w.ledger_account_id else r.id end, e.side, c.cancel_amount
  from gen_payment p
  join payment pay on pay.payment_key = 'pk_' || p.order_id
  join payment_cancel c on c.payment_id = pay.id
  join ledger_transaction t on t.type = 'PAYMENT_CANCELED' and t.reference = 'cancel:' || c.id
  join wallet w on w.merchant_id = pay.merchant_id
  cross join (select id from ledger_account where code = 'PG_RECEIVABLE') r
  cross join (values ('D'), ('C')) e(side);

update wallet w set balance = w.balance + s.net
  from (select pay.merchant_id, sum(pay.balance_amount) as net
          from gen_payment p join payment pay on pay.payment_key = 'pk_' || p.order_id
         group by pay.merchant_id) s
 where w.merchant_id = s.merchant_id;

-- balanced by construction; prove it before committing
do $$
begin
    if (select coalesce(sum(case side when 'D' then amount else -amount end), 0) from ledger_entry) <> 0 then
        raise exception 'generated ledger is unbalanced';
    end if;
end $$;
commit;
analyze;
