#!/usr/bin/env bash
# The database's floor under the confirm benchmark: bench/confirm/confirm-floor.sql (the claim and the
# outcome transaction exactly as payment-api sends them: 2 commits, 7 rows written) driven by pgbench,
# with no app, no HTTP and no PG call, alternating with pgbench's TPC-B on the same server and client
# count. No app on this schema and machine can confirm faster than this floor, so "floor / TPC-B" is the
# highest "confirm / pgbench" ratio bench/confirm/run.sh can show here. Usage, from the repository root:
#   bench/confirm/sql-floor.sh            # 16 clients, 30 s per run, 2 rounds (floor, TPC-B, floor, TPC-B)
#   CLIENTS=8 ROUNDS=3 bench/confirm/sql-floor.sh
#   MERCHANTS=100 bench/confirm/sql-floor.sh   # orders spread over 100 sellers (1: every confirm updates one wallet row)
# Drops and re-creates databases confirm_floor and pgbench_bench on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-16}
MERCHANTS=${MERCHANTS:-1}
JOBS=${JOBS:-2}
DURATION=${DURATION:-30}
ROUNDS=${ROUNDS:-2}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
DB=confirm_floor
TPCB_DB=pgbench_bench
JAVA_BIN=${JAVA_BIN:-java}
JAR=${JAR:-settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar}
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
PSQL="psql -h $PGHOST -U $PGUSER -v ON_ERROR_STOP=1 -q"
PGBENCH="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -1)"
[ -f "$JAR" ] || ./mvnw -q -DskipTests package

$PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB" -c "drop database if exists $TPCB_DB" -c "create database $TPCB_DB"
# the schema from the project's migrations (the batch jar migrates and exits 2: no job named)
DB_HOST=$PGHOST DB_PORT=5432 DB_NAME=$DB DB_USERNAME=$PGUSER DB_PASSWORD= PAYMENTS_DATA_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)" \
  "$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only > "$OUT/sql-floor-$STAMP-migrate.log" 2>&1 || true
# sellers with their payable accounts and wallets (ids in a row), 1,000,000 one-item orders of 10,000 won
# (as bench/confirm/run.sh), order n belonging to seller n mod MERCHANTS
$PSQL -d $DB -v merchants="$MERCHANTS" <<'SQL'
insert into merchant (name, business_type, fee_rate, secret_key_hash, secret_key_prefix)
select 'floor seller ' || g, 'BUSINESS', 0.033, 'floor-' || g || '-' || md5(random()::text), 'test_sk_' from generate_series(1, :merchants) g;
insert into ledger_account (code, type, merchant_id) select 'SELLER_PAYABLE:' || id, 'LIABILITY', id from merchant order by id;
insert into wallet (merchant_id, ledger_account_id) select merchant_id, id from ledger_account where merchant_id is not null;
insert into orders (merchant_id, order_id, order_name, total_amount)
select m.id, 'floor-' || g, 'floor order', 10000
  from generate_series(1, 1000000) g join (select id, row_number() over (order by id) - 1 as k from merchant) m on m.k = g % :merchants;
insert into order_item (order_pk, line_no, sku, name, unit_price, quantity, amount) select id, 1, 'SKU-1', 'item', 10000, 1, 10000 from orders;
create sequence floor_order;
vacuum analyze;
SQL
MERCHANT=$($PSQL -d $DB -At -c "select min(id) from merchant")
PAYABLE=$($PSQL -d $DB -At -c "select min(ledger_account_id) from wallet")
[ "$($PSQL -d $DB -At -c "select count(*) from wallet where merchant_id - $MERCHANT <> ledger_account_id - $PAYABLE")" = 0 ] \
  || { echo "sellers' ids and accounts are not in step" >&2; exit 1; }
RECEIVABLE=$($PSQL -d $DB -At -c "select id from ledger_account where code = 'PG_RECEIVABLE'")
"$PGBENCH" -h $PGHOST -U $PGUSER -i -q -s 10 $TPCB_DB > /dev/null 2>&1

floor() { # $1 seconds, $2 output file
  "$PGBENCH" -h $PGHOST -U $PGUSER -n -M prepared -c "$CLIENTS" -j "$JOBS" -T "$1" -f bench/confirm/confirm-floor.sql \
    -D first_merchant="$MERCHANT" -D first_payable="$PAYABLE" -D merchants="$MERCHANTS" -D receivable="$RECEIVABLE" $DB > "$2" 2>&1
}
# a first run on the empty payment table plans its prepared statements for an empty table (a scan per
# update, slower with every row: the first measured round came out at half the second's rate); so a
# short unmeasured run, then statistics, and every measured run plans anew (pgbench connects again)
floor 10 "$OUT/sql-floor-$STAMP-warmup.txt"
$PSQL -d $DB -c "analyze"
tps() { grep -oP 'tps = \K[0-9.]+(?= \(without initial)' "$1"; }
summary="$OUT/sql-floor-$STAMP.txt"
echo "confirm SQL floor $STAMP: $MERCHANTS seller(s), $CLIENTS clients, -j $JOBS, $DURATION s a run, $ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$summary"
# CPU ticks (user + system) of every PostgreSQL process; pgbench's backends exit with their connections, so
# the server's CPU per confirm's SQL (one pgbench transaction = one run of the script = a claim and an outcome
# transaction) is taken between two samples inside the run, over the payments written between them: the
# figure bench/confirm/run.sh's "PostgreSQL CPU per confirm" is compared with
pg_cpu() { local t=0 p; for p in $(pgrep -x postgres); do t=$(( t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$p/stat 2>/dev/null || echo 0) )); done; echo "$t"; }
payments() { $PSQL -d $DB -At -c "select count(*) from payment"; }
for round in $(seq 1 "$ROUNDS"); do
  $PSQL -d postgres -c checkpoint
  floor "$DURATION" "$OUT/sql-floor-$STAMP-floor-$round.txt" &
  floor_pid=$!
  sleep 3; cpu_before=$(pg_cpu); paid_before=$(payments)
  sleep $(( DURATION - 6 )); cpu_ticks=$(( $(pg_cpu) - cpu_before )); paid=$(( $(payments) - paid_before ))
  wait "$floor_pid"
  $PSQL -d postgres -c checkpoint
  "$PGBENCH" -h $PGHOST -U $PGUSER -c "$CLIENTS" -j "$JOBS" -T "$DURATION" $TPCB_DB > "$OUT/sql-floor-$STAMP-tpcb-$round.txt" 2>&1
  floor_tps=$(tps "$OUT/sql-floor-$STAMP-floor-$round.txt"); tpcb_tps=$(tps "$OUT/sql-floor-$STAMP-tpcb-$round.txt")
  echo "round $round: confirm SQL $floor_tps tps, TPC-B $tpcb_tps tps, floor / TPC-B $(echo "scale=2; $floor_tps / $tpcb_tps" | bc);" \
       "PostgreSQL CPU per confirm's SQL $(echo "scale=2; $cpu_ticks * 1000 / $(getconf CLK_TCK) / $paid" | bc) ms" | tee -a "$summary"
done
# the floor's writes must be what a confirm writes: balanced, wallet = its ledger account, one posting per
# payment; exit 1 otherwise, like bench/confirm/run.sh's integrity check
read -r confirms postings balanced wallets <<<"$($PSQL -d $DB -At -F ' ' -c "select count(*),
    (select count(*) from ledger_transaction),
    (select sum(case side when 'D' then amount else -amount end) = 0 from ledger_entry),
    (select bool_and(ok) from (select w.balance = coalesce(sum(case e.side when 'C' then e.amount else -e.amount end), 0) as ok
                               from wallet w left join ledger_entry e on e.account_id = w.ledger_account_id group by w.merchant_id, w.balance) x)
  from payment where status = 'DONE'")"
echo "confirms $confirms, postings $postings, ledger balanced $balanced, wallets = accounts $wallets" | tee -a "$summary"
[ "$confirms" = "$postings" ] && [ "$balanced" = t ] && [ "$wallets" = t ] || { echo "integrity: FAILED" | tee -a "$summary"; exit 1; }
