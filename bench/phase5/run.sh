#!/usr/bin/env bash
# Phase 5, "settlement slows payments": confirm latency with no batch running, then while
# settlementJob settles the day before for the same sellers (their wallets are the rows both touch).
# Server PostgreSQL on 127.0.0.1, payment-api and settlement-batch jars, wrk with bench/confirm/confirm.lua.
#   bench/phase5/run.sh            # 2,000 merchants, 400,000 payments to settle, 4 confirm clients
set -euo pipefail
cd "$(dirname "$0")/../.."
MERCHANTS=${MERCHANTS:-2000}
PAYMENTS=${PAYMENTS:-400000}
SELLERS=${SELLERS:-20}          # merchants taking confirms, spread over the id range (one per chunk)
CLIENTS=${CLIENTS:-4}
SECONDS_IDLE=${SECONDS_IDLE:-25}
DB=phase5_bench
DAY=2026-11-23
JAVA_BIN=${JAVA_BIN:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
API_JAR=payment-api/target/payment-api-0.1.0-SNAPSHOT.jar
BATCH_JAR=settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar
OUT=bench/results; mkdir -p "$OUT"; STAMP=$(date +%Y%m%d-%H%M%S)
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
[ -f "$API_JAR" ] && [ -f "$BATCH_JAR" ] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

$PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB"
export DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=$DB DB_USERNAME=postgres DB_PASSWORD=
"$JAVA_BIN" -jar "$BATCH_JAR" --spring.batch.job.name=migrate-only > "$OUT/phase5-$STAMP-migrate.log" 2>&1 || true
$PSQL -d $DB -v merchants=$MERCHANTS -v payments=$PAYMENTS -v cancel_every=20 -v sales_date=$DAY -f bench/settlement/generate.sql

# SELLERS merchants spread over the id range get known secret keys and 200,000 orders for today
$PSQL -d $DB <<SQL
create table p5_seller as
select id, (row_number() over (order by id) - 1) as k from merchant where id % ($MERCHANTS / $SELLERS) = 0 limit $SELLERS;
update merchant m set secret_key_hash = encode(sha256(convert_to('test_sk_p5_' || s.k, 'UTF8')), 'hex')
  from p5_seller s where s.id = m.id;
insert into orders (merchant_id, order_id, order_name, total_amount)
select s.id, 'bench-' || lpad(g::text, 7, '0'), 'phase 5', 10000
  from generate_series(1, 200000) g join p5_seller s on s.k = (g - 1) % $SELLERS;
analyze;
SQL
AUTHS=$(for k in $(seq 0 $((SELLERS - 1))); do printf '%s' "test_sk_p5_$k:" | base64 -w0; echo; done | paste -sd,)

PORT=18090 PAYMENT_ADMIN_TOKEN=bench "$JAVA_BIN" -jar "$API_JAR" > "$OUT/phase5-$STAMP-app.log" 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true' EXIT
for i in $(seq 1 120); do curl -sf localhost:18090/actuator/health >/dev/null && break; sleep 1; done
load() { wrk -t2 -c$CLIENTS -d"$1" --timeout 10s --latency -s bench/confirm/confirm.lua http://127.0.0.1:18090 -- "$2" 20000 "$AUTHS"; }
load 15s 150001 > /dev/null                                       # warm-up
load ${SECONDS_IDLE}s 1 > "$OUT/phase5-$STAMP-idle.txt"
t=$(date +%s.%N)
"$JAVA_BIN" -jar "$BATCH_JAR" --spring.batch.job.name=settlementJob date=$DAY \
  --payments.settlement.report-directory="$OUT/reports-p5-$STAMP" > "$OUT/phase5-$STAMP-batch.log" 2>&1 &
JOB=$!
sleep 1
load ${SECONDS_IDLE}s 50001 > "$OUT/phase5-$STAMP-during.txt"
wait $JOB; JOB_RC=$?
JOB_S=$(echo "$(date +%s.%N) - $t" | bc)
p() { grep -oP "RESULT.* $2=\K[0-9.]+" "$OUT/phase5-$STAMP-$1.txt"; }
{
  echo "phase 5 $STAMP: $SELLERS sellers taking confirms ($CLIENTS clients) among $MERCHANTS merchants settling $PAYMENTS payments"
  echo "idle:   $(p idle tps) confirm/s, p50 $(p idle p50) ms, p99 $(p idle p99) ms"
  echo "during: $(p during tps) confirm/s, p50 $(p during p50) ms, p99 $(p during p99) ms (settlementJob exit $JOB_RC, ${JOB_S} s)"
  echo "p99 during / idle: $(echo "scale=2; $(p during p99) / $(p idle p99)" | bc)  (goal <= 1.2)"
  grep -E "Step: \[.*\] executed" "$OUT/phase5-$STAMP-batch.log" | sed 's/.*Step:/  step/'
} | tee "$OUT/phase5-$STAMP.txt"
