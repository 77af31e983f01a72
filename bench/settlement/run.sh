#!/usr/bin/env bash
# Settlement benchmark: settlementJob on MERCHANTS merchants x PAYMENTS payments (every 20th partially
# cancelled) of one sales date, against the PostgreSQL server on 127.0.0.1, side by side with the
# hand-written set-based SQL of the same settlement rows (settle-set-based.sql), then checks that both
# agree to the won. Usage, from the repository root:
#   bench/settlement/run.sh                      # 10,000 merchants, 1,000,000 payments
#   MERCHANTS=1000 PAYMENTS=100000 bench/settlement/run.sh
#   REUSE=1 bench/settlement/run.sh              # start from the data set kept by the last REUSE=1 run
#   AOT=1 bench/settlement/run.sh                # the job from the extracted jar with a JDK 25 AOT cache (see docs)
#   PARTITIONS=4 bench/settlement/run.sh         # payments.settlement.partitions (default: the CPU count)
#   WORKERS=2 bench/settlement/run.sh            # remote partitions: 2 worker processes started first (not timed),
#                                                # RabbitMQ on RABBITMQ_HOST (127.0.0.1), queue partitions.bench
#   JAVA_OPTS=-Xmx512m bench/settlement/run.sh   # the job (and workers) within a heap bound
#   BIG_PERCENT=50 bench/settlement/run.sh       # half the payments to one big seller
# Two yardsticks run on the same data before the job: settle-set-based.sql computes the settlement rows
# into a temp table (the issue's yardstick); settle-set-based-writes.sql writes everything the job writes
# to the database (lines, settlements, payouts, ledger, wallets) on a copy of the data set.
set -euo pipefail
cd "$(dirname "$0")/../.."

MERCHANTS=${MERCHANTS:-10000}
PAYMENTS=${PAYMENTS:-1000000}
SALES_DATE=${SALES_DATE:-2026-11-23}
DB=${DB:-settlement_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
JAVA_BIN=${JAVA_BIN:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
JAR=${JAR:-settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar}
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
LOG="$OUT/settlement-$STAMP.log"
PSQL="psql -h $PGHOST -U $PGUSER -v ON_ERROR_STOP=1 -q"

[ -f "$JAR" ] || ./mvnw -q -DskipTests package
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

SEED=${DB}_seed_${MERCHANTS}_${PAYMENTS}$([ "${BIG_PERCENT:-0}" = 0 ] || echo "_big${BIG_PERCENT}")
export DB_HOST=$PGHOST DB_PORT=5432 DB_NAME=$DB DB_USERNAME=$PGUSER DB_PASSWORD=
export PAYMENTS_DATA_KEY="${PAYMENTS_DATA_KEY:-bench:$(head -c 32 /dev/urandom | base64 -w0)}"   # the apps need one on a server
$PSQL -d postgres -c "drop database if exists $DB" -c "drop database if exists ${DB}_writes"
if [ "${REUSE:-}" = 1 ] && [ "$($PSQL -d postgres -At -c "select count(*) from pg_database where datname = '$SEED'")" = 1 ]; then
  echo "== database $DB copied from the data set kept in $SEED"
  $PSQL -d postgres -c "create database $DB template $SEED strategy file_copy"
  "$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only >> "$LOG" 2>&1 || true
  GEN="(reused $SEED)"
else
  echo "== fresh database $DB on $PGHOST"
  $PSQL -d postgres -c "create database $DB"
  # the app migrates the schema (Flyway) and exits 2: no job named
  "$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only >> "$LOG" 2>&1 || true
  echo "== generating $MERCHANTS merchants, $PAYMENTS payments of $SALES_DATE"
  t=$(now)
  $PSQL -d $DB -v merchants=$MERCHANTS -v payments=$PAYMENTS -v cancel_every=20 -v big_percent=${BIG_PERCENT:-0} \
    -v sales_date=$SALES_DATE -f bench/settlement/generate.sql
  GEN=$(since $t)
  if [ "${REUSE:-}" = 1 ]; then
    $PSQL -d postgres -c "drop database if exists $SEED" -c "create database $SEED template $DB strategy file_copy"
  fi
fi
$PSQL -d $DB -c "vacuum analyze"
$PSQL -d postgres -c "create database ${DB}_writes template $DB strategy file_copy"
# every timed part starts after a checkpoint, so none pays for the WAL and dirty pages of the one before
checkpoint() { $PSQL -d postgres -c checkpoint; }

echo "== set-based SQL (yardstick)"
checkpoint
t=$(now)
$PSQL -d $DB -v sales_date=$SALES_DATE -f bench/settlement/settle-set-based.sql
SQL=$(since $t)

echo "== set-based SQL writing what the job writes (second yardstick, on the copy ${DB}_writes)"
checkpoint
t=$(now)
$PSQL -d ${DB}_writes -v sales_date=$SALES_DATE -f bench/settlement/settle-set-based-writes.sql
SQL_WRITES=$(since $t)
$PSQL -d postgres -c "drop database ${DB}_writes"

JOB_CMD=("$JAVA_BIN" ${JAVA_OPTS:-} -jar "$JAR")
JOB_ARGS=(--spring.batch.job.name=settlementJob date=$SALES_DATE --payments.settlement.report-directory="$OUT/reports-$STAMP")
[ -n "${PARTITIONS:-}" ] && JOB_ARGS+=(--payments.settlement.partitions=$PARTITIONS)
WORKER_PIDS=()
stop_workers() { for pid in "${WORKER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_workers EXIT
if [ -n "${WORKERS:-}" ]; then
  QUEUE=partitions.bench
  JOB_ARGS+=(--payments.settlement.workers=remote --payments.settlement.queue=$QUEUE)
  echo "== starting $WORKERS worker process(es) on queue $QUEUE (not timed)"
  for i in $(seq 1 "$WORKERS"); do
    "$JAVA_BIN" ${JAVA_OPTS:-} -jar "$JAR" --payments.settlement.role=worker --payments.settlement.queue=$QUEUE \
      --payments.settlement.report-directory="$OUT/reports-$STAMP" > "$OUT/settlement-$STAMP-worker$i.log" 2>&1 &
    WORKER_PIDS+=($!)
  done
  for i in $(seq 1 "$WORKERS"); do
    until grep -q "Started SettlementBatchApplication" "$OUT/settlement-$STAMP-worker$i.log"; do sleep 0.5; done
  done
fi
if [ "${AOT:-}" = 1 ]; then
  # what the crontab runs (jobs/run-batch.sh: extracted jar + AOT cache); it trains once per jar and JDK,
  # here before the timing
  echo "== extracting the jar and training the AOT cache (not timed; skipped when $OUT/aot has it)"
  export JAVA="$JAVA_BIN" JAR AOT_DIR="$OUT/aot"
  jobs/run-batch.sh --prepare >> "$LOG" 2>&1
  JOB_CMD=(jobs/run-batch.sh)
fi

echo "== settlementJob"
checkpoint
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
t=$(now)
"${JOB_CMD[@]}" "${JOB_ARGS[@]}" >> "$LOG" 2>&1
JOB_WALL=$(since $t)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
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
  echo "load average before / after job  : $LOAD_BEFORE / $LOAD_AFTER"
  echo "set-based SQL, same rows         : ${SQL} s (computes the settlement rows into a temp table)"
  echo "set-based SQL, same writes       : ${SQL_WRITES} s (lines, settlements, payouts, ledger, wallets; no report files)"
  echo "settlementJob, whole process     : ${JOB_WALL} s (JVM start, Flyway validate, 3 steps)$([ "${AOT:-}" = 1 ] && echo ", extracted jar + AOT cache"), partitions ${PARTITIONS:-$(nproc)}, $([ -n "${WORKERS:-}" ] && echo "$WORKERS remote worker(s)" || echo "local threads")${JAVA_OPTS:+, $JAVA_OPTS}"
  echo "  JVM and context start          : $(grep -oP 'Started SettlementBatchApplication in [0-9.]+ seconds \(process running for \K[0-9.]+' "$LOG" | tail -1) s"
  echo "  stageSettlementLines           : $(step_ms stageSettlementLines)"
  echo "  settleMerchants                : $(step_ms settleMerchants)"
  echo "  writePayoutReports             : $(step_ms writePayoutReports)"
  echo "  steps together                 : $(grep -oP 'Step: \[(stageSettlementLines|settleMerchants|writePayoutReports)\] executed in \K[0-9hms]+' "$LOG" | tail -3 | paste -sd+)"
  echo "rows differing from the yardstick: $DIFF"
  echo "ledger balanced                  : $BALANCED"
} | tee "$OUT/settlement-$STAMP.txt"
