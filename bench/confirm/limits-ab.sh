#!/usr/bin/env bash
# What the API's rate limits cost a confirm: two payment-api instances on one PostgreSQL database, "on" with
# payments.rate-limits as shipped and "off" with them switched off (PAYMENTS_RATE_LIMITS_ENABLED=false), both
# warmed up, then measured in alternating windows (on, off, on, off, ...) with bench/confirm/run.sh's load
# (wrk, confirm.lua, closed loop, one merchant, in-process PG simulators at zero latency). Alternating windows
# on two warm JVMs spread the machine's drift over both sides instead of giving it all to one. The merchant's
# budget (1,000 requests a second by default) is above what one merchant reaches here, so every request takes
# a token and none is refused: this measures the cost of asking, which every request pays.
# See docs/benchmarks.md ("Rate limits on the confirm path").
#
# EXPERIMENT=webhooks measures the webhook outbox the same way instead (bench/webhooks/confirm-ab.sh): both
# instances as shipped, the "on" side confirming for a merchant with a webhook endpoint (PAYMENT_STATUS_CHANGED,
# to bench/webhooks/Receiver.java on RECEIVER_PORT [18040], delivered by the instances' dispatchers), the "off"
# side for a merchant without one; the check adds: every DONE payment of the "on" merchant delivered once.
# DISPATCH [after]: the instances' dispatchers are off during the windows, so these measure what the issue's goal
# is about, the outbox rows written in the confirm's transaction; a third instance delivers after the windows
# (for the check). DISPATCH=during: both instances deliver while they confirm, and the receiver runs on the same
# cores: the whole cost of webhooks on this machine, delivery included (bench/webhooks/dispatch.sh gives it per
# delivery).
#
# Usage, from the repository root:   bench/confirm/limits-ab.sh
# Settings (environment, defaults in brackets):
#   CLIENTS [16] WRK_THREADS [2]     the load, as in run.sh
#   WARMUP [60]                      seconds of warm-up of each instance (one after the other)
#   ROUNDS [4] WINDOW [20]           ROUNDS pairs of measured windows of WINDOW seconds, the side going first alternating
#   FIRST [on]                       the instance started and warmed up first (run once each way: a JVM's own luck
#                                    shows as a gap that follows the instance, not the setting)
#   OFF_LIMITS [false]               true: the "off" instance keeps its limits too, an A/A control of the method
#   ORDERS [enough for 1,000/s]      orders pre-created with SQL
#   APP_DB [limits_bench]            dropped and re-created!
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres]
#   PORT_ON [18080] PORT_OFF [18082] the API ports; actuator on port + 1; PG simulators on SIM_ON [18090] / SIM_OFF [18092]
#                                    (each instance takes that port and the next)
#   APP_JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java]   JAR [payment-api/target/payment-api-0.1.0-SNAPSHOT.jar]
# Writes bench/results/limits-ab-<timestamp>.txt; exits 1 if a check fails (non-2xx, ledger, wallets).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CLIENTS="${CLIENTS:-16}"; WRK_THREADS="${WRK_THREADS:-2}"; WARMUP="${WARMUP:-60}"
ROUNDS="${ROUNDS:-4}"; WINDOW="${WINDOW:-20}"; FIRST="${FIRST:-on}"; OFF_LIMITS="${OFF_LIMITS:-false}"
EXPERIMENT="${EXPERIMENT:-limits}"; RECEIVER_PORT="${RECEIVER_PORT:-18040}"; DISPATCH="${DISPATCH:-after}"
DISPATCHING=true; [[ "$EXPERIMENT" == webhooks && "$DISPATCH" == after ]] && DISPATCHING=false
[[ "$EXPERIMENT" == webhooks ]] && OFF_LIMITS=true   # the same settings on both sides: only the merchant differs
ORDERS="${ORDERS:-$(( (2 * WARMUP + 2 * ROUNDS * WINDOW) * 1000 + 1000 ))}"
APP_DB="${APP_DB:-limits_bench}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGPASSWORD="${PGPASSWORD:-}"
PORT_ON="${PORT_ON:-18080}"; PORT_OFF="${PORT_OFF:-18082}"; SIM_ON="${SIM_ON:-18090}"; SIM_OFF="${SIM_OFF:-18092}"
APP_JAVA="${APP_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAR="${JAR:-payment-api/target/payment-api-0.1.0-SNAPSHOT.jar}"
AMOUNT=10000
RESULTS="$ROOT/bench/results"; mkdir -p "$RESULTS"
TS="$(date +%Y%m%d-%H%M%S)"; OUT="$RESULTS/$EXPERIMENT-ab-$TS.txt"
LUA="$ROOT/bench/confirm/confirm.lua"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

[[ -f "$JAR" ]] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

declare -A PIDS=()
cleanup() { local pid; for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

psql_q -d postgres -c "drop database if exists $APP_DB with (force)" -c "create database $APP_DB"
ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"
DATA_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)"   # one key: both instances share the database
start() { # side port simulator-port limits-enabled
    env -u PG_BASE_URL -u PG_BACKUP_BASE_URL DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_NAME="$APP_DB" DB_USERNAME="$PGUSER" \
        DB_PASSWORD="$PGPASSWORD" PAYMENT_ADMIN_TOKEN="$ADMIN_TOKEN" PAYMENTS_DATA_KEY="$DATA_KEY" PORT="$2" \
        MANAGEMENT_PORT="$(($2 + 1))" PG_SIMULATOR_PORT="$3" PAYMENTS_RATE_LIMITS_ENABLED="$4" PAYMENTS_PG_SIMULATOR_LATENCYMS=0 \
        PAYMENTS_PG_SIMULATOR_LATENCYJITTERMS=0 PAYMENTS_PG_SIMULATOR_ERRORRATE=0 PAYMENTS_PG_SIMULATOR_TIMEOUTRATE=0 \
        PAYMENTS_WEBHOOKS_ALLOWPRIVATEADDRESSES=true PAYMENTS_WEBHOOKS_DISPATCHERENABLED="$DISPATCHING" "$APP_JAVA" -jar "$JAR" >"$RESULTS/$EXPERIMENT-ab-$TS-$1.log" 2>&1 &
    PIDS[$1]=$!
    for _ in $(seq 1 240); do
        kill -0 "${PIDS[$1]}" 2>/dev/null || die "the '$1' app exited; see $RESULTS/$EXPERIMENT-ab-$TS-$1.log"
        curl -sf "http://127.0.0.1:$(($2 + 1))/actuator/health" 2>/dev/null | grep -q '"UP"' && return
        sleep 0.5
    done
    die "the '$1' app did not become healthy"
}
# one at a time: the second start must not race the first one's migrations
if [[ "$FIRST" == on ]]; then SIDES=(on off); else SIDES=(off on); fi
for side in "${SIDES[@]}"; do
    if [[ "$side" == on ]]; then start on "$PORT_ON" "$SIM_ON" true; else start off "$PORT_OFF" "$SIM_OFF" "$OFF_LIMITS"; fi
done

new_merchant() { # -> "merchantId basicAuth"
    local json
    json="$(curl -sf -X POST "http://127.0.0.1:$PORT_ON/v1/admin/merchants" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d '{"name":"bench","businessType":"BUSINESS","feeRate":"0.033"}')" || die "no merchant"
    echo "$(sed -n 's/.*"merchantId":\([0-9]*\).*/\1/p' <<<"$json") $(printf '%s:' "$(sed -n 's/.*"secretKey":"\([^"]*\)".*/\1/p' <<<"$json")" | base64 -w0)"
}
read -r MERCHANT_ID BASIC < <(new_merchant)
BASIC_ON="$BASIC"; BASIC_OFF="$BASIC"; MERCHANTS="$MERCHANT_ID"
if [[ "$EXPERIMENT" == webhooks ]]; then
    read -r OFF_MERCHANT_ID BASIC_OFF < <(new_merchant)
    MERCHANTS="$MERCHANT_ID,$OFF_MERCHANT_ID"
    "$APP_JAVA" "$ROOT/bench/webhooks/Receiver.java" "$RECEIVER_PORT" "$RESULTS/$EXPERIMENT-ab-$TS-ids.txt" \
        "$RESULTS/$EXPERIMENT-ab-$TS-sample.txt" >"$RESULTS/$EXPERIMENT-ab-$TS-receiver.log" 2>&1 &
    PIDS[receiver]=$!
    curl -sf -X POST "http://127.0.0.1:$PORT_ON/v1/webhooks" -H "Authorization: Basic $BASIC_ON" -H 'Content-Type: application/json' \
        -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"eventTypes\":[\"PAYMENT_STATUS_CHANGED\"]}" >/dev/null \
        || die "could not register the webhook endpoint"
fi
psql_q -d "$APP_DB" <<SQL
insert into orders (merchant_id, order_id, order_name, total_amount)
select m, 'bench-' || lpad(i::text, 7, '0'), 'bench order ' || i, $AMOUNT
  from unnest(array[$MERCHANTS]) as m, generate_series(1, $ORDERS) as i;
insert into order_item (order_pk, line_no, sku, name, unit_price, quantity, amount)
select id, 1, 'A', 'a', $AMOUNT, 1, $AMOUNT from orders;
SQL
psql_q -d "$APP_DB" -c "vacuum analyze orders" -c "vacuum analyze order_item" -c "checkpoint"

NEXT=1   # the next unused order: every wrk run gets its own range, split over its threads
field() { sed -n "s/^RESULT.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" "$1" | tail -1; }
run() { # side seconds file -> runs wrk against that side with the next range of orders
    local port per basic
    port=$([[ "$1" == on ]] && echo "$PORT_ON" || echo "$PORT_OFF")
    basic=$([[ "$1" == on ]] && echo "$BASIC_ON" || echo "$BASIC_OFF")
    per=$(( $2 * 1000 / WRK_THREADS ))   # room for 1,000 confirms a second, far above what 2 cores reach
    (( NEXT + per * WRK_THREADS <= ORDERS )) || die "not enough orders: raise ORDERS"
    wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${2}s" --timeout 10s --latency -s "$LUA" "http://127.0.0.1:$port" \
        -- "$NEXT" "$per" "$basic" "$AMOUNT" >"$3" 2>&1
    NEXT=$(( NEXT + per * WRK_THREADS ))
    [[ "$(field "$3" non2xx)" == 0 && "$(field "$3" exhausted)" == 0 ]] || die "non-2xx answers or orders ran out; see $3"
}
log "warm-up: ${WARMUP}s on each instance, $FIRST first"
for side in "${SIDES[@]}"; do run "$side" "$WARMUP" "$RESULTS/$EXPERIMENT-ab-$TS-warm-$side.txt"; done

{
    echo "$EXPERIMENT-ab $TS: $CLIENTS clients, $ROUNDS rounds of ${WINDOW}s windows per side, warm-up ${WARMUP}s each, $FIRST first;" \
        "off instance limits enabled: $OFF_LIMITS$([[ "$EXPERIMENT" == webhooks ]] && echo "; webhooks delivered $DISPATCH the windows")"
    echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); $("$APP_JAVA" -version 2>&1 | head -1)"
    printf '%-6s %-4s %8s %8s %8s %8s\n' window side tps p50_ms p90_ms p99_ms
} | tee "$OUT"
for round in $(seq 1 "$ROUNDS"); do
    # alternate which side goes first, so neither always follows the other
    if (( round % 2 == 1 )); then order=(on off); else order=(off on); fi
    for side in "${order[@]}"; do
        file="$RESULTS/$EXPERIMENT-ab-$TS-r$round-$side.txt"
        run "$side" "$WINDOW" "$file"
        printf '%-6s %-4s %8s %8s %8s %8s\n' "$round" "$side" "$(field "$file" tps)" "$(field "$file" p50)" "$(field "$file" p90)" \
            "$(field "$file" p99)" | tee -a "$OUT"
    done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
summary() { # side column
    for f in "$RESULTS"/"$EXPERIMENT"-ab-"$TS"-r*-"$1".txt; do field "$f" "$2"; done | median
}
TPS_ON="$(summary on tps)"; TPS_OFF="$(summary off tps)"
P99_ON="$(summary on p99)"; P99_OFF="$(summary off p99)"
{
    echo "median of $ROUNDS windows: on $TPS_ON tps p99 $P99_ON ms; off $TPS_OFF tps p99 $P99_OFF ms"
    awk -v on="$TPS_ON" -v off="$TPS_OFF" -v p_on="$P99_ON" -v p_off="$P99_OFF" \
        -v what="$EXPERIMENT" 'BEGIN { printf "%s cost: %.1f %% of throughput, p99 %+.1f %%\n", what, (off - on) / off * 100, (p_on - p_off) / p_off * 100 }'
} | tee -a "$OUT"

read -r DEBITS CREDITS < <(psql_q -d "$APP_DB" -F ' ' -c \
    "select coalesce(sum(amount) filter (where side = 'D'), 0), coalesce(sum(amount) filter (where side = 'C'), 0) from ledger_entry")
WALLET_DIFF="$(psql_q -d "$APP_DB" -c "select count(*) from wallet w where w.balance <> coalesce((select sum(case e.side when 'C'
    then e.amount else -e.amount end) from ledger_entry e where e.account_id = w.ledger_account_id), 0)")"
DONE_COUNT="$(psql_q -d "$APP_DB" -c "select count(*) from payment where status = 'DONE'")"
echo "checks: debits $DEBITS credits $CREDITS, wallets differing $WALLET_DIFF, DONE payments $DONE_COUNT" | tee -a "$OUT"
[[ "$DEBITS" == "$CREDITS" && "$WALLET_DIFF" == 0 && "$DEBITS" == $(( DONE_COUNT * AMOUNT )) ]] || die "integrity checks failed"
if [[ "$EXPERIMENT" == webhooks ]]; then
    if [[ "$DISPATCHING" == false ]]; then
        log "delivering what the windows wrote (a third instance, its dispatcher on)"
        DISPATCHING=true start deliverer "$(( PORT_ON + 4 ))" "$(( SIM_ON + 4 ))" true
    fi
    for _ in $(seq 1 240); do   # the dispatchers finish what the last window wrote
        [[ "$(psql_q -d "$APP_DB" -c "select count(*) from webhook_delivery where status = 'PENDING'")" == 0 ]] && break
        sleep 0.5
    done
    sleep 1.5   # the receiver flushes its file every second
    ON_DONE="$(psql_q -d "$APP_DB" -c "select count(*) from payment where status = 'DONE' and merchant_id = $MERCHANT_ID")"
    DELIVERED="$(psql_q -d "$APP_DB" -c "select count(*) from webhook_delivery where status = 'DELIVERED'")"
    RECEIVED="$(wc -l <"$RESULTS/$EXPERIMENT-ab-$TS-ids.txt")"
    DISTINCT="$(sort -u "$RESULTS/$EXPERIMENT-ab-$TS-ids.txt" | wc -l)"
    echo "webhooks: DONE payments of the on merchant $ON_DONE, deliveries DELIVERED $DELIVERED, received $RECEIVED ($DISTINCT distinct)" | tee -a "$OUT"
    [[ "$ON_DONE" == "$DELIVERED" && "$DELIVERED" == "$DISTINCT" ]] || die "webhook checks failed"
fi
