-- Double-entry ledger. Rows are append-only: the database refuses UPDATE and DELETE, and a
-- deferred constraint trigger refuses to COMMIT a transaction whose entries do not balance.

create table ledger_account (
    id                      bigint generated always as identity primary key,
    code                    text        not null unique,
    type                    text        not null check (type in ('ASSET', 'LIABILITY', 'REVENUE', 'EXPENSE', 'EQUITY')),
    merchant_id             bigint      references merchant (id),
    created_at              timestamptz not null default now()
);

insert into ledger_account (code, type) values
    ('PG_RECEIVABLE', 'ASSET'),              -- owed to us by the PG for approved payments
    ('PLATFORM_FEE_REVENUE', 'REVENUE'),
    ('VAT_PAYABLE', 'LIABILITY'),            -- VAT on our fee, owed to the tax office
    ('WITHHOLDING_PAYABLE', 'LIABILITY'),    -- 3.3 % withheld from individual sellers
    ('PAYOUT_CLEARING', 'LIABILITY');        -- settled, waiting for the bank transfer

create table ledger_transaction (
    id                      bigint generated always as identity primary key,
    type                    text        not null,
    -- the business event that caused it, e.g. payment key or cancel id; (type, reference) posts once
    reference               text        not null,
    description             text,
    occurred_at             timestamptz not null default now(),
    created_at              timestamptz not null default now(),
    constraint ledger_transaction_reference_key unique (type, reference)
);

create table ledger_entry (
    id                      bigint generated always as identity primary key,
    transaction_id          bigint      not null references ledger_transaction (id),
    account_id              bigint      not null references ledger_account (id),
    side                    char(1)     not null check (side in ('D', 'C')),
    amount                  bigint      not null check (amount > 0)
);
create index ledger_entry_transaction on ledger_entry (transaction_id);
create index ledger_entry_account on ledger_entry (account_id, id);

-- a seller's wallet: the balance of its SELLER_PAYABLE account, kept in step by the posting service
-- in the same transaction. It may go negative (a refund after a payout).
create table wallet (
    merchant_id             bigint      primary key references merchant (id),
    ledger_account_id       bigint      not null unique references ledger_account (id),
    balance                 bigint      not null default 0,
    updated_at              timestamptz not null default now()
);

create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'ledger rows are append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'P0001';
end $$;

create trigger ledger_transaction_append_only before update or delete on ledger_transaction
    for each row execute function ledger_refuse_change();
create trigger ledger_entry_append_only before update or delete on ledger_entry
    for each row execute function ledger_refuse_change();

create function ledger_check_balanced() returns trigger language plpgsql as $$
declare
    tx_id   bigint;
    net     numeric;
    entries int;
begin
    if tg_table_name = 'ledger_transaction' then
        tx_id := new.id;
    else
        tx_id := new.transaction_id;
    end if;
    select coalesce(sum(case side when 'D' then amount else -amount end), 0), count(*)
      into net, entries
      from ledger_entry where transaction_id = tx_id;
    if entries < 2 or net <> 0 then
        raise exception 'ledger transaction % is unbalanced (% entries, debits - credits = %)', tx_id, entries, net
            using errcode = '23514';
    end if;
    return null;
end $$;

-- checked at COMMIT, after all entries of the transaction are written
create constraint trigger ledger_entry_balanced after insert on ledger_entry
    deferrable initially deferred for each row execute function ledger_check_balanced();
create constraint trigger ledger_transaction_has_entries after insert on ledger_transaction
    deferrable initially deferred for each row execute function ledger_check_balanced();
