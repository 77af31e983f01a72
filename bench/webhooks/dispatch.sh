#!/usr/bin/env bash
# Webhook delivery from PostgreSQL polling: how fast 1, 2 and 4 dispatcher instances (payment-api processes
# on one database) drain a backlog to a local receiver that answers at once; the lag (event commit ->
# delivery) at a steady event rate, e.g. the confirm benchmark's peak; and the polling query's cost with
# 1M delivered and 100k pending rows (EXPLAIN ANALYZE). See docs/benchmarks.md ("Webhooks").
#
# Usage, from the repository root:   bench/webhooks/dispatch.sh
# Settings (environment, defaults in brackets):
#   INSTANCES ["1 2 4"]     dispatcher instances of each throughput run ("": no throughput runs)
#   EVENTS [30000]          events in each backlog, spread over ENDPOINTS [100] merchants with one endpoint each
#   RATE [800]              events a second of the lag run (pgbench --rate, each event one transaction; 0: no lag run),
#                           LAG_SECONDS [30]
#   EXPLAIN [1]             0: skip the 1M + 100k rows polling-query measurement
#   APP_DB [webhooks_dispatch_bench]   dropped and re-created!   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres]
#   APP_PORT [18050]        the first instance's API port (actuator + 1); instance i uses APP_PORT + 2i, PG simulators
#                           on SIM_PORT [18070] + 2i; the receiver on RECEIVER_PORT [18040]
#   APP_JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java]   JAR [payment-api/target/payment-api-0.1.0-SNAPSHOT.jar]
# Writes bench/results/webhooks-dispatch-<timestamp>.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
INSTANCES="${INSTANCES:-1 2 4}"; EVENTS="${EVENTS:-30000}"; ENDPOINTS="${ENDPOINTS:-100}"
RATE="${RATE:-800}"; LAG_SECONDS="${LAG_SECONDS:-30}"; EXPLAIN="${EXPLAIN:-1}"
APP_DB="${APP_DB:-webhooks_dispatch_bench}"
APP_PORT="${APP_PORT:-18050}"; SIM_PORT="${SIM_PORT:-18070}"; RECEIVER_PORT="${RECEIVER_PORT:-18040}"
source "$ROOT/bench/webhooks/common.sh"
PREFIX="$RESULTS/webhooks-dispatch-$TS"; OUT="$PREFIX.txt"
PGBENCH="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1)"
start() { # instance number
    start_app "app$1" "$(( APP_PORT + 2 * $1 ))" "$(( SIM_PORT + 2 * $1 ))" "$PREFIX-app$1.log" PAYMENTS_RATE_LIMITS_ENABLED=false
}
stop() { kill "${PIDS[app$1]}" 2>/dev/null || true; wait "${PIDS[app$1]}" 2>/dev/null || true; unset "PIDS[app$1]"; }
pending() { psql_q -c "select count(*) from webhook_delivery where status = 'PENDING'"; }
source "$ROOT/bench/lib/cpu.sh"   # cpu_seconds
app_pids() { local k; for k in "${!PIDS[@]}"; do [[ "$k" == app* ]] && echo "${PIDS[$k]}"; done; }
cpu_split() { # -> "app receiver postgres" CPU seconds so far (every process named postgres counts: run on a quiet machine)
    echo "$(cpu_seconds $(app_pids)) $(cpu_seconds "${PIDS[receiver]}") $(cpu_seconds $(pgrep -x postgres))"
}

start 0
"$APP_JAVA" "$ROOT/bench/webhooks/Receiver.java" "$RECEIVER_PORT" "$PREFIX-ids.txt" "$PREFIX-sample.txt" >"$PREFIX-receiver.log" 2>&1 &
PIDS[receiver]=$!
log "$ENDPOINTS merchants, one endpoint each"
for _ in $(seq 1 "$ENDPOINTS"); do
    read -r _ basic < <(new_merchant "$APP_PORT")
    register_endpoint "$APP_PORT" "$basic" "$RECEIVER_PORT" >/dev/null
done

# a payment object's size of payload (about 700 bytes), as the outbox writes it
PAYLOAD_SQL="'{\"eventId\":\"' || ev || '\",\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"createdAt\":\"2026-12-07T12:00:00+09:00\",\"data\":{\"paymentKey\":\"pk_' || ev || '\",\"orderId\":\"bench-order\",\"orderName\":\"bench order\",\"status\":\"DONE\",\"method\":\"CARD\",\"totalAmount\":10000,\"balanceAmount\":10000,\"suppliedAmount\":9091,\"vat\":909,\"requestedAt\":\"2026-12-07T12:00:00+09:00\",\"approvedAt\":\"2026-12-07T12:00:00+09:00\",\"failure\":null,\"cancels\":[],\"version\":1,\"padding\":\"' || repeat('x', 300) || '\"}}'"
backlog() { # count due-at -> inserts events and deliveries, spread over the endpoints
    psql_q <<SQL
with e as (
    insert into webhook_event (event_id, merchant_id, event_type, object_id, version, payload)
    select ev, p.merchant_id, 'PAYMENT_STATUS_CHANGED', 'pk_' || ev, nextval('webhook_event_version'), $PAYLOAD_SQL
      from (select 'evt_' || md5(random()::text || i) as ev, i from generate_series(1, $1) as i) as g
      join webhook_endpoint p on p.id = (g.i % $ENDPOINTS) + 1
    returning id, merchant_id)
insert into webhook_delivery (event_id, endpoint_id, next_attempt_at)
select e.id, p.id, $2 from e join webhook_endpoint p on p.merchant_id = e.merchant_id;
SQL
}
prom() { # instance metric -> summed value
    curl -sf "http://127.0.0.1:$(( APP_PORT + 2 * $1 + 1 ))/actuator/prometheus" | awk -v m="$2" '$1 ~ "^"m"({|$)" { s += $NF } END { printf "%.0f\n", s }'
}

{
    echo "webhooks-dispatch $TS: $EVENTS events per backlog over $ENDPOINTS endpoints; receiver answers 204 at once"
    echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); $("$APP_JAVA" -version 2>&1 | head -1)"
} | tee "$OUT"
RUNNING=1
for n in $INSTANCES; do
    while (( RUNNING < n )); do start "$RUNNING"; RUNNING=$(( RUNNING + 1 )); done
    while (( RUNNING > n )); do RUNNING=$(( RUNNING - 1 )); stop "$RUNNING"; done
    backlog "$EVENTS" "now() + interval '1 day'"
    psql_q -c "vacuum analyze webhook_delivery" -c "vacuum analyze webhook_event"
    received_before="$(wc -l <"$PREFIX-ids.txt")"
    read -r app0 rcv0 pg0 < <(cpu_split)
    started="$(date +%s.%N)"
    psql_q -c "update webhook_delivery set next_attempt_at = now() where status = 'PENDING'"
    while (( $(pending) > 0 )); do sleep 0.2; done
    elapsed="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')"
    read -r app1 rcv1 pg1 < <(cpu_split)
    sleep 1.2
    received=$(( $(wc -l <"$PREFIX-ids.txt") - received_before ))
    printf 'instances %d: %d deliveries in %s s = %s/s (receiver got %d)\n' "$n" "$EVENTS" "$elapsed" \
        "$(awk -v n="$EVENTS" -v s="$elapsed" 'BEGIN { printf "%.0f", n / s }')" "$received" | tee -a "$OUT"
    awk -v n="$EVENTS" -v a0="$app0" -v a1="$app1" -v r0="$rcv0" -v r1="$rcv1" -v p0="$pg0" -v p1="$pg1" -v s="$elapsed" -v c="$(nproc)" \
        'BEGIN { printf "  cpu per delivery: app %.3f ms, PostgreSQL %.3f ms, receiver %.3f ms; machine busy %.0f %% of %d cores by these\n",
                 (a1 - a0) * 1000 / n, (p1 - p0) * 1000 / n, (r1 - r0) * 1000 / n, ((a1 - a0) + (p1 - p0) + (r1 - r0)) * 100 / (s * c), c }' | tee -a "$OUT"
done
while (( RUNNING > 1 )); do RUNNING=$(( RUNNING - 1 )); stop "$RUNNING"; done

# lag at a steady rate: one event a transaction, as confirms write them, one dispatcher instance
if (( RATE > 0 )); then
cat >"$PREFIX-event.sql" <<SQL
\set e random(1, $ENDPOINTS)
with e as (insert into webhook_event (event_id, merchant_id, event_type, object_id, version, payload)
           select 'evt_' || md5(random()::text || clock_timestamp()::text), merchant_id, 'PAYMENT_STATUS_CHANGED', 'pk', nextval('webhook_event_version'),
                  '{"eventType":"PAYMENT_STATUS_CHANGED","data":{"status":"DONE","padding":"' || repeat('x', 600) || '"}}'
             from webhook_endpoint where id = :e returning id)
insert into webhook_delivery (event_id, endpoint_id) select id, :e from e;
SQL
LAG_METRIC=payments_webhooks_lag_seconds_bucket
curl -sf "http://127.0.0.1:$(( APP_PORT + 1 ))/actuator/prometheus" | grep "^$LAG_METRIC" >"$PREFIX-lag-before.txt"
log "lag run: $RATE events/s for ${LAG_SECONDS}s"
"$PGBENCH" -n -c 4 -j 2 -R "$RATE" -T "$LAG_SECONDS" -f "$PREFIX-event.sql" "$APP_DB" >"$PREFIX-pgbench.txt" 2>&1
while (( $(pending) > 0 )); do sleep 0.2; done
curl -sf "http://127.0.0.1:$(( APP_PORT + 1 ))/actuator/prometheus" | grep "^$LAG_METRIC" >"$PREFIX-lag-after.txt"
# percentiles from the histogram's bucket counts during the run (upper bound of the bucket holding the quantile)
quantiles="$(awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; match($1, /le="[^"]*"/); le = substr($1, RSTART + 4, RLENGTH - 5);
        if (le != "+Inf") { n++; les[n] = le + 0; cnt[n] = d } else total = d }
    END { split("0.5 0.99", q, " "); for (k = 1; k <= 2; k++) { for (i = 1; i <= n; i++) if (cnt[i] >= q[k] * total) { printf "%s=%.3fs ", (k == 1 ? "p50" : "p99"), les[i]; break } }
          printf "events=%d", total }' "$PREFIX-lag-before.txt" "$PREFIX-lag-after.txt")"
printf 'lag at %s events/s (1 instance): %s; pgbench: %s\n' "$RATE" "$quantiles" \
    "$(grep -E '^tps' "$PREFIX-pgbench.txt" | head -1)" | tee -a "$OUT"
fi
stop 0

if [[ "$EXPLAIN" == 1 ]]; then
    log "polling query with 1M delivered and 100k pending rows"
    psql_q -c "insert into webhook_event (event_id, merchant_id, event_type, object_id, version, payload)
               select 'evt_old_' || i, (i % $ENDPOINTS) + 1, 'PAYMENT_STATUS_CHANGED', 'pk', i, '{}' from generate_series(1, 1100000) as i"
    psql_q -c "insert into webhook_delivery (event_id, endpoint_id, status, attempts, delivered_at, next_attempt_at)
               select e.id, (e.id % $ENDPOINTS) + 1, 'DELIVERED', 1, now(), now() - interval '1 day'
                 from webhook_event e where e.event_id like 'evt_old_%' order by e.id limit 1000000"
    psql_q -c "insert into webhook_delivery (event_id, endpoint_id, next_attempt_at)
               select e.id, (e.id % $ENDPOINTS) + 1, now() - (random() * interval '1 hour')
                 from webhook_event e where e.event_id like 'evt_old_%' and not exists (select 1 from webhook_delivery d where d.event_id = e.id)"
    psql_q -c "vacuum analyze webhook_delivery" -c "vacuum analyze webhook_event" -c "vacuum analyze webhook_endpoint"
    {
        echo "rows: $(psql_q -c "select string_agg(status || '=' || n, ' ') from (select status, count(*) n from webhook_delivery group by 1 order by 1) s")"
        echo "the dispatcher's claim of 16 (EXPLAIN ANALYZE, rolled back):"
        psql -X -q -d "$APP_DB" <<'SQL'
begin;
explain (analyze, buffers, costs off)
update webhook_delivery d set next_attempt_at = now() + interval '60 seconds'
  from webhook_event e, webhook_endpoint p
 where d.id in (select id from webhook_delivery where status = 'PENDING' and next_attempt_at <= now() and endpoint_id <> all('{}'::bigint[])
                 order by next_attempt_at limit 16 for update skip locked)
   and e.id = d.event_id and p.id = d.endpoint_id
returning d.id, e.payload, p.url;
rollback;
SQL
        echo "the gauges' backlog query:"
        psql -X -q -d "$APP_DB" -c "explain (analyze, buffers, costs off) select count(*), min(next_attempt_at), min(created_at) from webhook_delivery where status = 'PENDING'"
    } 2>&1 | tee -a "$OUT"
fi
log "result: $OUT"
