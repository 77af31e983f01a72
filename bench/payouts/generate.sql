-- Builds :payouts payouts due on :'payout_date', one per merchant, as settlementJob leaves them: merchants
-- with a verified payout account (all the same encrypted number, :'account', made by run.sh under the run's
-- data key), wallets at 0, a settlement and a SCHEDULED payout each, and the settlement's money in
-- PAYOUT_CLEARING (approved from the PG and settled, in one balanced transaction per payout). Deterministic:
-- the same ids and amounts on every fresh database, so two runs can be compared row by row.
-- psql -v payouts=10000 -v payout_date=2026-11-25 -v account=v1:... -f generate.sql
begin;
insert into merchant (name, business_type, fee_rate, secret_key_hash, secret_key_prefix, payout_bank_code,
                      payout_account_number, payout_account_holder, payout_account_check, payout_account_checked_at)
select 'payout merchant ' || g, 'BUSINESS', 0.03, 'po-' || g, 'test_sk_', '088', :'account', '홍길동', 'VERIFIED', now()
  from generate_series(1, :payouts) g;

insert into ledger_account (code, type, merchant_id) select 'SELLER_PAYABLE:' || id, 'LIABILITY', id from merchant;
insert into wallet (merchant_id, ledger_account_id) select merchant_id, id from ledger_account where merchant_id is not null;

insert into settlement (merchant_id, sales_date, business_type, approval_count, approval_amount, cancel_count, cancel_amount,
                        sales_amount, fee, fee_vat, withholding_income_tax, withholding_local_tax, withholding,
                        carried_in_amount, carried_out_amount, payout_amount, payout_date, fee_rate)
select id, :'payout_date'::date - 1, 'BUSINESS', 1, 10000 + (id % 100) * 1000, 0, 0, 10000 + (id % 100) * 1000, 0, 0, 0, 0, 0,
       0, 0, 10000 + (id % 100) * 1000, :'payout_date'::date, 0
  from merchant order by id;

insert into payout (settlement_id, merchant_id, amount, payout_date, status)
select id, merchant_id, payout_amount, payout_date, 'SCHEDULED' from settlement order by id;

insert into ledger_transaction (type, reference, description)
select 'BENCH_SETTLEMENT', 'settlement:' || id, 'generated: approved and settled into clearing' from settlement order by id;
insert into ledger_entry (transaction_id, account_id, side, amount)
select t.id, a.id, leg.side, s.payout_amount
  from settlement s
  join ledger_transaction t on t.type = 'BENCH_SETTLEMENT' and t.reference = 'settlement:' || s.id
  cross join (values ('PG_RECEIVABLE', 'D'), ('PAYOUT_CLEARING', 'C')) as leg(code, side)
  join ledger_account a on a.code = leg.code;
commit;
