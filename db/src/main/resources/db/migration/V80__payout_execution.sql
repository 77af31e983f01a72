-- Payout execution (issue 18): a payout's life after settlement wrote it SCHEDULED.
--   SCHEDULED/RELEASED -> REQUESTED (sent to the PG or written into the bank file) -> PAID | FAILED
--   REQUESTED -> UNKNOWN (no readable answer: settled by inquiry) -> PAID | FAILED
--   SCHEDULED/RELEASED -> HELD (finance hold, account problem, negative wallet) -> RELEASED
--   FAILED -> SCHEDULED (retried after the account was fixed)
-- Every status change goes through PayoutLifecycle (core), which posts its money in the same transaction.
alter table payout drop constraint payout_status_check;
alter table payout add constraint payout_status_check
    check (status in ('SCHEDULED', 'HELD', 'RELEASED', 'REQUESTED', 'UNKNOWN', 'PAID', 'FAILED'));
alter table payout
    -- each request is a new attempt: the ledger reference and the PG's idempotency key carry it
    add column attempt          int         not null default 0 check (attempt >= 0),
    -- PG or BANK_FILE, set when requested
    add column gateway          text        check (gateway in ('PG', 'BANK_FILE')),
    -- why it is HELD or FAILED (a code: HOLDER_MISMATCH, NO_PAYOUT_ACCOUNT, NEGATIVE_WALLET, FINANCE_HOLD, CLOSED_ACCOUNT, ...)
    add column status_reason    text        check (length(status_reason) <= 100),
    add column status_message   text        check (length(status_message) <= 500),
    -- the bank transfer file this payout was written into (bank-file gateway)
    add column transfer_file    text,
    add column requested_at     timestamptz,
    add column updated_at       timestamptz not null default now(),
    add constraint payout_paid_has_time check (status <> 'PAID' or paid_at is not null),
    add constraint payout_requested_has_gateway check (status not in ('REQUESTED', 'UNKNOWN', 'PAID', 'FAILED') or gateway is not null);

-- the payout job's work: what is due or still open, by date
create index payout_open on payout (payout_date, id) where status in ('SCHEDULED', 'RELEASED', 'REQUESTED', 'UNKNOWN');

-- the holder check (예금주 조회) of the merchant's current payout account; a new account is UNVERIFIED again
alter table merchant
    add column payout_account_check text not null default 'UNVERIFIED'
        check (payout_account_check in ('UNVERIFIED', 'VERIFIED', 'MISMATCH')),
    add column payout_account_checked_at timestamptz;

insert into ledger_account (code, type) values
    ('PAYOUTS_IN_TRANSIT', 'LIABILITY'),   -- requested from the PG or the bank, result not known yet
    ('BANK', 'ASSET');                     -- our operating bank account: paid payouts leave it
