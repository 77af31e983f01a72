#!/usr/bin/env bash
# JVM and Spring context start of settlement-batch: the fat jar (java -jar) against jobs/run-batch.sh (the
# extracted jar with a JDK AOT cache, as the crontab and the image run it), RUNS times each, alternating, on
# the same JDK, against the PostgreSQL server on 127.0.0.1 in a scratch database made and dropped here. Each
# run is --spring.batch.job.name=migrate-only: no such job, so the context starts (Flyway validates the
# schema) and the process exits with 2. Usage, from the repository root, after ./mvnw -DskipTests package:
#   bench/settlement/jvm-start.sh
#   RUNS=5 JAVA_BIN=/path/to/java bench/settlement/jvm-start.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
JAVA_BIN=${JAVA_BIN:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
JAR=${JAR:-settlement-batch/target/settlement-batch-0.1.0-SNAPSHOT.jar}
OUT=bench/results
STAMP=$(date +%Y%m%d-%H%M%S)
DB=jvm_start_$$
PSQL="psql -h $PGHOST -U $PGUSER -v ON_ERROR_STOP=1 -q -d postgres"
mkdir -p "$OUT"

$PSQL -c "create database $DB"
trap '$PSQL -c "drop database if exists $DB"' EXIT
export DB_HOST=$PGHOST DB_PORT=5432 DB_NAME=$DB DB_USERNAME=$PGUSER DB_PASSWORD='' LOG_FORMAT=''
export PAYMENTS_DATA_KEY="${PAYMENTS_DATA_KEY:-bench:$(head -c 32 /dev/urandom | base64 -w0)}"   # the apps need one on a server
export JAVA="$JAVA_BIN" JAR AOT_DIR="$OUT/aot"
# not timed: the schema (the first start migrates it) and the cache (run-batch.sh trains it once per jar and JDK)
"$JAVA_BIN" -jar "$JAR" --spring.batch.job.name=migrate-only > "$OUT/jvm-start-$STAMP-migrate.log" 2>&1 || true
jobs/run-batch.sh --prepare

{
  echo "settlement-batch start $STAMP: $(nproc) cores, $("$JAVA_BIN" -version 2>&1 | grep -m1 ' version "'), $RUNS runs each"
  for run in $(seq "$RUNS"); do
    for how in fat-jar run-batch.sh; do
      log="$OUT/jvm-start-$STAMP-$how-$run.log"
      if [ "$how" = fat-jar ]; then command=("$JAVA_BIN" -jar "$JAR"); else command=(jobs/run-batch.sh); fi
      load=$(cut -d' ' -f1 /proc/loadavg)
      exit_code=0
      "${command[@]}" --spring.batch.job.name=migrate-only > "$log" 2>&1 || exit_code=$?
      [ "$exit_code" = 2 ] || echo "!!! $how exited with $exit_code, not 2: see $log"
      ! grep -q '\[error *\]\[aot\]' "$log" || echo "!!! $how: the JVM did not use the AOT cache: see $log"
      printf '%-13s run %s  load %-5s  %s\n' "$how" "$run" "$load" \
        "$(grep -oP 'Started SettlementBatchApplication in \K[0-9.]+ seconds \(process running for [0-9.]+\)' "$log")"
    done
  done
} | tee "$OUT/jvm-start-$STAMP.txt"
