#!/usr/bin/env bash
# Confirm throughput benchmark: POST /v1/payments/confirm against a real PostgreSQL server, with the
# in-process PG simulator at zero added latency, compared with pgbench's TPC-B on the same server
# and the same client count. See docs/benchmarks.md ("Confirm throughput (payment-api)").
#
# Usage, from the repository root:
#   bench/confirm/run.sh            # 16 clients
#   bench/confirm/run.sh 32         # 32 clients (or CLIENTS=32 bench/confirm/run.sh)
#
# Settings (environment, defaults in brackets):
#   CLIENTS [16]            concurrent connections for wrk and clients for pgbench
#   DURATION [30]           seconds of the measured wrk run; PGBENCH_DURATION [30] for pgbench
#   WARMUP [30]             seconds of wrk warm-up before the measured run (not counted; the JIT
#                           needs it: with 10 s the measured run was ~15 % slower on 2 cores)
#   ORDERS [400000]         orders pre-created with SQL (1/4 for warm-up, 3/4 for the measured run)
#   MERCHANTS [1]           merchants the orders are spread over (each has its own wallet row)
#   WRK_THREADS [2]         wrk threads; PGBENCH_JOBS [2] pgbench threads
#   PGBENCH_SCALE [10]      pgbench -i -s
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres] PGPASSWORD []   the PostgreSQL server
#   APP_DB [payments_bench] PGBENCH_DB [pgbench_bench]                   dropped and re-created!
#   APP_PORT [18080]        port of the payment-api under test; MGMT_PORT [APP_PORT + 1] its actuator port
#                           (export PG_SIMULATOR_PORT too when 8091/8092 are taken: its in-process PGs)
#   RATE_LIMITS [on]        off: the app's token buckets switched off (PAYMENTS_RATE_LIMITS_ENABLED=false);
#                           bench/confirm/limits-ab.sh compares both in one run
#   PG_MODE [standalone]    standalone: the PG simulator runs as its own process (its jar, on SIM_PORT
#                           [APP_PORT + 2]) and the app reaches it through PG_BASE_URL, so the app's CPU is
#                           the app's own and the simulator's is reported apart; in-process: the simulator
#                           runs inside the app (the app's default without PG_BASE_URL)
#   SIM_JAR [pg-simulator/target/pg-simulator-0.1.0-SNAPSHOT-exec.jar]
#   APP_JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java]   Java 21+ so virtual threads are on
#   JFR_FILE []             a path: the app records a JFR profile (settings=profile) of the measured run there
#                           (bench/confirm/profile.sh sets it and breaks the recording down)
#   JAVA_OPTS []            extra JVM options for the app
#   HIKARI_POOL []          Hikari maximum pool size (empty: the app's default, 10)
#   JAR [payment-api/target/payment-api-0.1.0-SNAPSHOT.jar]  built with ./mvnw when missing
#   BUILD [0]               1: always build the jar first (./mvnw -q -DskipTests package)
#   FAIL_ON_GOAL [0]        1: exit 3 when the goal (tps >= 0.4 x pgbench, p99 <= 50 ms) is not met
#
# Every run writes bench/results/confirm-<timestamp>.txt (the summary), plus -app.log,
# -samples.txt (top, pg_stat_activity wait events and Hikari gauges taken during the run),
# -wrk.txt and -pgbench.txt next to it. bench/results/ is git-ignored.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

CLIENTS="${1:-${CLIENTS:-16}}"
DURATION="${DURATION:-30}"
PGBENCH_DURATION="${PGBENCH_DURATION:-30}"
WARMUP="${WARMUP:-30}"
ORDERS="${ORDERS:-400000}"
MERCHANTS="${MERCHANTS:-1}"
WRK_THREADS="${WRK_THREADS:-2}"
PGBENCH_JOBS="${PGBENCH_JOBS:-2}"
PGBENCH_SCALE="${PGBENCH_SCALE:-10}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGPASSWORD="${PGPASSWORD:-}"
APP_DB="${APP_DB:-payments_bench}"
PGBENCH_DB="${PGBENCH_DB:-pgbench_bench}"
APP_PORT="${APP_PORT:-18080}"
MGMT_PORT="${MGMT_PORT:-$((APP_PORT + 1))}"
RATE_LIMITS="${RATE_LIMITS:-on}"
APP_JAVA="${APP_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA_OPTS="${JAVA_OPTS:-}"
JFR_FILE="${JFR_FILE:-}"
HIKARI_POOL="${HIKARI_POOL:-}"
JAR="${JAR:-payment-api/target/payment-api-0.1.0-SNAPSHOT.jar}"
FAIL_ON_GOAL="${FAIL_ON_GOAL:-0}"
PG_MODE="${PG_MODE:-standalone}"
SIM_PORT="${SIM_PORT:-$((APP_PORT + 2))}"
SIM_JAR="${SIM_JAR:-pg-simulator/target/pg-simulator-0.1.0-SNAPSHOT-exec.jar}"
BUILD="${BUILD:-0}"
AMOUNT=10000

(( WRK_THREADS > CLIENTS )) && WRK_THREADS="$CLIENTS"
(( PGBENCH_JOBS > CLIENTS )) && PGBENCH_JOBS="$CLIENTS"

RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
TS="$(date +%Y%m%d-%H%M%S)"
OUT="$RESULTS/confirm-$TS.txt"
APP_LOG="$RESULTS/confirm-$TS-app.log"
SAMPLES="$RESULTS/confirm-$TS-samples.txt"
WRK_OUT="$RESULTS/confirm-$TS-wrk.txt"
PGBENCH_OUT="$RESULTS/confirm-$TS-pgbench.txt"
BASE_URL="http://127.0.0.1:$APP_PORT"
MGMT_URL="http://127.0.0.1:$MGMT_PORT"   # actuator: health, prometheus

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
CORES="$(nproc)"
source "$ROOT/bench/lib/cpu.sh"   # cpu_seconds
# ",pid,pid,...," of the PostgreSQL server under test (postmaster and its children), so that other
# PostgreSQL instances on the machine (e.g. embedded ones of test runs) count as other load; empty if
# the postmaster cannot be found (then every process named postgres counts as the server's)
POSTMASTER_PID="$(head -1 "$(psql_q -d postgres -c 'show data_directory' 2>/dev/null)/postmaster.pid" 2>/dev/null || true)"
server_pids() {
    [[ -n "$POSTMASTER_PID" ]] || return 0
    echo ",$POSTMASTER_PID,$(pgrep -P "$POSTMASTER_PID" | paste -sd, -),"
}
# database-side counters: commits and rows of one database, WAL records and fsyncs of the server
pg_counters() {
    psql_q -d postgres -F ' ' -c "select d.xact_commit, d.tup_inserted + d.tup_updated + d.tup_deleted, d.tup_returned + d.tup_fetched,
        w.wal_records, w.wal_sync, w.wal_bytes from pg_stat_database d, pg_stat_wal w where d.datname = '$1'"
}
# machine CPU per transaction in ms from a vmstat log: (100 - idle) % of all cores / tps
cpu_ms_per_tx() {
    awk -v tps="$2" -v cores="$CORES" 'NR > 3 && $1 ~ /^[0-9]+$/ { id += $15; n++ }
        END { if (n && tps > 0) printf "%.2f", (100 - id / n) / 100 * cores * 1000 / tps; else print "n/a" }' "$1"
}

APP_PID=""
SIM_PID=""
SAMPLER_PID=""
VMSTAT_PID=""
cleanup() {
    local pid
    for pid in "$SAMPLER_PID" "$VMSTAT_PID" "$SIM_PID"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    stop_app
}
stop_app() {
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        log "stopping the app (pid $APP_PID)"
        kill "$APP_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# prerequisites
# ---------------------------------------------------------------------------------------------
[[ -x "$APP_JAVA" ]] || die "no Java at $APP_JAVA (set APP_JAVA to a Java 21+ binary)"
command -v psql >/dev/null || die "psql is missing"
PGBENCH="$(command -v pgbench || true)"
[[ -z "$PGBENCH" ]] && PGBENCH="$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)"
[[ -x "$PGBENCH" ]] || die "pgbench is missing (it comes with the PostgreSQL client/server packages)"
command -v curl >/dev/null || die "curl is missing"
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    fi
fi
if [[ "$BUILD" == 1 || ! -f "$JAR" || ( "$PG_MODE" == standalone && ! -f "$SIM_JAR" ) ]]; then
    log "building $JAR"
    ./mvnw -q -DskipTests package
fi
pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL at $PGHOST:$PGPORT is not accepting connections"
if curl -s -o /dev/null "$BASE_URL/"; then die "something already listens on port $APP_PORT (set APP_PORT)"; fi

# The numbers mean little while something else (a build, an IDE) uses the CPU: wait up to
# QUIET_WAIT seconds [120] for the machine to be at least 85 % idle over 2 s, and record what it was.
QUIET_WAIT="${QUIET_WAIT:-120}"
idle_pct() {
    local a b
    read -r -a a < <(head -1 /proc/stat); sleep 2; read -r -a b < <(head -1 /proc/stat)
    local total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
    echo $(( total > 0 ? 100 * (b[4] - a[4] + b[5] - a[5]) / total : 100 ))
}
wait_quiet() { # $1: what for; prints the idle % it started at
    local deadline=$(( SECONDS + QUIET_WAIT )) idle
    while true; do
        idle="$(idle_pct)"
        if (( idle >= 85 )); then echo "$idle"; return; fi
        if (( SECONDS >= deadline )); then
            log "WARNING: the machine is only $idle % idle before $1; the result is disturbed by other load"
            echo "$idle"; return
        fi
        log "machine $idle % idle before $1: waiting for other load to finish"
        sleep 5
    done
}

recreate_db() {
    psql_q -d postgres -c "drop database if exists $1 with (force)" -c "create database $1"
}

# ---------------------------------------------------------------------------------------------
# the app against a fresh database
# ---------------------------------------------------------------------------------------------
log "re-creating database $APP_DB"
recreate_db "$APP_DB"

sim_env=()
if [[ "$PG_MODE" == standalone ]]; then
    curl -s -o /dev/null "http://127.0.0.1:$SIM_PORT/" && die "something already listens on port $SIM_PORT (set SIM_PORT)"
    log "starting the PG simulator on port $SIM_PORT (its own process, no faults, no latency)"
    "$APP_JAVA" -jar "$SIM_JAR" "$SIM_PORT" >"$RESULTS/confirm-$TS-simulator.log" 2>&1 &
    SIM_PID=$!
    for i in $(seq 1 60); do
        kill -0 "$SIM_PID" 2>/dev/null || die "the PG simulator exited during start; see confirm-$TS-simulator.log"
        curl -s -o /dev/null "http://127.0.0.1:$SIM_PORT/" && break
        (( i == 60 )) && die "the PG simulator did not listen within 30 s"
        sleep 0.5
    done
    # both providers at the same simulator: nothing of it runs inside the app
    sim_env=(PG_BASE_URL="http://127.0.0.1:$SIM_PORT" PG_BACKUP_BASE_URL="http://127.0.0.1:$SIM_PORT")
elif [[ "$PG_MODE" != in-process ]]; then
    die "PG_MODE is standalone or in-process, not $PG_MODE"
fi

ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM$RANDOM"
app_env=(DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_NAME="$APP_DB" DB_USERNAME="$PGUSER" DB_PASSWORD="$PGPASSWORD"
    PAYMENT_ADMIN_TOKEN="$ADMIN_TOKEN" PORT="$APP_PORT" MANAGEMENT_PORT="$MGMT_PORT" PAYMENTS_PG_SIMULATOR_LATENCYMS=0
    PAYMENTS_DATA_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)"
    PAYMENTS_RATE_LIMITS_ENABLED="$([[ "$RATE_LIMITS" == off ]] && echo false || echo true)"
    PAYMENTS_PG_SIMULATOR_LATENCYJITTERMS=0 PAYMENTS_PG_SIMULATOR_ERRORRATE=0 PAYMENTS_PG_SIMULATOR_TIMEOUTRATE=0)
[[ -n "$HIKARI_POOL" ]] && app_env+=(SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE="$HIKARI_POOL")
log "starting the app on port $APP_PORT with $("$APP_JAVA" -version 2>&1 | head -1) (log: ${APP_LOG#"$ROOT"/})"
# shellcheck disable=SC2086
env -u PG_BASE_URL -u PG_BACKUP_BASE_URL "${app_env[@]}" "${sim_env[@]+"${sim_env[@]}"}" "$APP_JAVA" $JAVA_OPTS -jar "$JAR" >"$APP_LOG" 2>&1 &
APP_PID=$!

for i in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || die "the app exited during start; see $APP_LOG"
    if curl -sf "$MGMT_URL/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
    (( i == 240 )) && die "the app did not become healthy in 120 s; see $APP_LOG"
    sleep 0.5
done
log "app is up"

MERCHANT_IDS=()
BASICS=()
for m in $(seq 1 "$MERCHANTS"); do
    merchant_json="$(curl -sf -X POST "$BASE_URL/v1/admin/merchants" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d "{\"name\":\"bench $m\",\"businessType\":\"BUSINESS\",\"feeRate\":\"0.033\"}")" \
        || die "could not create a merchant"
    merchant_id="$(sed -n 's/.*"merchantId":\([0-9]*\).*/\1/p' <<<"$merchant_json")"
    secret_key="$(sed -n 's/.*"secretKey":"\([^"]*\)".*/\1/p' <<<"$merchant_json")"
    [[ -n "$merchant_id" && -n "$secret_key" ]] || die "unexpected merchant response: $merchant_json"
    MERCHANT_IDS+=("$merchant_id")
    BASICS+=("$(printf '%s:' "$secret_key" | base64 -w0)")
done
BASIC_LIST="$(IFS=,; echo "${BASICS[*]}")"
MERCHANT_ARRAY="$(IFS=,; echo "${MERCHANT_IDS[*]}")"
log "$MERCHANTS merchant(s) created: $MERCHANT_ARRAY"

log "pre-creating $ORDERS orders with SQL"
psql_q -d "$APP_DB" <<SQL
-- order n belongs to merchant (n - 1) mod MERCHANTS, as confirm.lua expects
insert into orders (merchant_id, order_id, order_name, total_amount)
select (array[$MERCHANT_ARRAY])[(i - 1) % $MERCHANTS + 1], 'bench-' || lpad(i::text, 7, '0'), 'bench order ' || i, $AMOUNT
  from generate_series(1, $ORDERS) as i;
insert into order_item (order_pk, line_no, sku, name, unit_price, quantity, amount)
select id, 1, 'A', 'a', $AMOUNT, 1, $AMOUNT from orders;
SQL
psql_q -d "$APP_DB" -c "vacuum analyze orders" -c "vacuum analyze order_item" -c "checkpoint"

# a smoke test through the API with the last order, before loading
probe_id="$(printf '%07d' "$ORDERS")"
probe_status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE_URL/v1/payments/confirm" \
    -H "Authorization: Basic ${BASICS[$(( (ORDERS - 1) % MERCHANTS ))]}" -H 'Content-Type: application/json' \
    -d "{\"paymentKey\":\"pk_$probe_id\",\"orderId\":\"bench-$probe_id\",\"amount\":$AMOUNT}")"
[[ "$probe_status" == 200 ]] || die "a probe confirm answered $probe_status; see $APP_LOG"

# ---------------------------------------------------------------------------------------------
# load: warm-up, then the measured run
# ---------------------------------------------------------------------------------------------
WARM_ORDERS=$(( ORDERS / 4 ))
RUN_ORDERS=$(( ORDERS - WARM_ORDERS - 1 ))   # the last order was the probe
WARM_PER_THREAD=$(( WARM_ORDERS / WRK_THREADS ))
RUN_PER_THREAD=$(( RUN_ORDERS / WRK_THREADS ))
LUA="$ROOT/bench/confirm/confirm.lua"

result_field() { sed -n "s/^RESULT.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" "$1" | tail -1; }

IDLE_BEFORE_APP="$(wait_quiet "the confirm warm-up")"
log "warm-up: ${WARMUP}s, $CLIENTS connections"
wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${WARMUP}s" --timeout 10s -s "$LUA" "$BASE_URL" \
    -- 1 "$WARM_PER_THREAD" "$BASIC_LIST" "$AMOUNT" >"$RESULTS/confirm-$TS-warmup.txt" 2>&1
WARM_OK="$(result_field "$RESULTS/confirm-$TS-warmup.txt" ok)"
WARM_BAD="$(result_field "$RESULTS/confirm-$TS-warmup.txt" non2xx)"
[[ -n "$WARM_OK" ]] || die "wrk warm-up printed no RESULT line; see $RESULTS/confirm-$TS-warmup.txt"

metric_sum() { # name{...} value lines of a Prometheus scrape, summed over labels
    awk -v m="$2" '$1 ~ "^"m"({|$)" { s += $NF } END { printf "%.6f\n", s + 0 }' "$1"
}
curl -sf "$MGMT_URL/actuator/prometheus" >"$RESULTS/confirm-$TS-prom-before.txt" || true
psql_q -d postgres -c "select pg_stat_clear_snapshot()" >/dev/null
PG_BEFORE="$(pg_counters "$APP_DB")"
APP_CPU_BEFORE="$(cpu_seconds "$APP_PID")"
SIM_CPU_BEFORE="$(cpu_seconds $SIM_PID)"
PG_CPU_BEFORE="$(cpu_seconds $(pgrep -x postgres))"

# during the run: overall CPU (vmstat) and every ~3 s top, wait events and Hikari gauges
vmstat 1 "$DURATION" >"$RESULTS/confirm-$TS-vmstat.txt" 2>&1 &
VMSTAT_PID=$!
(
    sleep 3
    while true; do
        echo "=== $(date +%H:%M:%S)"
        echo "--- top (1 s sample)"
        top -b -n2 -d1 -w 200 | awk '/^top -/{n++} n==2' >"$RESULTS/.top-$TS"
        sed -n '1,5p;7,16p' "$RESULTS/.top-$TS"
        # CPU of everything but the app, wrk, this sampler and PostgreSQL working for $APP_DB (other people's work,
        # including PostgreSQL backends of other databases on the same server)
        other_backends="$(psql_q -d postgres -c "select string_agg(pid::text, ',') from pg_stat_activity
            where datname is not null and datname <> '$APP_DB' and pid <> pg_backend_pid()" || true)"
        awk -v app="$APP_PID" -v sim="${SIM_PID:-none}" -v others=",$other_backends," -v ours="$(server_pids)" 'f && $1 ~ /^[0-9]+$/ && $1 != app && $1 != sim &&
                ($NF !~ /^(postgres|wrk|top|psql|curl)$/ || index(others, "," $1 ",") || (ours != "" && !index(ours, "," $1 ","))) { o += $9 }
            /^ *PID/ { f = 1 } END { printf "other-cpu: %.0f%%\n", o }' "$RESULTS/.top-$TS"
        echo "--- pg_stat_activity of $APP_DB: state, wait event"
        psql_q -d postgres -F ' | ' -c "select state, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-') as wait, count(*)
            from pg_stat_activity where datname = '$APP_DB' and pid <> pg_backend_pid() group by 1, 2 order by 3 desc" || true
        echo "--- hikari"
        curl -s "$MGMT_URL/actuator/prometheus" | grep -E '^hikaricp_connections_(pending|active|idle|max)\{' || true
        sleep 1
    done
) >"$SAMPLES" 2>&1 &
SAMPLER_PID=$!

RUN_FIRST=$(( WARM_ORDERS + 1 ))
JCMD="$(dirname "$APP_JAVA")/jcmd"
[[ -n "$JFR_FILE" ]] && "$JCMD" "$APP_PID" JFR.start name=bench settings=profile >/dev/null
log "measured run: ${DURATION}s, wrk -t$WRK_THREADS -c$CLIENTS"
wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${DURATION}s" --timeout 10s --latency -s "$LUA" "$BASE_URL" \
    -- "$RUN_FIRST" "$RUN_PER_THREAD" "$BASIC_LIST" "$AMOUNT" >"$WRK_OUT" 2>&1
if [[ -n "$JFR_FILE" ]]; then "$JCMD" "$APP_PID" JFR.stop name=bench filename="$JFR_FILE" >/dev/null; fi
APP_CPU_AFTER="$(cpu_seconds "$APP_PID")"
SIM_CPU_AFTER="$(cpu_seconds $SIM_PID)"
PG_CPU_AFTER="$(cpu_seconds $(pgrep -x postgres))"
kill "$SAMPLER_PID" "$VMSTAT_PID" 2>/dev/null || true
wait "$SAMPLER_PID" "$VMSTAT_PID" 2>/dev/null || true
sleep 0.6   # statistics are flushed to pg_stat_* at most every 0.5 s
PG_AFTER="$(pg_counters "$APP_DB")"
SAMPLER_PID=""; VMSTAT_PID=""
rm -f "$RESULTS/.top-$TS"
curl -sf "$MGMT_URL/actuator/prometheus" >"$RESULTS/confirm-$TS-prom-after.txt" || true
cat "$WRK_OUT" >&2

grep -q '^RESULT ' "$WRK_OUT" || die "wrk printed no RESULT line; see $WRK_OUT"
TPS="$(result_field "$WRK_OUT" tps)"
P50="$(result_field "$WRK_OUT" p50)"
P90="$(result_field "$WRK_OUT" p90)"
P99="$(result_field "$WRK_OUT" p99)"
P999="$(result_field "$WRK_OUT" p999)"
PMAX="$(result_field "$WRK_OUT" max)"
RUN_REQUESTS="$(result_field "$WRK_OUT" requests)"
RUN_OK="$(result_field "$WRK_OUT" ok)"
RUN_BAD="$(result_field "$WRK_OUT" non2xx)"
RUN_EXHAUSTED="$(result_field "$WRK_OUT" exhausted)"
SOCKET_ERRORS=$(( $(result_field "$WRK_OUT" errors_connect) + $(result_field "$WRK_OUT" errors_read)
    + $(result_field "$WRK_OUT" errors_write) + $(result_field "$WRK_OUT" errors_timeout) ))

# app-side view of the run, from the Prometheus scrapes before and after it
prom_delta() {
    local before after
    before="$(metric_sum "$RESULTS/confirm-$TS-prom-before.txt" "$1")"
    after="$(metric_sum "$RESULTS/confirm-$TS-prom-after.txt" "$1")"
    awk -v a="$after" -v b="$before" 'BEGIN { printf "%.6f\n", a - b }'
}
ACQ_COUNT="$(prom_delta hikaricp_connections_acquire_seconds_count)"
ACQ_SUM="$(prom_delta hikaricp_connections_acquire_seconds_sum)"
USAGE_COUNT="$(prom_delta hikaricp_connections_usage_seconds_count)"
USAGE_SUM="$(prom_delta hikaricp_connections_usage_seconds_sum)"
GC_COUNT="$(prom_delta jvm_gc_pause_seconds_count)"
GC_SUM="$(prom_delta jvm_gc_pause_seconds_sum)"
POOL_MAX="$(printf "%.0f" "$(metric_sum "$RESULTS/confirm-$TS-prom-after.txt" hikaricp_connections_max)")"
per_request() { awk -v s="$1" -v r="$RUN_REQUESTS" 'BEGIN { if (r > 0) printf "%.2f", s / r; else print "n/a" }'; }
ACQ_MS_PER_CONFIRM="$(awk -v s="$ACQ_SUM" -v r="$RUN_REQUESTS" 'BEGIN { if (r > 0) printf "%.2f", s * 1000 / r; else print "n/a" }')"
USAGE_MS_PER_CONFIRM="$(awk -v s="$USAGE_SUM" -v r="$RUN_REQUESTS" 'BEGIN { if (r > 0) printf "%.2f", s * 1000 / r; else print "n/a" }')"
CONN_PER_CONFIRM="$(per_request "$ACQ_COUNT")"
OTHER_CPU="$(awk '/^other-cpu:/ { s += $2; n++ } END { if (n) printf "%.0f%%", s / n; else print "n/a" }' "$SAMPLES")"
# more than 10 % of a core used by other processes during the run: the numbers are not clean
DISTURBED="$(awk -v o="${OTHER_CPU%\%}" 'BEGIN { print (o + 0 > 10) ? "yes" : "no" }')"
PENDING_AVG="$(awk '/^hikaricp_connections_pending\{/ { s += $NF; n++ } END { if (n) printf "%.1f", s / n; else print "n/a" }' "$SAMPLES")"
PENDING_MAX="$(awk '/^hikaricp_connections_pending\{/ { if ($NF > m) m = $NF; seen = 1 } END { if (seen) printf "%d", m; else print "n/a" }' "$SAMPLES")"
# vmstat columns: ... us sy id wa st; skip the first (since-boot) line
CPU_LINE="$(awk 'NR > 3 && $1 ~ /^[0-9]+$/ { us += $13; sy += $14; id += $15; wa += $16; n++ }
    END { if (n) printf "us %.0f%% sy %.0f%% idle %.0f%% iowait %.0f%%", us / n, sy / n, id / n, wa / n }' "$RESULTS/confirm-$TS-vmstat.txt")"
# share of non-idle backends per state and wait event over all samples, e.g. "active Client:ClientRead 40%"
WAITS="$(awk '/^--- pg_stat_activity/ { on = 1; next } /^---|^===/ { on = 0 } on && NF' "$SAMPLES" \
    | awk -F ' [|] ' '$1 != "idle" { c[$1 " " $2] += $3; t += $3 } END { for (w in c) printf "%d\t%s %.0f%%\n", c[w], w, 100 * c[w] / t }' \
    | sort -rn | head -6 | cut -f2 | paste -sd ',' - | sed 's/,/, /g')"
BACKENDS_AVG="$(awk '/^--- pg_stat_activity/ { on = 1; n++; next } /^---|^===/ { on = 0 } on && NF' "$SAMPLES" \
    | awk -F ' [|] ' -v n="$(grep -c '^--- pg_stat_activity' "$SAMPLES")" '$1 != "idle" { t += $3 } END { if (n) printf "%.1f", t / n; else print "n/a" }')"

# per confirm: CPU of the app and of PostgreSQL, commits, rows written, WAL records and fsyncs
per_confirm() { awk -v d="$1" -v r="$RUN_REQUESTS" -v f="${2:-%.2f}" 'BEGIN { if (r > 0) printf f, d / r; else print "n/a" }'; }
APP_CPU_MS="$(per_confirm "$(awk -v a="$APP_CPU_AFTER" -v b="$APP_CPU_BEFORE" 'BEGIN { print (a - b) * 1000 }')")"
SIM_CPU_MS="$(per_confirm "$(awk -v a="$SIM_CPU_AFTER" -v b="$SIM_CPU_BEFORE" 'BEGIN { print (a - b) * 1000 }')")"
PG_CPU_MS="$(per_confirm "$(awk -v a="$PG_CPU_AFTER" -v b="$PG_CPU_BEFORE" 'BEGIN { print (a - b) * 1000 }')")"
MACHINE_CPU_MS="$(cpu_ms_per_tx "$RESULTS/confirm-$TS-vmstat.txt" "$TPS")"
read -r -a pgb <<<"$PG_BEFORE"; read -r -a pga <<<"$PG_AFTER"
COMMITS_PER="$(per_confirm $(( pga[0] - pgb[0] )) %.1f)"
ROWS_WRITTEN_PER="$(per_confirm $(( pga[1] - pgb[1] )) %.1f)"
ROWS_READ_PER="$(per_confirm $(( pga[2] - pgb[2] )) %.1f)"
WAL_RECORDS_PER="$(per_confirm $(( pga[3] - pgb[3] )) %.1f)"
WAL_SYNCS_PER="$(per_confirm $(( pga[4] - pgb[4] )) %.2f)"
WAL_BYTES_PER="$(per_confirm $(( pga[5] - pgb[5] )) %.0f)"

# ---------------------------------------------------------------------------------------------
# integrity: the ledger balances, wallets match it, every 200 is a DONE payment
# ---------------------------------------------------------------------------------------------
sleep 2   # requests wrk cut off at the deadline finish in the app
read -r DEBITS CREDITS < <(psql_q -d "$APP_DB" -F ' ' -c \
    "select coalesce(sum(amount) filter (where side = 'D'), 0), coalesce(sum(amount) filter (where side = 'C'), 0) from ledger_entry")
DONE_COUNT="$(psql_q -d "$APP_DB" -c "select count(*) from payment where status = 'DONE'")"
STATUS_COUNTS="$(psql_q -d "$APP_DB" -F '=' -c "select status, count(*) from payment group by 1 order by 1" | paste -sd ' ' -)"
WALLET_DIFF="$(psql_q -d "$APP_DB" -c "select count(*) from wallet w where w.balance <> coalesce((select sum(case e.side when 'C' then e.amount else -e.amount end)
    from ledger_entry e where e.account_id = w.ledger_account_id), 0)")"
SEEN_OK=$(( WARM_OK + RUN_OK + 1 ))   # + the probe
EXTRA_DONE=$(( DONE_COUNT - SEEN_OK ))  # confirms in flight when wrk stopped: 0 .. 2 x clients

stop_app
if [[ -n "$SIM_PID" ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""; fi

CHECKS_OK=1
check_notes=()
[[ "$DEBITS" == "$CREDITS" ]] || { CHECKS_OK=0; check_notes+=("ledger unbalanced: debits $DEBITS, credits $CREDITS"); }
[[ "$WALLET_DIFF" == 0 ]] || { CHECKS_OK=0; check_notes+=("$WALLET_DIFF wallet(s) differ from the ledger"); }
[[ "$RUN_BAD" == 0 && "$WARM_BAD" == 0 ]] || { CHECKS_OK=0; check_notes+=("non-2xx responses: warm-up $WARM_BAD, run $RUN_BAD"); }
[[ "$SOCKET_ERRORS" == 0 ]] || { CHECKS_OK=0; check_notes+=("$SOCKET_ERRORS socket errors/timeouts in wrk"); }
[[ "$RUN_EXHAUSTED" == 0 ]] || { CHECKS_OK=0; check_notes+=("ran out of pre-created orders: raise ORDERS"); }
(( EXTRA_DONE >= 0 && EXTRA_DONE <= 2 * CLIENTS )) \
    || { CHECKS_OK=0; check_notes+=("DONE payments $DONE_COUNT vs HTTP 200s seen $SEEN_OK"); }
[[ "$DEBITS" == $(( DONE_COUNT * AMOUNT )) ]] \
    || { CHECKS_OK=0; check_notes+=("ledger debits $DEBITS != DONE payments x $AMOUNT"); }

# ---------------------------------------------------------------------------------------------
# pgbench TPC-B on the same server, same client count (the app is stopped)
# ---------------------------------------------------------------------------------------------
log "pgbench: re-creating $PGBENCH_DB, -i -s $PGBENCH_SCALE"
recreate_db "$PGBENCH_DB"
"$PGBENCH" -i -q -s "$PGBENCH_SCALE" "$PGBENCH_DB" >"$PGBENCH_OUT" 2>&1
psql_q -d "$PGBENCH_DB" -c "checkpoint"
IDLE_BEFORE_PGBENCH="$(wait_quiet "pgbench")"
log "pgbench: -c $CLIENTS -j $PGBENCH_JOBS -T $PGBENCH_DURATION (TPC-B-like)"
vmstat 1 "$PGBENCH_DURATION" >"$RESULTS/confirm-$TS-pgbench-vmstat.txt" 2>&1 &
VMSTAT_PID=$!
(
    sleep 2
    while true; do
        other_backends="$(psql_q -d postgres -c "select string_agg(pid::text, ',') from pg_stat_activity
            where datname is not null and datname <> '$PGBENCH_DB' and pid <> pg_backend_pid()" || true)"
        top -b -n2 -d1 -w 200 | awk '/^top -/{n++} n==2' \
            | awk -v others=",$other_backends," -v ours="$(server_pids)" 'f && $1 ~ /^[0-9]+$/ &&
                    ($NF !~ /^(postgres|pgbench|top|psql|vmstat)$/ || index(others, "," $1 ",")
                     || (ours != "" && !index(ours, "," $1 ","))) { o += $9 }
                   /^ *PID/ { f = 1 } END { printf "other-cpu: %.0f%%\n", o }'
        sleep 2
    done
) >"$RESULTS/confirm-$TS-pgbench-samples.txt" 2>&1 &
SAMPLER_PID=$!
psql_q -d postgres -c "select pg_stat_clear_snapshot()" >/dev/null
PGB_BEFORE="$(pg_counters "$PGBENCH_DB")"
"$PGBENCH" -c "$CLIENTS" -j "$PGBENCH_JOBS" -T "$PGBENCH_DURATION" -r "$PGBENCH_DB" >>"$PGBENCH_OUT" 2>&1
wait "$VMSTAT_PID" 2>/dev/null || true
VMSTAT_PID=""
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
PGB_OTHER_CPU="$(awk '/^other-cpu:/ { s += $2; n++ } END { if (n) printf "%.0f%%", s / n; else print "n/a" }' "$RESULTS/confirm-$TS-pgbench-samples.txt")"
PGB_DISTURBED="$(awk -v o="${PGB_OTHER_CPU%\%}" 'BEGIN { print (o + 0 > 10) ? "yes" : "no" }')"
sleep 0.6
PGB_AFTER="$(pg_counters "$PGBENCH_DB")"
PGBENCH_TPS="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$PGBENCH_OUT" | tail -1)"
[[ -n "$PGBENCH_TPS" ]] || PGBENCH_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$PGBENCH_OUT" | tail -1)"
[[ -n "$PGBENCH_TPS" ]] || die "could not read pgbench's tps; see $PGBENCH_OUT"
PGBENCH_LAT="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$PGBENCH_OUT" | tail -1)"
PGBENCH_CPU="$(awk 'NR > 3 && $1 ~ /^[0-9]+$/ { us += $13; sy += $14; id += $15; wa += $16; n++ }
    END { if (n) printf "us %.0f%% sy %.0f%% idle %.0f%% iowait %.0f%%", us / n, sy / n, id / n, wa / n }' "$RESULTS/confirm-$TS-pgbench-vmstat.txt")"

PGB_TX="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$PGBENCH_OUT" | tail -1)"
read -r -a qb <<<"$PGB_BEFORE"; read -r -a qa <<<"$PGB_AFTER"
per_pgb() { awk -v d="$1" -v r="${PGB_TX:-0}" -v f="$2" 'BEGIN { if (r > 0) printf f, d / r; else print "n/a" }'; }
PGB_COMMITS_PER="$(per_pgb $(( qa[0] - qb[0] )) %.1f)"
PGB_ROWS_WRITTEN_PER="$(per_pgb $(( qa[1] - qb[1] )) %.1f)"
PGB_WAL_RECORDS_PER="$(per_pgb $(( qa[3] - qb[3] )) %.1f)"
PGB_WAL_SYNCS_PER="$(per_pgb $(( qa[4] - qb[4] )) %.2f)"
PGB_MACHINE_CPU_MS="$(cpu_ms_per_tx "$RESULTS/confirm-$TS-pgbench-vmstat.txt" "$PGBENCH_TPS")"

# ---------------------------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------------------------
RATIO="$(awk -v a="$TPS" -v b="$PGBENCH_TPS" 'BEGIN { printf "%.2f", a / b }')"
TPS_OK="$(awk -v a="$TPS" -v b="$PGBENCH_TPS" 'BEGIN { print (a >= 0.4 * b) ? 1 : 0 }')"
P99_OK="$(awk -v p="$P99" 'BEGIN { print (p <= 50) ? 1 : 0 }')"
if [[ "$TPS_OK" == 1 && "$P99_OK" == 1 && "$CHECKS_OK" == 1 ]]; then GOAL="MET"; else GOAL="NOT MET"; fi
goal_why=()
[[ "$TPS_OK" == 1 ]] || goal_why+=("tps ratio $RATIO < 0.40")
[[ "$P99_OK" == 1 ]] || goal_why+=("p99 $P99 ms > 50 ms")
[[ "$CHECKS_OK" == 1 ]] || goal_why+=("integrity checks failed")
GOAL_WHY="$(IFS=';'; echo "${goal_why[*]+"${goal_why[*]}"}" | sed 's/;/; /g')"

{
    echo "Confirm throughput benchmark, $(date -Iseconds)"
    echo "command:        CLIENTS=$CLIENTS DURATION=$DURATION WARMUP=$WARMUP ORDERS=$ORDERS MERCHANTS=$MERCHANTS HIKARI_POOL=${HIKARI_POOL:-default} PG_MODE=$PG_MODE bench/confirm/run.sh"
    echo "git:            $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "machine:        $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "java (app):     $("$APP_JAVA" -version 2>&1 | head -1)  JAVA_OPTS='$JAVA_OPTS'"
    echo "postgresql:     $(psql_q -d postgres -c 'show server_version') at $PGHOST:$PGPORT (synchronous_commit=$(psql_q -d postgres -c 'show synchronous_commit'), shared_buffers=$(psql_q -d postgres -c 'show shared_buffers'))"
    echo "load:           wrk -t$WRK_THREADS -c$CLIENTS -d${DURATION}s --latency (after ${WARMUP}s warm-up), $MERCHANTS merchant(s), 1-item orders of $AMOUNT won, PG simulator $([[ "$PG_MODE" == standalone ]] && echo "in its own process" || echo in-process) at 0 ms"
    echo
    echo "confirm tps:    $TPS   ($RUN_REQUESTS requests, HTTP 200: $RUN_OK, non-2xx: $RUN_BAD, socket errors: $SOCKET_ERRORS)"
    echo "latency ms:     p50 $P50   p90 $P90   p99 $P99   p99.9 $P999   max $PMAX"
    echo "pgbench tps:    $PGBENCH_TPS   (TPC-B-like, -s $PGBENCH_SCALE -c $CLIENTS -j $PGBENCH_JOBS -T $PGBENCH_DURATION, latency avg $PGBENCH_LAT ms)"
    echo "ratio:          $RATIO   (goal: >= 0.40, and p99 <= 50 ms)"
    echo "goal:           $GOAL${GOAL_WHY:+ ($GOAL_WHY)}"
    [[ "$DISTURBED" == no ]] || echo "WARNING:        other processes used $OTHER_CPU of a core during the confirm run: rerun on a quiet machine"
    [[ "$PGB_DISTURBED" == no ]] || echo "WARNING:        other processes used $PGB_OTHER_CPU of a core during pgbench: rerun on a quiet machine"
    echo
    echo "during the confirm run:"
    echo "  cpu (vmstat):            $CPU_LINE (of all cores); other processes (not app/postgres/wrk): $OTHER_CPU of one core"
    echo "  cpu per confirm:         ${MACHINE_CPU_MS} ms of machine CPU (app ${APP_CPU_MS} ms, PostgreSQL ${PG_CPU_MS} ms$([[ "$PG_MODE" == standalone ]] && echo ", PG simulator ${SIM_CPU_MS} ms"), rest wrk/kernel)"
    echo "  db work per confirm:     ${COMMITS_PER} commits, ${ROWS_WRITTEN_PER} rows written, ${ROWS_READ_PER} rows read, ${WAL_RECORDS_PER} WAL records (${WAL_BYTES_PER} B), ${WAL_SYNCS_PER} WAL fsyncs"
    echo "  hikari pool:             max $POOL_MAX, pending avg $PENDING_AVG / max $PENDING_MAX (sampled every ~3 s)"
    echo "  connection per confirm:  $CONN_PER_CONFIRM checkouts, wait $ACQ_MS_PER_CONFIRM ms, held $USAGE_MS_PER_CONFIRM ms (sum over checkouts)"
    echo "  gc:                      $(printf '%.0f' "$GC_COUNT") pauses, $(awk -v s="$GC_SUM" 'BEGIN { printf "%.0f", s * 1000 }') ms total"
    echo "  pg backends (non-idle):  avg $BACKENDS_AVG of the pool; by state and wait event: ${WAITS:-n/a}"
    echo "  machine idle before:     ${IDLE_BEFORE_APP}% (with the app up, before the warm-up)"
    echo "during pgbench:"
    echo "  cpu (vmstat):            $PGBENCH_CPU; other processes: $PGB_OTHER_CPU of one core; machine idle before: ${IDLE_BEFORE_PGBENCH}%"
    echo "  cpu per transaction:     ${PGB_MACHINE_CPU_MS} ms of machine CPU (PostgreSQL + pgbench)"
    echo "  db work per transaction: ${PGB_COMMITS_PER} commits, ${PGB_ROWS_WRITTEN_PER} rows written, ${PGB_WAL_RECORDS_PER} WAL records, ${PGB_WAL_SYNCS_PER} WAL fsyncs"
    echo
    echo "integrity:      $([[ "$CHECKS_OK" == 1 ]] && echo OK || echo FAILED)"
    echo "  ledger:       debits $DEBITS, credits $CREDITS"
    echo "  payments:     $STATUS_COUNTS; HTTP 200 seen $SEEN_OK (warm-up $WARM_OK + run $RUN_OK + probe 1), DONE - 200s = $EXTRA_DONE (in flight at the deadline)"
    echo "  wallets:      $WALLET_DIFF differ from the ledger"
    for note in "${check_notes[@]+"${check_notes[@]}"}"; do echo "  problem:      $note"; done
    echo
    echo "files:          ${OUT#"$ROOT"/} and confirm-$TS-{app.log,samples.txt,wrk.txt,pgbench.txt,vmstat.txt} in bench/results/"
} | tee "$OUT"

[[ "$CHECKS_OK" == 1 ]] || exit 1
[[ "$FAIL_ON_GOAL" == 1 && "$GOAL" != "MET" ]] && exit 3
exit 0
