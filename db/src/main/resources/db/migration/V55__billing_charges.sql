-- One-off charges of a billing key (Toss's POST /v1/billing/{billingKey}): one per merchant orderId.
-- The row is the recovery point: written with its one-line order before the PG is called, so the same
-- orderId again (a retry, a concurrent duplicate) finds it and is answered, never charged a second time.
create table billing_charge (
    id                      bigint generated always as identity primary key,
    merchant_id             bigint      not null references merchant (id),
    order_pk                bigint      not null unique references orders (id),
    billing_key_id          bigint      not null references billing_key (id),
    status                  text        not null check (status in ('IN_PROGRESS', 'DONE', 'FAILED', 'UNKNOWN')),
    amount                  bigint      not null check (amount > 0),
    -- the PG Idempotency-Key, derived from the order: every attempt of this charge sends the same one
    idempotency_key         text        not null unique,
    payment_id              bigint      references payment (id),
    -- a decline: the PG's status (403 for a card), code and message, answered again for the same orderId
    error_status            int,
    error_code              text,
    error_message           text,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    constraint billing_charge_done_has_payment check (status <> 'DONE' or payment_id is not null)
);
create index billing_charge_open on billing_charge (updated_at) where status in ('IN_PROGRESS', 'UNKNOWN');
