#!/usr/bin/env bash
# PG fault experiments (issue 7): payment-api from its jar with two external PG simulators as the providers
# "toss" (primary) and "backup", on the PostgreSQL server; load from bench/faults/FaultExperiment.java.
# See docs/benchmarks.md ("PG outages").
#
# Usage, from the repository root (the lock keeps benchmarks from overlapping):
#   flock /tmp/unbreakable-bench.lock bench/faults/run.sh            # all four experiments
#   flock /tmp/unbreakable-bench.lock bench/faults/run.sh 1 3        # only experiments 1 and 3
#
# Each experiment: BASELINE_S seconds without faults, FAULT_S seconds with the fault, AFTER_S seconds after
# it; then the load stops, the script waits (up to SETTLE_S) until no payment is UNKNOWN/IN_PROGRESS, and
# checks every paymentKey sent against both PGs (lost, double, phantom, open) and the ledger.
#   1  primary 100 % errors            -> fails over; success >= 99 %
#   2  primary 5 s latency             -> p99 under the 5 s request deadline; circuit opens; fails over
#   3  primary approves, never answers -> UNKNOWNs, all settled after recovery
#   4  both PGs 100 % errors           -> fast 503 PG_UNAVAILABLE; health and reads stay responsive; recovers
#
# Settings (environment, defaults in brackets):
#   FAULT_S [60] BASELINE_S [10] AFTER_S [30] WARMUP_S [20]  phase lengths in seconds (WARMUP_S: once, not counted)
#   SETTLE_S [240]          longest wait for open outcomes after an experiment
#   CLIENTS [16]            concurrent confirm clients
#   ORDERS [200000]         orders pre-created with SQL, shared out between the experiments
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres] PGPASSWORD []   the PostgreSQL server
#   APP_DB [faults_bench]   dropped and re-created!
#   APP_PORT [18080] TOSS_PORT [18091] BACKUP_PORT [18092]
#   APP_JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java]
#   BUILD [0]               1: build the jars first (./mvnw -q -DskipTests -pl payment-api,pg-simulator -am package)
# Writes bench/results/faults-<timestamp>.txt (summary) and -app.log, -toss.log, -backup.log, -e<N>-*.csv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

EXPERIMENTS=("$@")
(( ${#EXPERIMENTS[@]} )) || EXPERIMENTS=(1 2 3 4)
FAULT_S="${FAULT_S:-60}"; BASELINE_S="${BASELINE_S:-10}"; AFTER_S="${AFTER_S:-30}"; WARMUP_S="${WARMUP_S:-20}"
SETTLE_S="${SETTLE_S:-240}"
CLIENTS="${CLIENTS:-16}"
ORDERS="${ORDERS:-200000}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGPASSWORD="${PGPASSWORD:-}"
APP_DB="${APP_DB:-faults_bench}"
APP_PORT="${APP_PORT:-18080}"; TOSS_PORT="${TOSS_PORT:-18091}"; BACKUP_PORT="${BACKUP_PORT:-18092}"
APP_JAVA="${APP_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
BUILD="${BUILD:-0}"
JAR="payment-api/target/payment-api-0.1.0-SNAPSHOT.jar"
SIM_JAR="pg-simulator/target/pg-simulator-0.1.0-SNAPSHOT-exec.jar"
AMOUNT=10000
API="http://127.0.0.1:$APP_PORT"
MGMT="http://127.0.0.1:$((APP_PORT + 1))"   # actuator's port
TOSS="http://127.0.0.1:$TOSS_PORT"
BACKUP="http://127.0.0.1:$BACKUP_PORT"
DRIVER="$ROOT/bench/faults/FaultExperiment.java"

RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
TS="$(date +%Y%m%d-%H%M%S)"
OUT="$RESULTS/faults-$TS.txt"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
say() { echo "$*" | tee -a "$OUT"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -x "$APP_JAVA" ]] || die "no Java at $APP_JAVA (set APP_JAVA to a Java 21+ binary)"
command -v psql >/dev/null || die "psql is missing"
command -v curl >/dev/null || die "curl is missing"
if [[ "$BUILD" == 1 || ! -f "$JAR" || ! -f "$SIM_JAR" ]]; then
    log "building the jars"
    ./mvnw -q -DskipTests -pl payment-api,pg-simulator -am package
fi
pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL at $PGHOST:$PGPORT is not accepting connections"
for port in "$APP_PORT" "$TOSS_PORT" "$BACKUP_PORT"; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then die "something already listens on port $port"; fi
done

log "re-creating database $APP_DB"
psql_q -d postgres -c "drop database if exists $APP_DB with (force)" -c "create database $APP_DB"

log "starting the PG simulators: toss on $TOSS_PORT, backup on $BACKUP_PORT"
"$APP_JAVA" -jar "$SIM_JAR" "$TOSS_PORT" 42 >"$RESULTS/faults-$TS-toss.log" 2>&1 &
PIDS+=($!)
"$APP_JAVA" -jar "$SIM_JAR" "$BACKUP_PORT" 43 >"$RESULTS/faults-$TS-backup.log" 2>&1 &
PIDS+=($!)

ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"
# recovery tuned for an experiment that lasts minutes, not days: a payment no PG knows is ABORTED
# after 20 s (default 2 min), the poller runs every second and backs off at most 10 s
log "starting the app on port $APP_PORT (log: bench/results/faults-$TS-app.log)"
env DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_NAME="$APP_DB" DB_USERNAME="$PGUSER" DB_PASSWORD="$PGPASSWORD" \
    PAYMENT_ADMIN_TOKEN="$ADMIN_TOKEN" PORT="$APP_PORT" PG_BASE_URL="$TOSS" PG_BACKUP_BASE_URL="$BACKUP" \
    MANAGEMENT_PORT="$((APP_PORT + 1))" PAYMENTS_DATA_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)" \
    PAYMENTS_RECOVERY_ABORTAFTER=20s PAYMENTS_RECOVERY_POLLINTERVAL=1s PAYMENTS_RECOVERY_INITIALBACKOFF=1s \
    PAYMENTS_RECOVERY_MAXBACKOFF=10s \
    "$APP_JAVA" -jar "$JAR" >"$RESULTS/faults-$TS-app.log" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")
for i in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || die "the app exited during start; see $RESULTS/faults-$TS-app.log"
    if curl -sf "$MGMT/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
    (( i == 240 )) && die "the app did not become healthy in 120 s"
    sleep 0.5
done

merchant_json="$(curl -sf -X POST "$API/v1/admin/merchants" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"name":"faults bench","businessType":"BUSINESS","feeRate":"0.033"}')"
MERCHANT_ID="$(sed -n 's/.*"merchantId":\([0-9]*\).*/\1/p' <<<"$merchant_json")"
SECRET_KEY="$(sed -n 's/.*"secretKey":"\([^"]*\)".*/\1/p' <<<"$merchant_json")"
[[ -n "$MERCHANT_ID" && -n "$SECRET_KEY" ]] || die "unexpected merchant response: $merchant_json"
BASIC="$(printf '%s:' "$SECRET_KEY" | base64 -w0)"

log "pre-creating $ORDERS orders with SQL"
psql_q -d "$APP_DB" <<SQL
insert into orders (merchant_id, order_id, order_name, total_amount)
select $MERCHANT_ID, 'bench-' || lpad(i::text, 7, '0'), 'bench order ' || i, $AMOUNT from generate_series(1, $ORDERS) as i;
insert into order_item (order_pk, line_no, sku, name, unit_price, quantity, amount)
select id, 1, 'A', 'a', $AMOUNT, 1, $AMOUNT from orders;
SQL
psql_q -d "$APP_DB" -c "vacuum analyze orders" -c "vacuum analyze order_item"

open_outcomes() {
    psql_q -d "$APP_DB" -c "select (select count(*) from payment where status in ('UNKNOWN', 'IN_PROGRESS'))
        + (select count(*) from payment_cancel where status in ('UNKNOWN', 'IN_PROGRESS'))"
}
circuits_closed() { # both providers' circuits CLOSED in the health details
    local health
    health="$(curl -sf "$MGMT/actuator/health" || true)"
    [[ "$(grep -o '"circuit":"CLOSED"' <<<"$health" | wc -l)" -ge 2 ]]
}
ledger_check() {
    psql_q -d "$APP_DB" -F ' ' -c "select coalesce(sum(amount) filter (where side = 'D'), 0), coalesce(sum(amount) filter (where side = 'C'), 0)
        from ledger_entry"
}

NO_FAULT='{"latencyMs":0,"latencyJitterMs":0,"errorRate":0,"timeoutRate":0,"hangMs":30000,"outages":[]}'
ERRORS='{"latencyMs":0,"latencyJitterMs":0,"errorRate":1.0,"timeoutRate":0,"hangMs":30000,"outages":[]}'
SLOW='{"latencyMs":5000,"latencyJitterMs":0,"errorRate":0,"timeoutRate":0,"hangMs":30000,"outages":[]}'
SILENT='{"latencyMs":0,"latencyJitterMs":0,"errorRate":0,"timeoutRate":1.0,"hangMs":10000,"outages":[]}'
describe() {
    case "$1" in
        1) echo "primary (toss) answers every call 500 for ${FAULT_S}s" ;;
        2) echo "primary (toss) answers after 5 s for ${FAULT_S}s (read timeout 3 s, request deadline 5 s)" ;;
        3) echo "primary (toss) approves every call and never answers for ${FAULT_S}s" ;;
        4) echo "both PGs answer every call 500 for ${FAULT_S}s" ;;
        w) echo "warm-up, no faults (not counted)" ;;
    esac
}
faults_of() {
    case "$1" in
        1) echo "$ERRORS|$NO_FAULT" ;;
        2) echo "$SLOW|$NO_FAULT" ;;
        3) echo "$SILENT|$NO_FAULT" ;;
        4) echo "$ERRORS|$ERRORS" ;;
        w) echo "$NO_FAULT|$NO_FAULT" ;;
    esac
}

say "PG fault experiments $TS: FAULT_S=$FAULT_S BASELINE_S=$BASELINE_S AFTER_S=$AFTER_S CLIENTS=$CLIENTS, app $(git rev-parse --short HEAD)"
say "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
SLICE=$(( ORDERS / (${#EXPERIMENTS[@]} + 1) ))
FAILED=0
run_experiment() { # $1: experiment (1-4, w), $2: first order, $3: baseline, $4: fault, $5: after seconds
    local n="$1" first="$2" keys="$RESULTS/faults-$TS-e$1-keys.csv" db="$RESULTS/faults-$TS-e$1-db.csv" load_out
    log "experiment $n: $(describe "$n")"
    load_out="$(API="$API" MGMT="$MGMT" AUTH="$BASIC" CLIENTS="$CLIENTS" ORDER_FIRST="$first" ORDER_LAST=$(( first + SLICE - 1 )) \
        KEY_PREFIX="e${n}_" AMOUNT="$AMOUNT" PG_URLS="$TOSS,$BACKUP" FAULTS="$(faults_of "$n")" KEYS_OUT="$keys" \
        BASELINE_S="$3" FAULT_S="$4" AFTER_S="$5" "$APP_JAVA" "$DRIVER" load)"
    [[ "$n" == w ]] && return
    say ""
    say "== experiment $n: $(describe "$n")"
    say "$load_out"
    local waited=0 open
    while open="$(open_outcomes)"; (( open > 0 && waited < SETTLE_S )); do sleep 2; waited=$(( waited + 2 )); done
    say "open PG outcomes ${waited}s after the load stopped: $open"
    psql_q -d "$APP_DB" -F ',' -c "select payment_key, status, pg_provider from payment where payment_key like 'e${n}\_%'" >"$db"
    local check
    check="$("$APP_JAVA" "$DRIVER" check "$keys" "$db" "$TOSS,$BACKUP" toss,backup)"
    say "$check"
    local debit credit
    read -r debit credit <<<"$(ledger_check)"
    say "ledger: debits $debit, credits $credit, $([[ "$debit" == "$credit" ]] && echo balanced || echo UNBALANCED)"
    say "simulators: toss $(curl -s "$TOSS/__sim/stats"), backup $(curl -s "$BACKUP/__sim/stats")"
    if ! grep -q ' lost=0 double=0 phantom=0 open=0 ' <<<"$check" || [[ "$debit" != "$credit" ]]; then FAILED=1; fi
    local waited_closed=0
    until circuits_closed || (( waited_closed >= 60 )); do sleep 1; waited_closed=$(( waited_closed + 1 )); done
}

run_experiment w 1 0 0 "$WARMUP_S"
i=1
for n in "${EXPERIMENTS[@]}"; do
    run_experiment "$n" $(( i * SLICE + 1 )) "$BASELINE_S" "$FAULT_S" "$AFTER_S"
    i=$(( i + 1 ))
done
say ""
say "summary written to ${OUT#"$ROOT"/}"
exit "$FAILED"
