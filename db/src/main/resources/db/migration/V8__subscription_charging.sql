-- What subscription charging needs beyond V5: each attempt remembers what it sent to the PG, so a
-- run after a crash or a lost answer asks about (or re-sends) exactly the same charge.

alter table subscription_charge
    -- the orderId sent to the PG: one per billing cycle, the same for every attempt of it
    add column order_id          text not null check (order_id ~ '^[A-Za-z0-9_-]{6,64}$'),
    -- the PG Idempotency-Key: one per attempt, derived from (subscription, cycle, attempt)
    add column idempotency_key   text not null unique,
    add column amount            bigint not null check (amount > 0),
    add column updated_at        timestamptz not null default now();

-- attempts whose outcome is still open: the next run resolves them before charging anything new
create index subscription_charge_open on subscription_charge (subscription_id) where status in ('IN_PROGRESS', 'UNKNOWN');
create index subscription_retry_due on subscription (next_retry_at) where status = 'PAST_DUE';
create index payment_subscription on payment (subscription_id) where subscription_id is not null;
