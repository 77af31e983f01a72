-- Who did what: one row per change made by a person, a token, a merchant or a batch job, written in the
-- same transaction as the change it records (AuditTrail in core). Rows are append-only like the ledger:
-- the database refuses UPDATE and DELETE, whatever the code does.

create table audit_event (
    id                      bigint generated always as identity primary key,
    occurred_at             timestamptz not null default now(),
    -- who: a console user's name, 'admin' for the bearer token, a merchant id, a batch job's name;
    -- ANONYMOUS for a sign-in attempt nobody is signed in for yet
    actor_type              text        not null check (actor_type in ('CONSOLE_USER', 'ADMIN_TOKEN', 'MERCHANT', 'BATCH_JOB', 'ANONYMOUS')),
    actor_id                text        not null check (length(actor_id) between 1 and 200),
    -- what, e.g. MERCHANT_CREATED, PAYMENT_CANCEL_REQUESTED, SIGN_IN_FAILED
    action                  text        not null check (action ~ '^[A-Z][A-Z0-9_]{2,63}$'),
    target_type             text        not null check (target_type ~ '^[A-Z][A-Z0-9_]{1,63}$'),
    target_id               text        not null check (length(target_id) between 1 and 200),
    before_state            jsonb,
    after_state             jsonb,
    -- the request's correlation id (X-Request-Id) or the job's, and the client address as the app saw it
    request_id              text,
    client_ip               text
);

-- since=, actor= and target= of GET /v1/admin/audit-events and the console page, each in id order
create index audit_event_occurred_at on audit_event (occurred_at, id);
create index audit_event_actor on audit_event (actor_type, actor_id, id);
create index audit_event_target on audit_event (target_type, target_id, id);

create function audit_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit rows are append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'P0001';
end $$;

create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_refuse_change();
