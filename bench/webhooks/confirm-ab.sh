#!/usr/bin/env bash
# What the webhook outbox costs a confirm: bench/confirm/limits-ab.sh with EXPERIMENT=webhooks: two warm
# payment-api instances on one database, measured in alternating windows; the "on" side confirms for a
# merchant with a webhook endpoint (its event and delivery rows written in the confirm's transaction, then
# delivered to bench/webhooks/Receiver.java), the "off" side for a merchant without one. Same settings as
# limits-ab.sh (CLIENTS, WARMUP, ROUNDS, WINDOW, FIRST, APP_DB, ports); see docs/benchmarks.md ("Webhooks").
#
# Usage, from the repository root:   bench/webhooks/confirm-ab.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EXPERIMENT=webhooks APP_DB="${APP_DB:-webhooks_confirm_ab}" exec "$ROOT/bench/confirm/limits-ab.sh" "$@"
