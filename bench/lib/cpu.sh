# Sourced by the benchmark scripts that report CPU per operation (bench/confirm/run.sh, bench/webhooks/dispatch.sh).
TICK="$(getconf CLK_TCK)"
# CPU seconds (user + system) used so far by the given processes; ones that have exited count 0
cpu_seconds() {
    local pid total=0 rest
    for pid in "$@"; do
        rest="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        rest="${rest##*) }"
        # fields after the command: state(3) ... utime(14) stime(15) -> positions 12 and 13 here
        total=$(( total + $(awk '{ print $12 + $13 }' <<<"$rest") ))
    done
    awk -v t="$total" -v hz="$TICK" 'BEGIN { printf "%.2f\n", t / hz }'
}
