#!/usr/bin/env bash
# Phase 5, "settlement slows payments": confirm latency with no batch running, then while
# settlementJob settles the day before for the same sellers (their wallets are the rows both touch).
# Server PostgreSQL on 127.0.0.1, payment-api and settlement-batch jars, wrk with bench/confirm/confirm.lua.
#   bench/phase5/run.sh            # 2,000 merchants, 400,000 payments to settle, 4 confirm clients
#   BATCH_NICE=19 bench/phase5/run.sh                                   # the batch JVM at a lower CPU priority
#   BATCH_ARGS="--payments.settlement.chunk-size=100" bench/phase5/run.sh  # job settings, one lever at a time
#   BATCH_NICE=19 BATCH_PG_NICE=19 bench/phase5/run.sh   # also renice the batch's PostgreSQL backends (root)
#   BATCH_SCHED=idle bench/phase5/run.sh                 # the batch JVM under SCHED_IDLE (chrt --idle 0): any
#                                                        # runnable normal thread goes first, unlike nice 19
#   AOT=1 bench/phase5/run.sh                            # the job as jobs/run-batch.sh runs it (AOT cache, ~3 s start)
#   REPORT_DIR=/dev/shm bench/phase5/run.sh              # payout reports on another file system (here: memory)
#   DURING_S=45 bench/phase5/run.sh                      # a longer "during" window, to cover the whole job
#   WARMUP_S=30 bench/phase5/run.sh                      # the warm-up at full speed before the idle window (240 s,
#                                                        # the last SETTLE_S=60 of them after a checkpoint)
#   CLIENTS=16 THINK_MS=100 bench/phase5/run.sh          # paced load: each connection waits 100 ms between
#                                                        # confirms (<= 160/s), leaving the machine idle time
#   NULL_JOB=1 bench/phase5/run.sh                       # no job at all ("sleep" in its place): how far the
#                                                        # "during" window moves from the idle one by itself
# Windows: idle (before the job), during (the job running), idle again after the job; every window
# samples pg_stat_activity of the bench database (wait events of the confirm and batch backends) twice a
# second and the CPU the API JVM, the batch JVM and the whole machine used.
set -euo pipefail
cd "$(dirname "$0")/../.."
MERCHANTS=${MERCHANTS:-2000}
PAYMENTS=${PAYMENTS:-400000}
SELLERS=${SELLERS:-20}          # merchants taking confirms, spread over the id range (one per chunk)
CLIENTS=${CLIENTS:-4}
THINK_MS=${THINK_MS:-0}         # 0: closed loop at full speed (the machine saturated by the confirms alone)
SECONDS_IDLE=${SECONDS_IDLE:-25}
# full speed before the first window: after 30 s or 90 s the API's JVM still spent twice the CPU per
# confirm in the idle window as after 240 s (its C2 compiler thread busy on the two shared cores)
WARMUP_S=${WARMUP_S:-240}
SETTLE_S=${SETTLE_S:-60}        # the last part of the warm-up, after a checkpoint (below); the windows must end
                                # within 300 s of it: SETTLE_S + 2 x SECONDS_IDLE + DURING_S + ~10 s
BATCH_NICE=${BATCH_NICE:-0}
BATCH_PG_NICE=${BATCH_PG_NICE:-0}
BATCH_SCHED=${BATCH_SCHED:-other}
BATCH_ARGS=${BATCH_ARGS:-}
DURING_S=${DURING_S:-$SECONDS_IDLE}
# orders per wrk thread: 20,000 for each window; the full-speed warm-up gets 200 a second per thread, so it
# never runs out of orders (a thread past its range sends unknown orders and warms the 404 path instead)
WARMUP_PER_THREAD=$(( WARMUP_S * 200 ))
DB=phase5_bench
DAY=2026-11-23
JAVA_BIN=${JAVA_BIN:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
API_JAR=${API_JAR:-payment-api/target/payment-api-0.1.0-SNAPSHOT.jar}
BATCH_JAR=${BATCH_JAR:-settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar}
OUT=bench/results; mkdir -p "$OUT"; STAMP=$(date +%Y%m%d-%H%M%S)
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
[ -f "$API_JAR" ] && [ -f "$BATCH_JAR" ] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

$PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB"
export DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=$DB DB_USERNAME=postgres DB_PASSWORD=
export PAYMENTS_DATA_KEY="${PAYMENTS_DATA_KEY:-bench:$(head -c 32 /dev/urandom | base64 -w0)}"   # the apps need one on a server
"$JAVA_BIN" -jar "$BATCH_JAR" --spring.batch.job.name=migrate-only > "$OUT/phase5-$STAMP-migrate.log" 2>&1 || true
$PSQL -d $DB -v merchants=$MERCHANTS -v payments=$PAYMENTS -v cancel_every=20 -v sales_date=$DAY -f bench/settlement/generate.sql

# SELLERS merchants spread over the id range get known secret keys and the orders for today
$PSQL -d $DB <<SQL
create table p5_seller as
select id, (row_number() over (order by id) - 1) as k from merchant where id % ($MERCHANTS / $SELLERS) = 0 limit $SELLERS;
update merchant m set secret_key_hash = encode(sha256(convert_to('test_sk_p5_' || s.k, 'UTF8')), 'hex')
  from p5_seller s where s.id = m.id;
insert into orders (merchant_id, order_id, order_name, total_amount)
select s.id, 'bench-' || lpad(g::text, 7, '0'), 'phase 5', 10000
  from generate_series(1, 150000 + 4 * $WARMUP_PER_THREAD) g join p5_seller s on s.k = (g - 1) % $SELLERS;
analyze;
SQL
# The generated data set leaves ~1 GB of dirty pages and WAL behind: flush it now, so that its writeback
# and checkpoint are not part of any window (the idle window's p50 stayed 12-14 ms with or without this).
$PSQL -d $DB -c checkpoint; sync
AUTHS=$(for k in $(seq 0 $((SELLERS - 1))); do printf '%s' "test_sk_p5_$k:" | base64 -w0; echo; done | paste -sd,)

# the API's access log (request end in epoch ms, time taken in µs) gives the latency second by second, for
# the timeline at the end: which part of the job the slow confirms fall into
ACCESS_DIR="$PWD/$OUT/phase5-$STAMP-access"
SERVER_TOMCAT_ACCESSLOG_ENABLED=true SERVER_TOMCAT_ACCESSLOG_DIRECTORY="$ACCESS_DIR" \
  SERVER_TOMCAT_ACCESSLOG_PATTERN='%{end:msec}t %D' \
  PORT=18090 MANAGEMENT_PORT=18091 PAYMENT_ADMIN_TOKEN=bench "$JAVA_BIN" -jar "$API_JAR" > "$OUT/phase5-$STAMP-app.log" 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true' EXIT
for i in $(seq 1 120); do curl -sf localhost:18091/actuator/health >/dev/null && break; sleep 1; done
# load DURATION FIRST_ORDER [THINK_MS [PER_THREAD]]
load() { wrk -t2 -c$CLIENTS -d"$1" --timeout 10s --latency -s bench/confirm/confirm.lua http://127.0.0.1:18090 -- "$2" "${4:-20000}" "$AUTHS" 10000 "${3:-$THINK_MS}"; }
cpu_s() { awk '{ printf "%.2f", ($14 + $15 + $16 + $17) / 100 }' /proc/$1/stat 2>/dev/null || echo 0; }
# checkpoints started (timed or requested) and buffers written by checkpoints, the background writer, backends
bgwriter() { $PSQL -d postgres -At -F ' ' -c "select checkpoints_timed + checkpoints_req, buffers_checkpoint, buffers_clean, buffers_backend from pg_stat_bgwriter" 2>/dev/null || echo "0 0 0 0"; }   # PostgreSQL <= 16
busy_s() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / 100 }' /proc/stat; }
# one window: wrk for SECONDS_IDLE s from order $2 while sampling; writes -$1.txt (wrk) and -$1-samples.txt
window() {
  local name=$1 samples="$OUT/phase5-$STAMP-$1-samples.txt" app0 job0 busy0 t0 bg0
  app0=$(cpu_s $APP); job0=$(cpu_s ${JOB:-0}); busy0=$(busy_s); t0=$(date +%s.%N); bg0=$(bgwriter)
  ( while true; do
      $PSQL -d postgres -At -F ' | ' -c "select state, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-'),
             case when application_name = 'settlement-batch' then 'batch:' else '' end ||
             case when query ~* 'wallet' then 'wallet' when query ~* 'settlement_line' then 'settlement_line'
                  when query ~* 'ledger' then 'ledger' when query ~* 'payout' then 'payout'
                  when query ~* 'settlement' then 'settlement' when query ~* 'payment|orders' then 'payment'
                  else left(regexp_replace(query, '\s+', ' ', 'g'), 20) end, count(*)
             from pg_stat_activity where datname = '$DB' and pid <> pg_backend_pid() and state <> 'idle' group by 1, 2, 3" || true
      echo "--"; sleep 0.5
    done ) > "$samples" 2>&1 &
  local sampler=$!
  load ${3:-$SECONDS_IDLE}s $2 > "$OUT/phase5-$STAMP-$1.txt"
  kill $sampler 2>/dev/null || true
  local secs; secs=$(echo "$(date +%s.%N) - $t0" | bc)
  # a job that ended inside the window is gone from /proc: its CPU cannot be read any more
  local batch="0 cores"
  if [ "${JOB:-0}" != 0 ]; then
    [ -e /proc/$JOB ] && batch="$(echo "scale=2; ($(cpu_s $JOB) - $job0) / $secs" | bc) cores" || batch="n/a (the job ended inside the window)"
  fi
  echo "cpu $name: api $(echo "scale=2; ($(cpu_s $APP) - $app0) / $secs" | bc) cores, batch $batch, machine busy $(echo "scale=2; ($(busy_s) - $busy0) / $secs" | bc) of $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/phase5-$STAMP-cpu.txt"
  echo "$(bgwriter) $bg0" | awk -v w="$name" '{ printf "checkpoints %s: %d started, %d buffers written by checkpoints, %d by the background writer, %d by backends\n", w, $1 - $5, $2 - $6, $3 - $7, $4 - $8 }' >> "$OUT/phase5-$STAMP-cpu.txt"
}
# the five commonest non-idle (state, wait event, statement) samples of a window, as a share of all samples
waits() { grep -v '^--' "$OUT/phase5-$STAMP-$1-samples.txt" | awk -F ' [|] ' '{ c[$2 " " $3] += $4; t += $4 }
  END { for (k in c) printf "%d\t%s %.0f%%\n", c[k], k, 100 * c[k] / t }' | sort -rn | head -6 | cut -f2 | paste -sd ',' | sed 's/,/, /g'; }
BATCH_CMD=("$JAVA_BIN" -jar "$BATCH_JAR")
if [ "${AOT:-}" = 1 ]; then   # trained here, before any window (once per jar and JDK)
  export JAVA="$JAVA_BIN" JAR="$BATCH_JAR" AOT_DIR="$OUT/aot"
  jobs/run-batch.sh --prepare >> "$OUT/phase5-$STAMP-migrate.log" 2>&1
  BATCH_CMD=(jobs/run-batch.sh)
fi
LOAD0=$(cut -d" " -f1-3 /proc/loadavg)
# warm-up at full speed whatever THINK_MS: a paced load leaves the JIT compiling into the idle window
# A checkpoint SETTLE_S before the idle window: the timed one (checkpoint_timeout, 5 min on this server) would
# otherwise start ~300 s after the one above, i.e. ~15 s into the job in every run, and spread its writes over
# the rest of the windows (20261126-203719: with no job at all, p99 1.13x the idle window while it ran). Right
# after a checkpoint each page's first change logs the whole page (full_page_writes: the random keys of the
# payment and idempotency indexes touch pages all over), so the load goes on for SETTLE_S before the first window.
if [ "$WARMUP_S" -gt "$SETTLE_S" ]; then load $((WARMUP_S - SETTLE_S))s 150001 0 $WARMUP_PER_THREAD > /dev/null; fi
$PSQL -d $DB -c checkpoint
load ${SETTLE_S}s $((150001 + 2 * WARMUP_PER_THREAD)) 0 $WARMUP_PER_THREAD > /dev/null
IDLE0_MS=$(date +%s%3N); window idle 1; IDLE1_MS=$(date +%s%3N)
T0_MS=$(date +%s%3N)
if [ "${NULL_JOB:-}" = 1 ]; then   # nothing runs beside the confirms: the windows' own spread, for comparison
  sleep $((DURING_S + 5)) > "$OUT/phase5-$STAMP-batch.log" 2>&1 &
else
  chrt --"$BATCH_SCHED" 0 nice -n "$BATCH_NICE" "${BATCH_CMD[@]}" --spring.batch.job.name=settlementJob date=$DAY \
    --payments.settlement.report-directory="${REPORT_DIR:-$OUT}/reports-p5-$STAMP" \
    --spring.datasource.hikari.data-source-properties.ApplicationName=settlement-batch $BATCH_ARGS > "$OUT/phase5-$STAMP-batch.log" 2>&1 &
fi
JOB=$!
# when the job exits (to 0.2 s): the during window may outlast it, and the summary reads the confirms of its run alone
( while kill -0 $JOB 2>/dev/null; do sleep 0.2; done; date +%s%3N > "$OUT/phase5-$STAMP-job-end" ) &
if [ "$BATCH_PG_NICE" != 0 ]; then   # the batch's backends, as soon as they connect
  ( while kill -0 $JOB 2>/dev/null; do
      for pid in $($PSQL -d postgres -At -c "select pid from pg_stat_activity where application_name = 'settlement-batch'"); do
        renice -n "$BATCH_PG_NICE" -p "$pid" > /dev/null 2>&1 || true
      done; sleep 0.5
    done ) &
fi
sleep 1
window during 50001 $DURING_S
JOB_RC=0; wait $JOB || JOB_RC=$?
sleep 0.5; END_MS=$(cat "$OUT/phase5-$STAMP-job-end"); JOB_S=$(( (END_MS - T0_MS) / 1000 ))
JOB=0
window after 100001
# "key n p50 p99" for each key of the "key value" lines on stdin
quantiles() { sort -k1,1n -k2,2n | awk '
  function flush() { if (c) printf "%d %d %.1f %.1f\n", cur, c, v[int(c / 2) + 1], v[int(c * 0.99) + 1] }
  $1 != cur { flush(); cur = $1; c = 0 }
  { v[++c] = $2 }
  END { flush() }'; }
# the API's own time per confirm (access log) for the confirms that ended from $1 to $2 (epoch ms): "n p50 p99"
span() { cat "$ACCESS_DIR"/*.log | awk -v from="$1" -v to="$2" '$1 >= from && $1 < to { print 0, $2 / 1000 }' | quantiles |
  awk '{ print $2, $3, $4 } END { if (!NR) print "0 0 0" }'; }
p() { grep -oP "RESULT.* $2=\K[0-9.]+" "$OUT/phase5-$STAMP-$1.txt"; }
# p50 / p99 / count of the confirms ending in each 5 s from 20 s before the job's launch to 70 s after it,
# each bucket marked with what the job was doing then (the batch log's step starts, in epoch ms)
timeline() {
  local marks
  marks=$(grep -oE '"@timestamp":"[^"]+".*"message":"(Started SettlementBatch|Executing step: \[[A-Za-z]+\]|Job: \[SimpleJob: \[name=settlementJob\]\] completed)' \
            "$OUT/phase5-$STAMP-batch.log" | sed -E 's/"@timestamp":"([^"]+)".*"message":"(.*)/\1|\2/' |
          while IFS='|' read -r ts what; do
            case $what in Started*) what=started ;; Job*) what=done ;; *) what=${what#Executing step: } ;; esac
            echo "$(( ($(date -d "$ts" +%s%3N) - T0_MS + 20000) / 5000 )) $what"
          done) || true
  cat "$ACCESS_DIR"/*.log | awk -v t0="$T0_MS" '$1 >= t0 - 20000 { b = int(($1 - t0 + 20000) / 5000); if (b < 18) print b, $2 / 1000 }' |
    quantiles | awk -v marks="$marks" '
      BEGIN { n = split(marks, m, "\n"); for (i = 1; i <= n; i++) { split(m[i], f, " "); mark[f[1]] = mark[f[1]] " " f[2] } }
      { printf "  %+4d s  n %4d  p50 %6.1f  p99 %6.1f %s\n", ($1 - 4) * 5, $2, $3, $4, mark[$1] }'
}
{
  echo "phase 5 $STAMP: $SELLERS sellers taking confirms ($CLIENTS clients, think $THINK_MS ms) among $MERCHANTS merchants settling $PAYMENTS payments"
  [ "${NULL_JOB:-}" = 1 ] && echo "NULL_JOB=1: no job ran, the during window is idle too"
  echo "batch: $BATCH_JAR$([ "${AOT:-}" = 1 ] && echo ' (AOT cache)'), scheduling $BATCH_SCHED, nice $BATCH_NICE (backends $BATCH_PG_NICE), args '$BATCH_ARGS'; during window ${DURING_S} s; load average before: $LOAD0"
  echo "idle:   $(p idle tps) confirm/s, p50 $(p idle p50) ms, p99 $(p idle p99) ms"
  echo "during: $(p during tps) confirm/s, p50 $(p during p50) ms, p99 $(p during p99) ms (settlementJob exit $JOB_RC, ${JOB_S} s)"
  echo "after:  $(p after tps) confirm/s, p50 $(p after p50) ms, p99 $(p after p99) ms"
  echo "p99 during / idle: $(echo "scale=2; $(p during p99) / $(p idle p99)" | bc)  (goal <= 1.2); during / after: $(echo "scale=2; $(p during p99) / $(p after p99)" | bc)"
  # wrk's "during" window is fixed (DURING_S) while the job's length varies with its settings: the access log
  # gives the confirms of exactly the job's run, launch to exit, against those of the idle window
  read -r n_idle p50_idle p99_idle <<< "$(span "$IDLE0_MS" "$IDLE1_MS")"
  read -r n_job p50_job p99_job <<< "$(span "$T0_MS" "$END_MS")"
  echo "API's own time: idle window n $n_idle, p50 $p50_idle, p99 $p99_idle ms; the job's run (${JOB_S} s) n $n_job, p50 $p50_job, p99 $p99_job ms: p99 job / idle $(echo "scale=2; $p99_job / $p99_idle" | bc)$(
    [ "$JOB_S" -gt $((DURING_S + 1)) ] && echo " (the job outlasted the during window: DURING_S=$JOB_S or more covers all of it)")"
  cat "$OUT/phase5-$STAMP-cpu.txt"
  echo "waits idle:   $(waits idle)"
  echo "waits during: $(waits during)"
  grep -oE "Step: \[.*\] executed in [0-9hms]+" "$OUT/phase5-$STAMP-batch.log" | sed 's/.*Step:/  step/' || true
  echo "timeline (5 s buckets from 20 s before the job's launch; the API's own time per confirm, ms):"
  timeline
} | tee "$OUT/phase5-$STAMP.txt"
