-- ShedLock (JDBC provider, database time) and reconciliation findings.

create table shedlock (
    name                    varchar(64)  not null primary key,
    lock_until              timestamptz  not null,
    locked_at               timestamptz  not null,
    locked_by               varchar(255) not null
);

create table reconciliation_discrepancy (
    id                      bigint generated always as identity primary key,
    run_date                date        not null,
    job_execution_id        bigint,
    kind                    text        not null,
    reference               text        not null,
    expected_amount         bigint,
    actual_amount           bigint,
    detail                  text        not null,
    created_at              timestamptz not null default now()
);
create index reconciliation_discrepancy_run_date on reconciliation_discrepancy (run_date);
