#!/usr/bin/env bash
# Subscription renewal benchmark: subscriptionRenewalJob on SUBSCRIPTIONS subscriptions due at once
# (MERCHANTS merchants), the PG simulator in its own process at LATENCY_MS per call, the PostgreSQL
# server on 127.0.0.1. Goal: >= 2,000 renewals/s at 50 ms PG latency. Afterwards it checks: every
# subscription charged exactly once (charges DONE = payments = PG approvals = SUBSCRIPTIONS) and the
# ledger balanced. Usage, from the repository root:
#   bench/subscriptions/run.sh                               # 100,000 due, 50 ms, 384 in flight, batches of 1,000 x 2
#   SUBSCRIPTIONS=20000 CONCURRENCY=128 bench/subscriptions/run.sh
#   JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/renewals.jfr bench/subscriptions/run.sh   # profile the job
set -euo pipefail
cd "$(dirname "$0")/../.."

SUBSCRIPTIONS=${SUBSCRIPTIONS:-100000}
MERCHANTS=${MERCHANTS:-1000}
LATENCY_MS=${LATENCY_MS:-50}
CONCURRENCY=${CONCURRENCY:-384}
CHUNK=${CHUNK:-4000}
BATCH=${BATCH:-1000}
PARALLEL=${PARALLEL:-2}
DUE_DATE=${DUE_DATE:-2026-12-01}
SIM_PORT=${SIM_PORT:-18089}
DB=${DB:-subscription_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
JAVA_BIN=${JAVA_BIN:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
JAR=settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar
SIM_JAR=pg-simulator/target/pg-simulator-0.1.0-SNAPSHOT-exec.jar
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
LOG="$OUT/subscriptions-$STAMP.log"
PSQL="psql -h $PGHOST -U $PGUSER -v ON_ERROR_STOP=1 -q"

[ -f "$JAR" ] && [ -f "$SIM_JAR" ] || ./mvnw -q -DskipTests package

echo "== PG simulator on $SIM_PORT, $LATENCY_MS ms per call"
"$JAVA_BIN" -jar "$SIM_JAR" "$SIM_PORT" 42 > "$OUT/subscriptions-sim-$STAMP.log" 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$SIM_PORT/__sim/stats" >/dev/null && break; sleep 0.2; done
curl -sf -X POST "http://127.0.0.1:$SIM_PORT/__sim/billing/seed" -H 'Content-Type: application/json' \
  -d "{\"count\": $SUBSCRIPTIONS, \"billingKeyPrefix\": \"bk_bench_\", \"customerKeyPrefix\": \"customer-\"}" >/dev/null
curl -sf -X PUT "http://127.0.0.1:$SIM_PORT/__sim/faults" -H 'Content-Type: application/json' \
  -d "{\"latencyMs\": $LATENCY_MS, \"latencyJitterMs\": 0, \"errorRate\": 0, \"timeoutRate\": 0, \"hangMs\": 0, \"outages\": []}" >/dev/null

echo "== fresh database $DB on $PGHOST"
$PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB"
export DB_HOST=$PGHOST DB_PORT=5432 DB_NAME=$DB DB_USERNAME=$PGUSER DB_PASSWORD=
export PAYMENTS_DATA_KEY="${PAYMENTS_DATA_KEY:-bench:$(head -c 32 /dev/urandom | base64 -w0)}"   # the apps need one on a server
export PG_BASE_URL="http://127.0.0.1:$SIM_PORT"
export SUBSCRIPTION_PG_CONCURRENCY=$CONCURRENCY   # the job's PG calls in flight and the PG's bulkhead alike
export LOG_FORMAT=                                # plain log lines, for the greps below
"$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only >> "$LOG" 2>&1 || true   # Flyway, then exit 2

echo "== generating $SUBSCRIPTIONS subscriptions due $DUE_DATE over $MERCHANTS merchants"
$PSQL -d $DB -v merchants=$MERCHANTS -v subscriptions=$SUBSCRIPTIONS -v due_date=$DUE_DATE -f bench/subscriptions/generate.sql
$PSQL -d $DB -c "vacuum analyze"

# CPU seconds: a live process's own (user + system); the postmaster's reaped children's (the job's
# connections end with the job) -- so the run's CPU per renewal is known even on a busy machine
TICK=$(getconf CLK_TCK)
own_cpu() { awk -v hz="$TICK" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
reaped_cpu() { awk -v hz="$TICK" '{ sub(/.*\) /, ""); printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
POSTMASTER=$(head -1 "$($PSQL -d postgres -At -c 'show data_directory')/postmaster.pid" 2>/dev/null || true)

echo "== subscriptionRenewalJob (concurrency $CONCURRENCY, chunk $CHUNK, batches $BATCH x $PARALLEL)"
SIM_CPU0=$(own_cpu $SIM_PID); PG_CPU0=$( [ -n "$POSTMASTER" ] && reaped_cpu "$POSTMASTER" || echo 0 ); LOAD0=$(cut -d' ' -f1 /proc/loadavg)
t=$(date +%s.%N)
TIMEFORMAT='%U %S'
# shellcheck disable=SC2086
{ time "$JAVA_BIN" ${JAVA_OPTS:-} -jar "$JAR" --spring.batch.job.name=subscriptionRenewalJob runAt=${DUE_DATE}T09:00 \
  --payments.subscription.chunk-size=$CHUNK \
  --payments.subscription.batch-size=$BATCH --payments.subscription.parallel-batches=$PARALLEL \
  --spring.datasource.hikari.maximum-pool-size=8 --logging.level.io.unbreakable.payments.subscription=DEBUG >> "$LOG" 2>&1 ; } 2> "$OUT/subscriptions-$STAMP.cpu"
JOB_WALL=$(echo "$(date +%s.%N) - $t" | bc)
LOAD1=$(cut -d' ' -f1 /proc/loadavg)
JOB_CPU=$(awk '{ printf "%.2f", $1 + $2 }' "$OUT/subscriptions-$STAMP.cpu")
SIM_CPU=$(echo "$(own_cpu $SIM_PID) - $SIM_CPU0" | bc)
PG_CPU=$( [ -n "$POSTMASTER" ] && echo "$(reaped_cpu "$POSTMASTER") - $PG_CPU0" | bc || echo "?")
STEP=$(grep -oP "renewSubscriptions: \K[0-9]+ subscriptions in [0-9.]+ s \([0-9]+/s\), [0-9.]+ s of this process's CPU" "$LOG" | tail -1)
SUMMARY=$(grep -oP "renewals due at .*" "$LOG" | tail -1)
APPROVALS=$(curl -sf "http://127.0.0.1:$SIM_PORT/__sim/stats" | grep -oP '"approvals":\K[0-9]+')
read -r DONE PAYMENTS DOUBLE <<<"$($PSQL -d $DB -At -F ' ' -c "select
  (select count(*) from subscription_charge where status = 'DONE'),
  (select count(*) from payment where subscription_id is not null),
  (select count(*) from (select subscription_id, cycle_no from subscription_charge where status = 'DONE'
                          group by 1, 2 having count(*) > 1) d)")"
BALANCED=$($PSQL -d $DB -At -c "select sum(case side when 'D' then amount else -amount end) = 0 from ledger_entry")

{
  echo "subscription renewal benchmark $STAMP: $SUBSCRIPTIONS due, $MERCHANTS merchants, PG latency $LATENCY_MS ms, concurrency $CONCURRENCY, chunk $CHUNK, batches of $BATCH x $PARALLEL in parallel"
  echo "machine: $(nproc) cores, PostgreSQL $($PSQL -d $DB -At -c 'show server_version'), java $("$JAVA_BIN" -version 2>&1 | head -1)"
  echo "job, whole process          : ${JOB_WALL} s (JVM start, Flyway validate, the step)"
  echo "renewSubscriptions step     : $STEP"
  echo "summary                     : $SUMMARY"
  echo "charges DONE / payments      : $DONE / $PAYMENTS (PG approvals: $APPROVALS; cycles charged twice: $DOUBLE)"
  echo "ledger balanced             : $BALANCED"
  echo "CPU seconds (whole job run)  : job JVM $JOB_CPU (incl. start-up), PG simulator $SIM_CPU, PostgreSQL backends $PG_CPU"
  echo "load average before / after : $LOAD0 / $LOAD1 (2 cores; other work on the machine slows the run, not its CPU seconds)"
} | tee "$OUT/subscriptions-$STAMP.txt"
