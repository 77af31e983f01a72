#!/usr/bin/env bash
# Console payment list benchmark: the finance console's /console/payments page over HTTP, with a
# real signed-in session, on DAYS x PER_DAY payments (1,000,000 by default) in the PostgreSQL server
# on 127.0.0.1. Each scenario (first page, a page deep in the keyset, each filter, the HTMX
# "load more" fragment) is requested REQUESTS times one after another after WARMUP requests; the
# client's time per request (curl time_total) gives p50/p95/p99. The plans of the list's SQL for the
# same scenarios go to the results file (EXPLAIN ANALYZE, BUFFERS). Usage, from the repository root:
#   flock /tmp/unbreakable-bench.lock bench/console/run.sh
#   DAYS=2 PER_DAY=50000 REQUESTS=100 bench/console/run.sh       # a quick one
#   BUILD=1 ...                                                  # rebuild the jar first
#   REUSE=1 ...                                                  # keep the database of the last run (no drop, no generate)
# Before measuring it waits (up to IDLE_WAIT_S [600] s) until the machine is IDLE_PCT [70] % idle: on a
# shared machine other builds otherwise decide the numbers; the load it measured under is reported.
# Settings: DAYS [10] PER_DAY [100000] MERCHANTS_PER_DAY [100] REQUESTS [300] WARMUP [100]
#   DB [console_bench] PGHOST [127.0.0.1] PGUSER [postgres] APP_PORT [18480]
#   APP_JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java, else java] JAR [payment-api/target/payment-api-0.1.0-SNAPSHOT.jar]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

DAYS=${DAYS:-10}
PER_DAY=${PER_DAY:-100000}
MERCHANTS_PER_DAY=${MERCHANTS_PER_DAY:-100}
REQUESTS=${REQUESTS:-300}
WARMUP=${WARMUP:-100}
DB=${DB:-console_bench}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
APP_PORT=${APP_PORT:-18480}
APP_JAVA=${APP_JAVA:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
JAR=${JAR:-payment-api/target/payment-api-0.1.0-SNAPSHOT.jar}
FIRST_DAY=2026-11-01
PASSWORD=console-bench-password
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
TS=$(date +%Y%m%d-%H%M%S)
OUT="$RESULTS/console-$TS.txt"
APP_LOG="$RESULTS/console-$TS-app.log"
COOKIES=$(mktemp)
BASE="http://127.0.0.1:$APP_PORT"
PSQL="psql -X -q -v ON_ERROR_STOP=1 -At"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
APP_PID=""
cleanup() {
    rm -f "$COOKIES"
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

if [[ -n "${BUILD:-}" || ! -f "$JAR" ]]; then
    log "building the jar"
    ./mvnw -q -pl payment-api -am -DskipTests package
fi

if [[ -z "${REUSE:-}" ]]; then
    log "fresh database $DB; the app migrates it"
    $PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB"
fi
DB_HOST=$PGHOST DB_NAME=$DB DB_USERNAME=$PGUSER DB_PASSWORD= PORT=$APP_PORT PAYMENT_CONSOLE_PASSWORD=$PASSWORD \
  MANAGEMENT_PORT=$((APP_PORT + 1)) PAYMENTS_DATA_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)" \
    "$APP_JAVA" -jar "$JAR" --payments.recovery.enabled=false > "$APP_LOG" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((APP_PORT + 1))/actuator/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$((APP_PORT + 1))/actuator/health" >/dev/null || { log "the app did not start; see $APP_LOG"; exit 1; }

t0=$(date +%s)
if [[ -z "${REUSE:-}" ]]; then
    log "generating $DAYS days x $PER_DAY payments (bench/settlement/generate.sql, once per day)"
    for d in $(seq 0 $((DAYS - 1))); do
        day=$(date -d "$FIRST_DAY + $d day" +%F)
        $PSQL -d $DB -v merchants=$MERCHANTS_PER_DAY -v payments=$PER_DAY -v cancel_every=20 -v sales_date=$day \
            -f bench/settlement/generate.sql > /dev/null
    done
    # a few payments whose PG outcome is open: the status filter's rare case
    $PSQL -d $DB -c "update payment set status = 'UNKNOWN' where id % 20000 = 0"
    $PSQL -d $DB -c "vacuum analyze"
fi
GENERATE_S=$(( $(date +%s) - t0 ))
TOTAL=$($PSQL -d $DB -c "select count(*) from payment")
MERCHANT=$($PSQL -d $DB -c "select merchant_id from payment order by id limit 1")
ORDER_ID=$($PSQL -d $DB -c "select o.order_id from payment p join orders o on o.id = p.order_pk order by p.id limit 1 offset 500000")
# the keyset cursor of the row half-way down the list: "epoch microseconds.id", as the page writes it
DEEP_AFTER=$($PSQL -d $DB -c "select (extract(epoch from requested_at) * 1000000)::bigint || '.' || id from payment
    order by requested_at desc, id desc limit 1 offset $((TOTAL / 2))")
MIDDLE_DAY=$(date -d "$FIRST_DAY + $((DAYS / 2)) day" +%F)
log "$TOTAL payments in $GENERATE_S s"

log "signing in to the console"
csrf() { grep -oP 'name="_csrf" value="\K[^"]+' | head -1; }
TOKEN=$(curl -sf -c "$COOKIES" -b "$COOKIES" "$BASE/console/login" | csrf)
curl -sf -o /dev/null -c "$COOKIES" -b "$COOKIES" --data-urlencode "username=finance" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "_csrf=$TOKEN" "$BASE/console/login"
PAGE=$(curl -sf -b "$COOKIES" "$BASE/console/payments")   # not piped into grep -q: with pipefail, an early exit fails curl
[[ $PAGE == *'id="payments-table"'* ]] || { log "sign-in failed"; exit 1; }

idle_pct() { vmstat 1 4 | awk 'NR > 3 { id += $15; n++ } END { printf "%d", id / n }'; }
waited=0
while (( waited < ${IDLE_WAIT_S:-600} )) && (( $(idle_pct) < ${IDLE_PCT:-70} )); do
    log "machine busy (load $(cut -d' ' -f1 /proc/loadavg)); waiting for ${IDLE_PCT:-70} % idle"
    sleep 20; waited=$((waited + 24))
done
IDLE_BEFORE=$(idle_pct)

declare -a NAMES=(first-page deep-page merchant status-unknown one-day order-id merchant-day-done htmx-load-more)
declare -A QUERIES=(
    [first-page]=""
    [deep-page]="after=$DEEP_AFTER"
    [merchant]="merchantId=$MERCHANT"
    [status-unknown]="status=UNKNOWN"
    [one-day]="from=$MIDDLE_DAY&to=$MIDDLE_DAY"
    [order-id]="q=$ORDER_ID"
    [merchant-day-done]="merchantId=$MERCHANT&status=DONE&from=$FIRST_DAY&to=$FIRST_DAY"
    [htmx-load-more]="after=$DEEP_AFTER"
)
percentile() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.1f", v[i] * 1000 }'; }

{
    echo "console payment list benchmark $TS: $TOTAL payments ($DAYS days x $PER_DAY, $((DAYS * MERCHANTS_PER_DAY)) merchants), $REQUESTS sequential requests per scenario after $WARMUP warm-up"
    echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $IDLE_BEFORE % idle before measuring, load $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL $($PSQL -d $DB -c 'show server_version'), $("$APP_JAVA" -version 2>&1 | head -1)"
    printf '%-20s %8s %8s %8s %8s %6s  %s\n' scenario p50_ms p95_ms p99_ms max_ms rows query
} | tee "$OUT"
for name in "${NAMES[@]}"; do
    url="$BASE/console/payments?${QUERIES[$name]}"
    header=()
    [[ $name == htmx-* ]] && header=(-H "HX-Request: true")
    rows=$(curl -sf -b "$COOKIES" "${header[@]}" "$url" | grep -c 'class="payment-link' || true)
    for _ in $(seq 1 "$WARMUP"); do curl -sf -o /dev/null -b "$COOKIES" "${header[@]}" "$url"; done
    times=$(mktemp)
    for _ in $(seq 1 "$REQUESTS"); do
        curl -sf -o /dev/null -w '%{time_total}\n' -b "$COOKIES" "${header[@]}" "$url" >> "$times"
    done
    printf '%-20s %8s %8s %8s %8s %6s  %s\n' "$name" "$(percentile "$times" 50)" "$(percentile "$times" 95)" \
        "$(percentile "$times" 99)" "$(percentile "$times" 100)" "$rows" "${QUERIES[$name]}" | tee -a "$OUT"
    rm -f "$times"
done

echo "idle during the run (vmstat, last 4 s): $(idle_pct) %, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"

log "plans of the list's SQL"
{
    echo
    echo "== EXPLAIN (ANALYZE, BUFFERS) of the list query per scenario (bench/console/explain.sql)"
    $PSQL -d $DB -v merchant=$MERCHANT -v order_id="$ORDER_ID" -v day="$MIDDLE_DAY" -v first_day=$FIRST_DAY \
        -v deep_at="$(cut -d. -f1 <<<"$DEEP_AFTER")" -v deep_id="$(cut -d. -f2 <<<"$DEEP_AFTER")" -f bench/console/explain.sql
} >> "$OUT"
log "results: $OUT"
