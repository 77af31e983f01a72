#!/usr/bin/env bash
# Runs one settlement-batch job the way the image does (settlement-batch/Dockerfile): from the extracted
# jar with a JDK AOT cache, which brings the JVM and Spring context start from ~10 s to ~3 s on the 2-core
# machines (docs/benchmarks.md, "JVM start"). The first run after the jar or the JDK changed extracts the
# jar and trains the cache once (about 30 s; it needs no database); later runs reuse it. A JDK older
# than 25 has no AOT cache: there it runs the fat jar, as before.
#
#   run-batch.sh --spring.batch.job.name=settlementJob [date=2026-11-24]   # the jar's own arguments
#   run-batch.sh --prepare      # extract and train now (e.g. right after a deploy), run no job
#
# JAR     the fat jar (settlement-batch.jar in the current directory)
# JAVA    the java command (java)
# JAVA_OPTS  extra JVM options for the job, split into words (not for the training run)
# AOT_DIR where the extracted jar and its cache live (<jar without .jar>.aot beside the jar), one
#         directory per jar and JDK; needs to be writable by the user the jobs run as
#
# The exit code is the job's: 0 done, 1 failed, 2 usage, 3 another run holds the lock, 4 discrepancies.
# shellcheck disable=SC2086 # JAVA_OPTS and the flock option are split into words on purpose
set -uo pipefail

JAR=${JAR:-settlement-batch.jar}
JAVA=${JAVA:-java}

jdk=$("$JAVA" -version 2>&1 | grep -v '^Picked up')
major=$(sed -nE 's/.* version "([0-9]+).*/\1/p' <<<"$jdk" | head -1)
if [ "${major:-0}" -lt 25 ]; then
  if [ "${1:-}" = --prepare ]; then
    echo "run-batch.sh: $JAVA is Java ${major:-?}, which has no AOT cache: nothing to prepare" >&2
    exit 0
  fi
  exec "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" "$@"
fi

# absolute paths: the cache records the class path as it was given, and it only fits that class path
jar=$(realpath "$JAR") || exit 1
root=$(realpath -m "${AOT_DIR:-${jar%.jar}.aot}")
key=$({ stat -c '%s %Y' "$jar"; echo "$jdk"; } | sha256sum | cut -c1-16)
dir=$root/$key
app=$dir/app/$(basename "$jar")

# Extracts the jar into $dir/app and trains $dir/app.aot; false when it did not (then $dir/failed says why).
prepare() {
  [ -f "$dir/app.aot" ] && return 0
  [ -f "$dir/failed" ] && return 1
  mkdir -p "$root" || return 1
  (
    # one trainer at a time; a job that finds another one training runs the fat jar rather than wait
    flock $lock_wait 9 || exit 1
    [ -f "$dir/app.aot" ] && exit 0
    rm -rf "$dir" && mkdir -p "$dir/tmp" || exit 1
    echo "run-batch.sh: extracting $jar and training its AOT cache in $dir (once per jar and JDK)" >&2
    # The training run is a whole start and stop that runs no job (no job name: usage, exit code 2). With
    # DB_HOST blank it runs on a temporary embedded PostgreSQL, so it needs no database and touches none;
    # -Dspring.context.exit=onRefresh would halt the JVM before that server is stopped.
    "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" > "$dir/training.log" 2>&1 \
      && (cd "$dir" && "$JAVA" -XX:AOTCacheOutput="$dir/training.aot" -Djava.io.tmpdir="$dir/tmp" -jar "$app" \
            --spring.batch.job.name= --DB_HOST= --payments.embedded-database.data-directory=) >> "$dir/training.log" 2>&1
    trained=$?
    rm -rf "$dir/tmp"
    if [ "$trained" -eq 2 ] && [ -s "$dir/training.aot" ]; then
      mv "$dir/training.aot" "$dir/app.aot"
    else
      echo "training exited with $trained; delete $dir to try again" > "$dir/failed"
      rm -rf "$dir/app" "$dir/training.aot"
      exit 1
    fi
  ) 9> "$root/.lock"
}

lock_wait=-n
[ "${1:-}" = --prepare ] && lock_wait=
prepared=0
prepare || prepared=$?
# a cache directory no run has used for 3 hours belongs to an older jar or JDK: no job runs that long
# (its lock is held at most 2 h)
find "$root" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{16}' \
  ! -name "$key" -mmin +180 -exec rm -rf {} + 2>/dev/null

if [ "$prepared" -ne 0 ]; then
  why=$(cat "$dir/failed" 2>/dev/null || echo "another run is training it, or $root is not writable")
  echo "run-batch.sh: no AOT cache for $jar ($why; see $dir/training.log)" >&2
  [ "${1:-}" = --prepare ] && exit 1
  exec "$JAVA" ${JAVA_OPTS:-} -jar "$jar" "$@"
fi
[ "${1:-}" = --prepare ] && exit 0
touch "$dir" # in use: keeps the cleanup above away from it
exec "$JAVA" ${JAVA_OPTS:-} -XX:AOTCache="$dir/app.aot" -jar "$app" "$@"
