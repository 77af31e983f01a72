-- Merchants, orders, payments and their cancels, idempotency keys, PG call log.
-- Money is bigint won everywhere; timestamps are timestamptz (stored UTC, shown in Asia/Seoul).

create table merchant (
    id                      bigint generated always as identity primary key,
    name                    text        not null check (length(name) between 1 and 100),
    business_type           text        not null check (business_type in ('INDIVIDUAL', 'BUSINESS')),
    -- platform fee as a fraction of sales: 0.033 = 3.3 %
    fee_rate                numeric(7, 6) not null check (fee_rate >= 0 and fee_rate < 1),
    payout_bank_code        text,
    payout_account_number   text,
    payout_account_holder   text,
    -- SHA-256 of the API secret key (high-entropy random, so a fast hash is enough and allows lookup)
    secret_key_hash         text        not null unique,
    secret_key_prefix       text        not null,
    -- merchant portal password (bcrypt), set later by the merchant or finance; never the API secret
    portal_password_hash    text,
    -- ordered PG providers for new payments, e.g. {toss,backup}; null = the system default
    pg_providers            text[],
    created_at              timestamptz not null default now()
);

create table orders (
    id                      bigint generated always as identity primary key,
    merchant_id             bigint      not null references merchant (id),
    -- the merchant's own key: 6-64 chars of [A-Za-z0-9_-]
    order_id                text        not null check (order_id ~ '^[A-Za-z0-9_-]{6,64}$'),
    order_name              text        not null check (length(order_name) between 1 and 100),
    customer_key            text        check (length(customer_key) between 1 and 300),
    total_amount            bigint      not null check (total_amount > 0),
    created_at              timestamptz not null default now(),
    constraint orders_merchant_order_id_key unique (merchant_id, order_id)
);

create table order_item (
    id                      bigint generated always as identity primary key,
    order_pk                bigint      not null references orders (id),
    line_no                 int         not null check (line_no > 0),
    sku                     text        not null check (length(sku) between 1 and 64),
    name                    text        not null check (length(name) between 1 and 100),
    unit_price              bigint      not null check (unit_price >= 0),
    quantity                int         not null check (quantity > 0),
    amount                  bigint      not null check (amount >= 0),
    canceled_quantity       int         not null default 0,
    constraint order_item_amount_is_price_times_quantity check (amount = unit_price * quantity),
    constraint order_item_canceled_within_quantity check (canceled_quantity between 0 and quantity),
    constraint order_item_line_key unique (order_pk, line_no)
);

-- IN_PROGRESS: claimed here, PG call in flight (the recovery point of a confirm);
-- UNKNOWN: the PG did not answer readably, the recovery poller asks it.
create table payment (
    id                      bigint generated always as identity primary key,
    payment_key             text        not null unique check (length(payment_key) between 1 and 200),
    merchant_id             bigint      not null references merchant (id),
    order_pk                bigint      not null references orders (id),
    status                  text        not null check (status in
                                ('IN_PROGRESS', 'DONE', 'PARTIAL_CANCELED', 'CANCELED', 'ABORTED', 'UNKNOWN')),
    pg_provider             text        not null,
    method                  text,
    total_amount            bigint      not null check (total_amount > 0),
    balance_amount          bigint      not null check (balance_amount >= 0),
    supplied_amount         bigint      not null check (supplied_amount >= 0),
    vat                     bigint      not null check (vat >= 0),
    requested_at            timestamptz not null default now(),
    approved_at             timestamptz,
    failure_code            text,
    failure_message         text,
    next_inquiry_at         timestamptz,
    inquiry_attempts        int         not null default 0,
    subscription_id         bigint,
    updated_at              timestamptz not null default now(),
    constraint payment_balance_within_total check (balance_amount <= total_amount),
    constraint payment_supply_plus_vat_is_total check (supplied_amount + vat = total_amount),
    constraint payment_approved_has_time check (status not in ('DONE', 'PARTIAL_CANCELED', 'CANCELED') or approved_at is not null)
);
-- one live payment per order: a declined (ABORTED) attempt may be retried, nothing else may
create unique index payment_one_live_per_order on payment (order_pk) where status <> 'ABORTED';
create index payment_merchant_requested on payment (merchant_id, requested_at desc, id desc);
create index payment_approved_at on payment (approved_at) where approved_at is not null;
create index payment_inquiry_due on payment (next_inquiry_at) where status in ('UNKNOWN', 'IN_PROGRESS');

-- a cancel is reserved (IN_PROGRESS, balance taken) before the PG call, so concurrent cancels can never exceed the paid amount
create table payment_cancel (
    id                      bigint generated always as identity primary key,
    payment_id              bigint      not null references payment (id),
    status                  text        not null check (status in ('IN_PROGRESS', 'DONE', 'ABORTED', 'UNKNOWN')),
    cancel_amount           bigint      not null check (cancel_amount > 0),
    cancel_reason           text        not null check (length(cancel_reason) between 1 and 200),
    transaction_key         text        unique,
    requested_at            timestamptz not null default now(),
    canceled_at             timestamptz,
    failure_code            text,
    failure_message         text,
    -- an UNKNOWN cancel is sent again with the same PG Idempotency-Key until the PG answers
    next_retry_at           timestamptz,
    retry_attempts          int         not null default 0,
    constraint payment_cancel_done_has_time check (status <> 'DONE' or canceled_at is not null)
);
create index payment_cancel_payment on payment_cancel (payment_id);
create index payment_cancel_canceled_at on payment_cancel (canceled_at) where status = 'DONE';
create index payment_cancel_retry_due on payment_cancel (next_retry_at) where status in ('UNKNOWN', 'IN_PROGRESS');

create table payment_cancel_item (
    cancel_id               bigint      not null references payment_cancel (id),
    order_item_id           bigint      not null references order_item (id),
    quantity                int         not null check (quantity > 0),
    amount                  bigint      not null check (amount >= 0),
    primary key (cancel_id, order_item_id)
);

-- every call to a PG, for support and the console: what was asked, what came back, how long it took
create table pg_call (
    id                      bigint generated always as identity primary key,
    payment_id              bigint      references payment (id),
    pg_provider             text        not null,
    operation               text        not null check (operation in ('CONFIRM', 'CANCEL', 'INQUIRY', 'BILLING_ISSUE', 'BILLING_CHARGE')),
    idempotency_key         text,
    outcome                 text        not null check (outcome in ('SUCCESS', 'FAILURE', 'UNKNOWN')),
    http_status             int,
    error_code              text,
    duration_ms             int         not null check (duration_ms >= 0),
    created_at              timestamptz not null default now()
);
create index pg_call_payment on pg_call (payment_id);

-- Idempotency-Key per merchant (Stripe's recovery-point design): the first request's result is kept and replayed
create table idempotency_key (
    merchant_id             bigint      not null references merchant (id),
    idempotency_key         text        not null check (length(idempotency_key) between 1 and 300),
    request_method          text        not null,
    request_path            text        not null,
    request_hash            text        not null,
    recovery_point          text        not null check (recovery_point in ('STARTED', 'FINISHED')),
    locked_at               timestamptz,
    response_status         int,
    response_body           text,
    created_at              timestamptz not null default now(),
    expires_at              timestamptz not null,
    primary key (merchant_id, idempotency_key),
    constraint idempotency_finished_has_response check (recovery_point <> 'FINISHED' or response_status is not null)
);
create index idempotency_key_expires on idempotency_key (expires_at);
