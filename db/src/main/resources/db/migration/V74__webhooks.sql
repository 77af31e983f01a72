-- Merchant webhooks: endpoints, the transactional outbox (webhook_event, written in the same transaction
-- as the state change it reports) and one delivery per (event, endpoint) with its attempts. The batch jobs
-- and the API write events; the API's dispatcher delivers them (README "Webhooks").

create table webhook_endpoint (
    id                          bigint generated always as identity primary key,
    merchant_id                 bigint      not null references merchant (id),
    url                         text        not null check (length(url) between 8 and 2048),
    event_types                 text[]      not null check (cardinality(event_types) between 1 and 10),
    -- the signing secret (whsec_...) as DataCipher ciphertext; after a rotation the old one signs too until it expires
    secret                      text        not null,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    -- ENABLED; DISABLED after failing for payments.webhooks.disable-after; DELETED by its merchant (kept: deliveries point here)
    status                      text        not null default 'ENABLED' check (status in ('ENABLED', 'DISABLED', 'DELETED')),
    -- first failure since the last success: an endpoint failing for days is disabled
    failing_since               timestamptz,
    disabled_at                 timestamptz,
    created_at                  timestamptz not null default now(),
    updated_at                  timestamptz not null default now()
);

-- the outbox writer's look-up: does this merchant take this event type?
create index webhook_endpoint_merchant on webhook_endpoint (merchant_id) where status = 'ENABLED';

-- data's per-object version: only grows (a receiver drops an older one; order is not guaranteed)
create sequence webhook_event_version;

create table webhook_event (
    id              bigint generated always as identity primary key,
    -- webhook-id of Standard Webhooks: the receiver's deduplication key
    event_id        text        not null unique,
    merchant_id     bigint      not null references merchant (id),
    event_type      text        not null check (event_type in ('PAYMENT_STATUS_CHANGED', 'SUBSCRIPTION_STATUS_CHANGED',
                                                               'SETTLEMENT_COMPLETED', 'PAYOUT_STATUS_CHANGED')),
    object_id       text        not null,
    version         bigint      not null,
    -- the body sent, byte for byte what is signed: {eventId, eventType, createdAt, data}
    payload         text        not null,
    created_at      timestamptz not null default now()
);

create table webhook_delivery (
    id              bigint generated always as identity primary key,
    event_id        bigint      not null references webhook_event (id),
    endpoint_id     bigint      not null references webhook_endpoint (id),
    status          text        not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         not null default 0,
    -- when it is due; a dispatcher's claim moves it a lease ahead, so a crash between send and record sends again
    next_attempt_at timestamptz not null default now(),
    last_http_status int,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (event_id, endpoint_id)
);

-- the dispatcher's polling query: only pending rows, in due order (delivered rows stay out of this index)
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
-- an endpoint's deliveries, newest first, by status (GET /v1/webhooks/{id}/deliveries?status=)
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, id desc);

create table webhook_delivery_attempt (
    id              bigint generated always as identity primary key,
    delivery_id     bigint      not null references webhook_delivery (id),
    attempted_at    timestamptz not null default now(),
    http_status     int,
    latency_ms      int         not null,
    error           text
);

create index webhook_delivery_attempt_delivery on webhook_delivery_attempt (delivery_id, id);
