-- D+1 settlement: one row per merchant and sales date, traced to per-transaction lines.

create table settlement (
    id                      bigint generated always as identity primary key,
    merchant_id             bigint      not null references merchant (id),
    sales_date              date        not null,
    business_type           text        not null check (business_type in ('INDIVIDUAL', 'BUSINESS')),
    approval_count          int         not null check (approval_count >= 0),
    approval_amount         bigint      not null check (approval_amount >= 0),
    cancel_count            int         not null check (cancel_count >= 0),
    cancel_amount           bigint      not null check (cancel_amount >= 0),
    -- approvals - cancels on the date; negative on a refund-heavy day
    sales_amount            bigint      not null,
    fee                     bigint      not null,
    fee_vat                 bigint      not null,
    withholding_income_tax  bigint      not null check (withholding_income_tax >= 0),
    withholding_local_tax   bigint      not null check (withholding_local_tax >= 0),
    withholding             bigint      not null check (withholding >= 0),
    -- negative balance carried in from earlier settlements (<= 0) and out to the next one (<= 0)
    carried_in_amount       bigint      not null check (carried_in_amount <= 0),
    carried_out_amount      bigint      not null check (carried_out_amount <= 0),
    payout_amount           bigint      not null check (payout_amount >= 0),
    payout_date             date        not null,
    -- the merchant's fee rate applied to this settlement
    fee_rate                numeric(7, 6) not null,
    created_at              timestamptz not null default now(),
    constraint settlement_merchant_date_key unique (merchant_id, sales_date),
    constraint settlement_sales_is_approvals_minus_cancels check (sales_amount = approval_amount - cancel_amount),
    constraint settlement_withholding_is_income_plus_local check (withholding = withholding_income_tax + withholding_local_tax),
    constraint settlement_payout_formula check (
        payout_amount + carried_out_amount = sales_amount - fee - fee_vat - withholding + carried_in_amount)
);
create index settlement_sales_date on settlement (sales_date);

-- One line per approval or cancel settled, with the fee rate in force when it was staged. The
-- settlement job first stages the lines of a sales date in one statement, which fixes the set of
-- transactions the date settles; a merchant's lines are those of its settlement's (merchant_id,
-- sales_date), so settling a merchant never rewrites its lines. merchant_id copies the payment's
-- (its foreign key is the payment's): no per-row check on a million-row insert for what is implied.
create table settlement_line (
    id                      bigint generated always as identity primary key,
    merchant_id             bigint      not null,
    sales_date              date        not null,
    payment_id              bigint      not null references payment (id),
    cancel_id               bigint      references payment_cancel (id),
    kind                    text        not null check (kind in ('APPROVAL', 'CANCEL')),
    -- signed: approvals positive, cancels negative
    amount                  bigint      not null,
    fee_rate                numeric(7, 6) not null,
    occurred_at             timestamptz not null,
    constraint settlement_line_kind_sign check (
        (kind = 'APPROVAL' and cancel_id is null and amount > 0) or
        (kind = 'CANCEL' and cancel_id is not null and amount < 0))
);
-- each approval and each cancel is settled exactly once
create unique index settlement_line_approval_once on settlement_line (payment_id) where kind = 'APPROVAL';
create unique index settlement_line_cancel_once on settlement_line (cancel_id) where kind = 'CANCEL';
create index settlement_line_date_merchant on settlement_line (sales_date, merchant_id);

create table payout (
    id                      bigint generated always as identity primary key,
    settlement_id           bigint      not null unique references settlement (id),
    merchant_id             bigint      not null references merchant (id),
    amount                  bigint      not null check (amount >= 0),
    payout_date             date        not null,
    status                  text        not null check (status in ('SCHEDULED', 'PAID', 'FAILED')),
    bank_code               text,
    account_number          text,
    account_holder          text,
    report_csv_path         text,
    report_html_path        text,
    created_at              timestamptz not null default now(),
    paid_at                 timestamptz
);
create index payout_merchant_date on payout (merchant_id, payout_date);
