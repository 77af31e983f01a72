# Shared by bench/webhooks/dispatch.sh and outage.sh (sourced, from the repository root): logging, the
# database, the app's environment and start, and killing what the script started on exit.
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGPASSWORD="${PGPASSWORD:-}"
APP_JAVA="${APP_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAR="${JAR:-payment-api/target/payment-api-0.1.0-SNAPSHOT.jar}"
RESULTS="$ROOT/bench/results"; mkdir -p "$RESULTS"
TS="$(date +%Y%m%d-%H%M%S)"
ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"
DATA_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)"   # one key: every instance shares the database
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$APP_DB" "$@"; }

[[ -f "$JAR" ]] || ./mvnw -q -DskipTests package
declare -A PIDS=()
cleanup() { local pid; for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
psql -X -q -d postgres -c "drop database if exists $APP_DB with (force)" -c "create database $APP_DB"

# start_app name api-port simulator-port log [VAR=value...]: the app on APP_DB, healthy, its pid in PIDS[name]
start_app() {
    local name="$1" port="$2" sim="$3" logfile="$4"
    shift 4
    env -u PG_BASE_URL -u PG_BACKUP_BASE_URL DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_NAME="$APP_DB" DB_USERNAME="$PGUSER" \
        DB_PASSWORD="$PGPASSWORD" PAYMENT_ADMIN_TOKEN="$ADMIN_TOKEN" PAYMENTS_DATA_KEY="$DATA_KEY" PORT="$port" \
        MANAGEMENT_PORT="$(( port + 1 ))" PG_SIMULATOR_PORT="$sim" PAYMENTS_WEBHOOKS_ALLOWPRIVATEADDRESSES=true \
        PAYMENTS_PG_SIMULATOR_LATENCYMS=0 "$@" "$APP_JAVA" -jar "$JAR" >>"$logfile" 2>&1 &
    PIDS[$name]=$!
    for _ in $(seq 1 240); do
        kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name exited; see $logfile"
        curl -sf "http://127.0.0.1:$(( port + 1 ))/actuator/health" 2>/dev/null | grep -q '"UP"' && return
        sleep 0.5
    done
    die "$name did not become healthy"
}

# new_merchant api-port -> "merchantId basicAuth"
new_merchant() {
    local json
    json="$(curl -sf -X POST "http://127.0.0.1:$1/v1/admin/merchants" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d '{"name":"bench","businessType":"BUSINESS","feeRate":"0.033"}')" || die "no merchant"
    echo "$(sed -n 's/.*"merchantId":\([0-9]*\).*/\1/p' <<<"$json") $(printf '%s:' "$(sed -n 's/.*"secretKey":"\([^"]*\)".*/\1/p' <<<"$json")" | base64 -w0)"
}

# register_endpoint api-port basicAuth receiver-port -> the endpoint's JSON (with its secret)
register_endpoint() {
    curl -sf -X POST "http://127.0.0.1:$1/v1/webhooks" -H "Authorization: Basic $2" -H 'Content-Type: application/json' \
        -d "{\"url\":\"http://127.0.0.1:$3/hook\",\"eventTypes\":[\"PAYMENT_STATUS_CHANGED\"]}" || die "could not register an endpoint"
}
