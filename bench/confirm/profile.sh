#!/usr/bin/env bash
# Where the app's CPU per confirm goes: bench/confirm/run.sh (same settings, same environment) with a JFR
# recording of the measured run (JFR_FILE; settings=profile: ~10 ms sampling), then
# bench/confirm/jfr-breakdown.py on it. See docs/benchmarks.md ("Confirm CPU: where it goes").
# Usage, from the repository root:   bench/confirm/profile.sh [clients]      (PREFIX=org.jooq: callers into a package)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
APP_JAVA="${APP_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
mkdir -p bench/results
JFR_FILE="$ROOT/bench/results/confirm-$(date +%Y%m%d-%H%M%S).jfr"
APP_JAVA="$APP_JAVA" JFR_FILE="$JFR_FILE" bench/confirm/run.sh "$@"
JFR_TOOL="$(dirname "$APP_JAVA")/jfr" bench/confirm/jfr-breakdown.py "$JFR_FILE" ${PREFIX:+"$PREFIX"}
echo "recording: ${JFR_FILE#"$ROOT"/}"
