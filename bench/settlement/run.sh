#!/usr/bin/env bash
# Settlement benchmark: settlementJob on MERCHANTS merchants x PAYMENTS payments (every 20th partially
# cancelled) of one sales date, against the PostgreSQL server on 127.0.0.1, side by side with the
# hand-written set-based SQL of the same settlement rows (settle-set-based.sql), then checks that both
# agree to the won. Usage, from the repository root:
#   bench/settlement/run.sh                      # 10,000 merchants, 1,000,000 payments
#   MERCHANTS=1000 PAYMENTS=100000 bench/settlement/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

MERCHANTS=${MERCHANTS:-10000}
PAYMENTS=${PAYMENTS:-1000000}
SALES_DATE=${SALES_DATE:-2026-11-23}
DB=${DB:-settlement_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
JAVA_BIN=${JAVA_BIN:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
JAR=settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
LOG="$OUT/settlement-$STAMP.log"
PSQL="psql -h $PGHOST -U $PGUSER -v ON_ERROR_STOP=1 -q"

[ -f "$JAR" ] || ./mvnw -q -DskipTests package
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

echo "== fresh database $DB on $PGHOST"
$PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB"
export DB_HOST=$PGHOST DB_PORT=5432 DB_NAME=$DB DB_USERNAME=$PGUSER DB_PASSWORD=
# the app migrates the schema (Flyway) and exits 2: no job named
"$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only >> "$LOG" 2>&1 || true

echo "== generating $MERCHANTS merchants, $PAYMENTS payments of $SALES_DATE"
t=$(now)
$PSQL -d $DB -v merchants=$MERCHANTS -v payments=$PAYMENTS -v cancel_every=20 -v sales_date=$SALES_DATE -f bench/settlement/generate.sql
GEN=$(since $t)
$PSQL -d $DB -c "vacuum analyze"

echo "== set-based SQL (yardstick)"
t=$(now)
$PSQL -d $DB -v sales_date=$SALES_DATE -f bench/settlement/settle-set-based.sql
SQL=$(since $t)

echo "== settlementJob"
t=$(now)
"$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=settlementJob date=$SALES_DATE \
  --payments.settlement.report-directory="$OUT/reports-$STAMP" >> "$LOG" 2>&1
JOB_WALL=$(since $t)
step_ms() { grep -oP "Step: \[$1\] executed in \K[0-9hms]+" "$LOG" | tail -1; }

echo "== comparing the job's rows with the yardstick"
DIFF=$($PSQL -d $DB -At -v sales_date=$SALES_DATE <<SQL
\i bench/settlement/settle-set-based.sql
select count(*) from expected_settlement e
  full join (select * from settlement where sales_date = '$SALES_DATE') s on s.merchant_id = e.merchant_id
 where s.id is null or e.merchant_id is null
    or (s.sales_amount, s.fee, s.fee_vat, s.withholding, s.payout_amount, s.carried_out_amount)
       is distinct from (e.sales_amount, e.fee, e.fee_vat, e.withholding, e.payout_amount, e.carried_out_amount);
SQL
)
BALANCED=$($PSQL -d $DB -At -c "select sum(case side when 'D' then amount else -amount end) = 0 from ledger_entry")

{
  echo "settlement benchmark $STAMP: $MERCHANTS merchants, $PAYMENTS payments (5 % partially cancelled), date $SALES_DATE"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, PostgreSQL $($PSQL -d $DB -At -c 'show server_version'), java $("$JAVA_BIN" -version 2>&1 | head -1)"
  echo "generate (SQL, server-side)      : ${GEN} s"
  echo "set-based SQL, same rows         : ${SQL} s"
  echo "settlementJob, whole process     : ${JOB_WALL} s (JVM start, Flyway validate, 3 steps)"
  echo "  stageSettlementLines           : $(step_ms stageSettlementLines)"
  echo "  settleMerchants                : $(step_ms settleMerchants)"
  echo "  writePayoutReports             : $(step_ms writePayoutReports)"
  echo "rows differing from the yardstick: $DIFF"
  echo "ledger balanced                  : $BALANCED"
} | tee "$OUT/settlement-$STAMP.txt"
