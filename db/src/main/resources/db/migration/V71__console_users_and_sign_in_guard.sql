-- Finance's console users (besides the bootstrap user from PAYMENT_CONSOLE_USERNAME/PASSWORD, which
-- lives in the environment only): bcrypt hashes, a role, and disabled instead of deleted, so the audit
-- trail's actor names keep meaning someone.
create table console_user (
    id                      bigint generated always as identity primary key,
    username                text        not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,49}$'),
    password_hash           text        not null,
    -- VIEWER reads everything; OPERATOR also cancels, creates merchants, routes PGs, sets passwords, manages users
    role                    text        not null check (role in ('VIEWER', 'OPERATOR')),
    enabled                 boolean     not null default true,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now()
);

-- Failed sign-ins per (area, typed user name) in the current window, and the lock they led to. Kept in
-- the database so every API instance sees the same lock; times come from the app's clock.
create table sign_in_guard (
    area                    text        not null check (area in ('CONSOLE', 'PORTAL')),
    username                text        not null check (length(username) between 1 and 100),
    failures                int         not null check (failures >= 0),
    window_started_at       timestamptz not null,
    locked_until            timestamptz,
    primary key (area, username)
);
