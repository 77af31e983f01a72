#!/usr/bin/env bash
# Correctness, not timing (run it without the benchmark lock): a merchant's receiver is down for DOWN_SECONDS
# [600] while confirms keep coming (paced, about RATE_PER_S [20] a second), then comes back. Every DONE
# payment's event must reach it, none twice (nothing crashed), none FAILED; the retry schedule is shortened
# to fit (RETRY_DELAYS: 13 waits adding up to more than the outage). With KILL=1 the API is killed with
# kill -9 while the backlog drains and started again: still every event delivered (at least once: the
# deliveries in flight at the kill may arrive twice). The first received requests' signatures are checked
# with the npm package standardwebhooks (installed into bench/results/node-verify with npm).
#
# Usage, from the repository root:   bench/webhooks/outage.sh
#   DOWN_SECONDS [600] RATE_PER_S [20] KILL [0] APP_DB [webhooks_outage_bench] (dropped and re-created!)
#   APP_PORT [18060] (actuator + 1) SIM_PORT [18080] RECEIVER_PORT [18042] PGHOST/PGPORT/PGUSER as usual
#   RETRY_DELAYS [5s,10s,20s,40s,60s,60s,60s,60s,60s,60s,60s,60s,60s]
# Writes bench/results/webhooks-outage-<timestamp>.txt; exits 1 if a check fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DOWN_SECONDS="${DOWN_SECONDS:-600}"; RATE_PER_S="${RATE_PER_S:-20}"; KILL="${KILL:-0}"
APP_DB="${APP_DB:-webhooks_outage_bench}"
APP_PORT="${APP_PORT:-18060}"; SIM_PORT="${SIM_PORT:-18080}"; RECEIVER_PORT="${RECEIVER_PORT:-18042}"
RETRY_DELAYS="${RETRY_DELAYS:-5s,10s,20s,40s,60s,60s,60s,60s,60s,60s,60s,60s,60s}"
source "$ROOT/bench/webhooks/common.sh"
PREFIX="$RESULTS/webhooks-outage-$TS"; OUT="$PREFIX.txt"
AMOUNT=10000
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
start() { start_app app "$APP_PORT" "$SIM_PORT" "$PREFIX-app.log" PAYMENTS_WEBHOOKS_RETRYDELAYS="$RETRY_DELAYS"; }
count() { psql_q -c "$1"; }
start

read -r MERCHANT_ID BASIC < <(new_merchant "$APP_PORT")
hook="$(register_endpoint "$APP_PORT" "$BASIC" "$RECEIVER_PORT")"
SECRET="$(sed -n 's/.*"secret":"\([^"]*\)".*/\1/p' <<<"$hook")"
ORDERS=$(( DOWN_SECONDS * RATE_PER_S * 2 + 1000 ))
psql_q <<SQL
insert into orders (merchant_id, order_id, order_name, total_amount)
select $MERCHANT_ID, 'bench-' || lpad(i::text, 7, '0'), 'bench order ' || i, $AMOUNT from generate_series(1, $ORDERS) as i;
insert into order_item (order_pk, line_no, sku, name, unit_price, quantity, amount) select id, 1, 'A', 'a', $AMOUNT, 1, $AMOUNT from orders;
SQL

# 4 connections, each waiting 4000 / RATE_PER_S ms after an answer: about RATE_PER_S confirms a second
log "receiver down: confirms for ${DOWN_SECONDS}s at about $RATE_PER_S/s"
wrk -t1 -c4 -d"${DOWN_SECONDS}s" --timeout 10s -s "$ROOT/bench/confirm/confirm.lua" "http://127.0.0.1:$APP_PORT" \
    -- 1 "$ORDERS" "$BASIC" "$AMOUNT" "$(( 4000 / RATE_PER_S ))" >"$PREFIX-wrk.txt" 2>&1
DONE="$(count "select count(*) from payment where status = 'DONE'")"
ATTEMPTS_DOWN="$(count "select count(*) from webhook_delivery_attempt")"
PENDING_DOWN="$(count "select count(*) from webhook_delivery where status = 'PENDING'")"
log "$DONE payments DONE, $PENDING_DOWN deliveries pending after $ATTEMPTS_DOWN failed attempts; receiver back"
"$APP_JAVA" "$ROOT/bench/webhooks/Receiver.java" "$RECEIVER_PORT" "$PREFIX-ids.txt" "$PREFIX-sample.txt" >"$PREFIX-receiver.log" 2>&1 &
PIDS[receiver]=$!
back="$(date +%s)"
killed=0
for _ in $(seq 1 3600); do
    pending="$(count "select count(*) from webhook_delivery where status = 'PENDING'")"
    (( pending == 0 )) && break
    if [[ "$KILL" == 1 && "$killed" == 0 ]] && (( pending < PENDING_DOWN / 2 )); then
        log "kill -9 of the API with $pending deliveries pending"
        kill -9 "${PIDS[app]}"; wait "${PIDS[app]}" 2>/dev/null || true
        killed=1
        start
    fi
    sleep 0.5
done
DRAIN_S=$(( $(date +%s) - back ))
sleep 1.5
RECEIVED="$(wc -l <"$PREFIX-ids.txt")"; DISTINCT="$(sort -u "$PREFIX-ids.txt" | wc -l)"
DELIVERED="$(count "select count(*) from webhook_delivery where status = 'DELIVERED'")"
FAILED="$(count "select count(*) from webhook_delivery where status = 'FAILED'")"
EVENTS="$(count "select count(*) from webhook_event")"
# every DONE payment's event id reached the receiver
MISSING="$(count "select event_id from webhook_event" | sort -u | comm -23 - <(sort -u "$PREFIX-ids.txt") | wc -l)"

if [[ ! -d "$RESULTS/node-verify/node_modules/standardwebhooks" ]]; then
    mkdir -p "$RESULTS/node-verify" && (cd "$RESULTS/node-verify" && npm install --silent --no-audit --no-fund standardwebhooks@1.1.1 >/dev/null)
fi
VERIFIED="$(cd "$RESULTS/node-verify" && SECRET="$SECRET" node -e '
const { Webhook } = require("standardwebhooks");
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
let ok = 0;
for (const line of lines) {
  const [id, ts, sig, ...body] = line.split("\t");
  new Webhook(process.env.SECRET).verify(body.join("\t"), { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": sig });
  ok++;
}
console.log(ok + "/" + lines.length);' "$PREFIX-sample.txt")"

{
    echo "webhooks-outage $TS: receiver down ${DOWN_SECONDS}s, confirms at about $RATE_PER_S/s, retry delays $RETRY_DELAYS, kill -9 during drain: $KILL"
    echo "payments DONE $DONE, events $EVENTS; failed attempts while down $ATTEMPTS_DOWN; pending when the receiver came back $PENDING_DOWN"
    echo "drained in ${DRAIN_S}s (the retry waits included: not a throughput figure)"
    echo "deliveries DELIVERED $DELIVERED FAILED $FAILED; receiver got $RECEIVED requests, $DISTINCT distinct, $(( RECEIVED - DISTINCT )) duplicates; events never received $MISSING"
    echo "signatures verified by npm standardwebhooks 1.1.1: $VERIFIED"
} | tee "$OUT"
[[ "$DONE" == "$EVENTS" && "$MISSING" == 0 && "$FAILED" == 0 && "$DELIVERED" == "$EVENTS" ]] || die "an event was lost or failed"
[[ "$KILL" == 1 || "$RECEIVED" == "$DISTINCT" ]] || die "an event was delivered twice although nothing crashed"
