-- The foreign keys of settlement_line to payment and payment_cancel cost 6-7 s of the 20-23 s that
-- staging a million lines took (EXPLAIN ANALYZE on the benchmark's data: two trigger calls and index
-- probes per row; 14-16 s without them). What they guarded is kept another way:
-- * a line is written by one statement only, the staging INSERT ... SELECT, which reads the very
--   payment and cancel the line points at, so no line is ever written pointing at nothing;
-- * the rows a line can point at are never deleted: a payment that reached the PG (every status but
--   IN_PROGRESS; only a claim no PG saw is removed) and any cancel. These triggers refuse it, at the
--   cost of nothing on insert.
alter table settlement_line
    drop constraint settlement_line_payment_id_fkey,
    drop constraint settlement_line_cancel_id_fkey;

create function refuse_delete_of_settleable() returns trigger language plpgsql as $$
begin
    raise exception '% % cannot be deleted: settlement lines may point at it', tg_table_name, old.id
        using errcode = 'P0001';
end $$;

create trigger payment_kept_once_sent before delete on payment
    for each row when (old.status <> 'IN_PROGRESS') execute function refuse_delete_of_settleable();
create trigger payment_cancel_kept before delete on payment_cancel
    for each row execute function refuse_delete_of_settleable();
