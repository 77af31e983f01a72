#!/usr/bin/env bash
# Payout benchmark: payoutJob on PAYOUTS payouts due at once, through the PG simulator's payouts API in its
# own process at LATENCY_MS per call, with FAILURE_RATE of the payouts refused (seeded by reference: the
# same payouts fail in every run) and TIMEOUT_RATE of all calls never answered; the PostgreSQL server on
# 127.0.0.1. Goal: >= 500 payouts/s. Two runs on two fresh, identical databases:
#   clean  one payoutJob run;
#   kill   a payoutJob run killed with -9 once KILL_AT of the payouts have left SCHEDULED, then the same
#          command again;
# and for each: 0 paid twice (PG simulator), 0 lost (every payout PAID or FAILED), every failure back in
# its wallet, clearing and in transit at 0, the ledger balanced; then the two runs' payout rows, ledger
# entries and wallets must be identical. Usage, from the repository root:
#   bench/payouts/run.sh
#   PAYOUTS=2000 CONCURRENCY=128 bench/payouts/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PAYOUTS=${PAYOUTS:-10000}
LATENCY_MS=${LATENCY_MS:-50}
FAILURE_RATE=${FAILURE_RATE:-0.05}
TIMEOUT_RATE=${TIMEOUT_RATE:-0.01}
CONCURRENCY=${CONCURRENCY:-256}
CHUNK=${CHUNK:-2000}
READ_TIMEOUT=${READ_TIMEOUT:-500ms}
KILL_AT=${KILL_AT:-0.4}
PAYOUT_DATE=${PAYOUT_DATE:-2026-11-25}
SIM_PORT=${SIM_PORT:-18489}
DB=${DB:-payouts_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
JAVA_BIN=${JAVA_BIN:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
JAR=settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar
SIM_JAR=pg-simulator/target/pg-simulator-0.1.0-SNAPSHOT-exec.jar
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
LOG="$OUT/payouts-$STAMP"
PSQL="psql -h $PGHOST -U $PGUSER -v ON_ERROR_STOP=1 -q"

[ -f "$JAR" ] && [ -f "$SIM_JAR" ] || ./mvnw -q -DskipTests package

echo "== PG simulator on $SIM_PORT: $LATENCY_MS ms per call, $FAILURE_RATE of payouts refused, $TIMEOUT_RATE of calls unanswered"
"$JAVA_BIN" -jar "$SIM_JAR" "$SIM_PORT" 42 > "$LOG-sim.log" 2>&1 &
SIM_PID=$!
JOB_PID=
cleanup() {
  [ -n "$JOB_PID" ] && kill -9 "$JOB_PID" 2>/dev/null || true
  kill "$SIM_PID" 2>/dev/null || true
  [ -n "${KEEP_DB:-}" ] || $PSQL -d postgres -c "drop database if exists ${DB}_clean" -c "drop database if exists ${DB}_kill" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$SIM_PORT/__sim/stats" >/dev/null && break; sleep 0.2; done
sim_reset() {
  curl -sf -X POST "http://127.0.0.1:$SIM_PORT/__sim/reset" >/dev/null
  curl -sf -X PUT "http://127.0.0.1:$SIM_PORT/__sim/faults" -H 'Content-Type: application/json' \
    -d "{\"latencyMs\": $LATENCY_MS, \"latencyJitterMs\": 0, \"errorRate\": 0, \"timeoutRate\": $TIMEOUT_RATE, \"hangMs\": 2000, \"outages\": []}" >/dev/null
  curl -sf -X PUT "http://127.0.0.1:$SIM_PORT/__sim/payouts" -H 'Content-Type: application/json' \
    -d "{\"failureRate\": $FAILURE_RATE, \"asyncMs\": 0}" >/dev/null
}

export PAYMENTS_DATA_KEY="${PAYMENTS_DATA_KEY:-bench:$(head -c 32 /dev/urandom | base64 -w0)}"   # the apps need one on a server
# one account number for every merchant, encrypted the way DataCipher does (AES-256-GCM, purpose as AAD)
ACCOUNT=$(python3 - "$PAYMENTS_DATA_KEY" <<'PY'
import base64, os, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
key_id, material = sys.argv[1].split(",")[0].split(":", 1)
nonce = os.urandom(12)
sealed = AESGCM(base64.b64decode(material)).encrypt(nonce, b"110123456789", b"payout_account_number")
print("v1:%s:%s" % (key_id, base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")))
PY
)
export PG_BASE_URL="http://127.0.0.1:$SIM_PORT"
export LOG_FORMAT=                                # plain log lines, for the greps below
export DB_HOST=$PGHOST DB_PORT=5432 DB_USERNAME=$PGUSER DB_PASSWORD=
JOB_ARGS=(--spring.batch.job.name=payoutJob "date=$PAYOUT_DATE" --payments.payout.concurrency=$CONCURRENCY
  --payments.payout.chunk-size=$CHUNK --payments.payout.read-timeout=$READ_TIMEOUT --spring.datasource.hikari.maximum-pool-size=4)

fresh_database() {
  $PSQL -d postgres -c "drop database if exists $1" -c "create database $1"
  DB_NAME=$1 "$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only >> "$LOG-$2.log" 2>&1 || true   # Flyway, then exit 2
  $PSQL -d "$1" -v payouts=$PAYOUTS -v payout_date=$PAYOUT_DATE -v account="$ACCOUNT" -f bench/payouts/generate.sql
  $PSQL -d "$1" -c "vacuum analyze"
}

# the rows two runs must agree on: payouts (not times), ledger entries by business reference, wallets
rows() {
  $PSQL -d "$1" -At -c "select id, merchant_id, amount, status, attempt, gateway, coalesce(status_reason, ''), coalesce(status_message, '')
                           from payout order by id" \
        -c "select t.type, t.reference, a.code, e.side, e.amount from ledger_entry e join ledger_transaction t on t.id = e.transaction_id
              join ledger_account a on a.id = e.account_id order by t.type, t.reference, a.code, e.side" \
        -c "select merchant_id, balance from wallet order by merchant_id"
}

check() {  # $1 database, $2 run name
  local db=$1
  read -r PAID FAILED OPEN FAILED_WON WALLETS CLEARING TRANSIT BANK PAID_WON BALANCED <<<"$($PSQL -d "$db" -At -F ' ' -c "
    with acct as (select a.code, coalesce(sum(case e.side when 'C' then e.amount else -e.amount end), 0) as bal
                    from ledger_account a left join ledger_entry e on e.account_id = a.id group by a.code)
    select (select count(*) from payout where status = 'PAID'), (select count(*) from payout where status = 'FAILED'),
           (select count(*) from payout where status not in ('PAID', 'FAILED')),
           (select coalesce(sum(amount), 0) from payout where status = 'FAILED'), (select coalesce(sum(balance), 0) from wallet),
           (select bal from acct where code = 'PAYOUT_CLEARING'), (select bal from acct where code = 'PAYOUTS_IN_TRANSIT'),
           (select bal from acct where code = 'BANK'), (select coalesce(sum(amount), 0) from payout where status = 'PAID'),
           (select sum(case side when 'D' then amount else -amount end) = 0 from ledger_entry)")"
  STATS=$(curl -sf "http://127.0.0.1:$SIM_PORT/__sim/stats")
  TWICE=$(echo "$STATS" | grep -oP '"payoutsPaidTwice":\K[0-9]+')
  SIM_PAID=$(echo "$STATS" | grep -oP '"payoutsCompleted":\K[0-9]+')
  echo "$2: paid $PAID, failed $FAILED, open (lost) $OPEN; PG paid $SIM_PAID, paid twice $TWICE; failed $FAILED_WON won = wallets $WALLETS won;" \
       "clearing $CLEARING, in transit $TRANSIT, bank out $BANK = paid $PAID_WON; ledger balanced $BALANCED"
  [ "$OPEN" = 0 ] && [ "$TWICE" = 0 ] && [ "$SIM_PAID" = "$PAID" ] && [ "$FAILED_WON" = "$WALLETS" ] && [ "$CLEARING" = 0 ] \
    && [ "$TRANSIT" = 0 ] && [ "$BANK" = "$PAID_WON" ] && [ "$BALANCED" = t ] || { echo "$2: CHECK FAILED"; return 1; }
}

echo "== clean run: fresh database ${DB}_clean, $PAYOUTS payouts due $PAYOUT_DATE"
fresh_database "${DB}_clean" clean
sim_reset
t=$(date +%s.%N)
DB_NAME=${DB}_clean "$JAVA_BIN" ${JAVA_OPTS:-} -jar "$JAR" "${JOB_ARGS[@]}" >> "$LOG-clean.log" 2>&1 || echo "clean run exit code $?"
CLEAN_WALL=$(echo "$(date +%s.%N) - $t" | bc)
CLEAN_STEP=$(grep -oP "sendPayouts: \K[0-9]+ payouts in [0-9.]+ s \([0-9]+/s\)" "$LOG-clean.log" | tail -1)
CLEAN_AWAIT=$(grep -oP "Step: \[awaitPayoutResults\] executed in \K.*" "$LOG-clean.log" | tail -1 || true)
CLEAN_CHECK=$(check "${DB}_clean" clean)
rows "${DB}_clean" > "$LOG-clean.rows"

echo "== kill run: fresh database ${DB}_kill, payoutJob killed -9 at $KILL_AT of the payouts, then the same command again"
fresh_database "${DB}_kill" kill
sim_reset
DB_NAME=${DB}_kill "$JAVA_BIN" -jar "$JAR" "${JOB_ARGS[@]}" >> "$LOG-kill.log" 2>&1 &
JOB_PID=$!
TARGET=$(echo "$PAYOUTS * $KILL_AT / 1" | bc)
while kill -0 "$JOB_PID" 2>/dev/null; do
  MOVED=$($PSQL -d "${DB}_kill" -At -c "select count(*) from payout where status <> 'SCHEDULED'")
  [ "$MOVED" -ge "$TARGET" ] && break
  sleep 0.05
done
kill -9 "$JOB_PID" 2>/dev/null || true; wait "$JOB_PID" 2>/dev/null || true; JOB_PID=
AT_KILL=$($PSQL -d "${DB}_kill" -At -F ' ' -c "select string_agg(status || ' ' || n, ', ') from (select status, count(*) n from payout group by 1 order by 1) s")
echo "killed with: $AT_KILL" | tee -a "$LOG-kill.log"
t=$(date +%s.%N)
DB_NAME=${DB}_kill "$JAVA_BIN" -jar "$JAR" "${JOB_ARGS[@]}" >> "$LOG-kill.log" 2>&1 || echo "rerun exit code $?"
RERUN_WALL=$(echo "$(date +%s.%N) - $t" | bc)
KILL_CHECK=$(check "${DB}_kill" kill)
rows "${DB}_kill" > "$LOG-kill.rows"
if cmp -s "$LOG-clean.rows" "$LOG-kill.rows"; then IDENTICAL="identical ($(wc -l < "$LOG-clean.rows") rows: payouts, ledger entries, wallets)"
else IDENTICAL="DIFFERENT: diff $LOG-clean.rows $LOG-kill.rows"; fi

{
  echo "payout benchmark $STAMP: $PAYOUTS payouts, PG latency $LATENCY_MS ms, $FAILURE_RATE refused, $TIMEOUT_RATE of calls unanswered, concurrency $CONCURRENCY, chunk $CHUNK, read timeout $READ_TIMEOUT"
  echo "machine: $(nproc) cores, PostgreSQL $($PSQL -d postgres -At -c 'show server_version'), java $("$JAVA_BIN" -version 2>&1 | head -1)"
  echo "clean run, whole process  : ${CLEAN_WALL} s (JVM start, the steps)"
  echo "sendPayouts step          : $CLEAN_STEP"
  echo "awaitPayoutResults step   : ${CLEAN_AWAIT:-?}"
  echo "$CLEAN_CHECK"
  echo "kill run                  : killed with $AT_KILL; the rerun took ${RERUN_WALL} s"
  echo "$KILL_CHECK"
  echo "clean vs killed + rerun   : $IDENTICAL"
} | tee "$LOG.txt"
