-- Billing keys (only the PG's key, never card data) and subscriptions renewed by the batch job.

create table billing_key (
    id                      bigint generated always as identity primary key,
    merchant_id             bigint      not null references merchant (id),
    customer_key            text        not null check (length(customer_key) between 1 and 300),
    billing_key             text        not null unique,
    pg_provider             text        not null,
    card_company            text,
    card_number_masked      text,
    created_at              timestamptz not null default now()
);
create index billing_key_merchant_customer on billing_key (merchant_id, customer_key);

create table subscription (
    id                      bigint generated always as identity primary key,
    merchant_id             bigint      not null references merchant (id),
    customer_key            text        not null,
    billing_key_id          bigint      not null references billing_key (id),
    plan_name               text        not null check (length(plan_name) between 1 and 100),
    amount                  bigint      not null check (amount > 0),
    billing_interval        text        not null check (billing_interval in ('MONTHLY', 'WEEKLY')),
    -- the date the schedule is anchored on (Asia/Seoul): Jan 31 renews Feb 28, then Mar 31
    anchor_date             date        not null,
    cycle_no                int         not null default 0 check (cycle_no >= 0),
    next_billing_date       date        not null,
    status                  text        not null check (status in ('ACTIVE', 'PAST_DUE', 'SUSPENDED', 'CANCELED')),
    retry_count             int         not null default 0 check (retry_count between 0 and 3),
    next_retry_at           timestamptz,
    last_error_code         text,
    last_error_message      text,
    cancel_at_period_end    boolean     not null default false,
    canceled_at             timestamptz,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now()
);
create index subscription_due on subscription (next_billing_date) where status in ('ACTIVE', 'PAST_DUE');

-- one row per billing cycle: the PG idempotency key is derived from (subscription, cycle)
create table subscription_charge (
    id                      bigint generated always as identity primary key,
    subscription_id         bigint      not null references subscription (id),
    cycle_no                int         not null check (cycle_no > 0),
    due_date                date        not null,
    attempt                 int         not null check (attempt between 1 and 4),
    status                  text        not null check (status in ('IN_PROGRESS', 'DONE', 'FAILED', 'UNKNOWN')),
    payment_id              bigint      references payment (id),
    error_code              text,
    error_message           text,
    created_at              timestamptz not null default now(),
    constraint subscription_charge_attempt_key unique (subscription_id, cycle_no, attempt)
);
create unique index subscription_charge_paid_once on subscription_charge (subscription_id, cycle_no) where status = 'DONE';

alter table payment add constraint payment_subscription_fk foreign key (subscription_id) references subscription (id);
