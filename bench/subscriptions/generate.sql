-- Builds :subscriptions subscriptions due on :'due_date' (Asia/Seoul) over :merchants merchants,
-- server-side in seconds: merchants with wallets, one billing key per subscription (bk_bench_<n>
-- for customer customer-<n>, the keys run.sh seeds into the PG simulator), MONTHLY, anchored on
-- the due date, nothing paid yet.
-- psql -v merchants=1000 -v subscriptions=100000 -v due_date=2026-12-01 -f generate.sql
begin;
insert into merchant (name, business_type, fee_rate, secret_key_hash, secret_key_prefix)
select 'sub merchant ' || g, 'BUSINESS', 0.033, 'sub-' || g || '-' || md5(random()::text), 'test_sk_'
  from generate_series(1, :merchants) g;

create temp table gen_merchant on commit drop as
select id, row_number() over (order by id) as n
  from merchant m where not exists (select 1 from wallet w where w.merchant_id = m.id);

insert into ledger_account (code, type, merchant_id) select 'SELLER_PAYABLE:' || id, 'LIABILITY', id from gen_merchant;
insert into wallet (merchant_id, ledger_account_id)
select a.merchant_id, a.id from ledger_account a join gen_merchant m on m.id = a.merchant_id;

insert into billing_key (merchant_id, customer_key, billing_key, pg_provider, card_company, card_number_masked)
select m.id, 'customer-' || g, 'bk_bench_' || g, 'toss', '신한', '4330****1234****'
  from generate_series(1, :subscriptions) g
  join gen_merchant m on m.n = (g - 1) % :merchants + 1;

insert into subscription (merchant_id, customer_key, billing_key_id, plan_name, amount, billing_interval,
                          anchor_date, next_billing_date, status)
select b.merchant_id, b.customer_key, b.id, 'bench plan', 1000 + (b.id % 90) * 100, 'MONTHLY',
       :'due_date'::date, :'due_date'::date, 'ACTIVE'
  from billing_key b where b.billing_key like 'bk_bench_%';
commit;
