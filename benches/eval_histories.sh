#!/usr/bin/env bash
# Throughput and memory of `sla eval --events` on a help desk's histories.
#
#   benches/eval_histories.sh [TICKETS]      (default 1000000, with ~5M events)
#
# 1. generates a ticket log of TICKETS tickets and its event log (about five
#    events a ticket: replies of agents and customers, pending, solved, one
#    ticket in five reopened), and the same for a quarter as many tickets
#    (benches/eval/gen_history_log.py, deterministic);
# 2. builds the release `sla`;
# 3. times `sla eval benches/eval/histories.sla TICKETS --events EVENTS
#    --format json > /dev/null` for 3 rounds (SLA_BENCH_ROUNDS) and prints
#    the best and the median wall-clock time, and tickets and events per
#    second at the best; the contract has every clock that reads the event
#    log: an earliest-of with an activity and a status stop, a next reply
#    per customer reply, a resolution with a new cycle per reopening;
# 4. prints the peak RSS (GNU time) on both sizes, with and without the
#    event log, so that what the event log costs is seen apart.
#
# The event log is kept in memory up to a budget of 64 MiB (SLA_EVENTS_MEMORY,
# passed through) and past it sorted to disk, so peak RSS should be about the
# same on both sizes: the quarter log's 1.26M events fit the budget, the full
# log's 5.03M spill. The figures measured, and how they moved, are in the
# README's "Performance".
#
# Set SLA_BENCH_DIR to keep the generated logs somewhere else than
# target/bench-eval (they are reused when present; 1M tickets make about
# 62 MB of tickets and 230 MB of events).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-1000000}
ROUNDS=${SLA_BENCH_ROUNDS:-3}
QUARTER=$((N / 4))
# shellcheck source=benches/common.sh
. benches/common.sh
CONTRACT=benches/eval/histories.sla

history_log() { # N -> "TICKETS EVENTS" paths of the generated logs
    local t="$DIR/history-$1-tickets.csv" e="$DIR/history-$1-events.csv"
    if [ ! -s "$t" ] || [ ! -s "$e" ]; then
        echo "generating $t and $e ($1 tickets)" >&2
        python3 benches/eval/gen_history_log.py "$1" "$t.tmp" "$e.tmp"
        mv "$t.tmp" "$t"
        mv "$e.tmp" "$e"
    fi
    echo "$t $e"
}

read -r BIG_T BIG_E < <(history_log "$N")
read -r SMALL_T SMALL_E < <(history_log "$QUARTER")
events() { echo $(( $(wc -l < "$1") - 1 )); }
BIG_EVENTS=$(events "$BIG_E")
echo "logs: $BIG_T ($(du -m "$BIG_T" | cut -f1) MB), $BIG_E ($(du -m "$BIG_E" | cut -f1) MB, $BIG_EVENTS events)" >&2

cargo build --release --quiet --bin sla
SLA=target/release/sla

# A: the command line of `sla eval` on TICKETS [EVENTS] [FORMAT]
args() {
    A=("$SLA" eval "$CONTRACT" "$1")
    if [ -n "${2:-}" ]; then A+=(--events "$2"); fi
    A+=(--format "${3:-json}" --as-of "$AS_OF")
}

ns=()
args "$BIG_T" "$BIG_E"
for _ in $(seq "$ROUNDS"); do
    s=$(date +%s%N)
    "${A[@]}" > /dev/null 2> "$DIR/err.txt" || true # exit 1: not compliant
    ns+=($(( $(date +%s%N) - s )))
done
read -r best median < <(printf '%s\n' "${ns[@]}" | stats)

# Nothing dropped: every ticket of the quarter log has rows in its report.
args "$SMALL_T" "$SMALL_E" csv
"${A[@]}" > "$DIR/out.csv" 2>/dev/null || true
ids=$(tail -n +2 "$DIR/out.csv" | cut -d, -f1 | uniq | sort -u | wc -l)

printf 'sla eval --events, %s tickets and %s events, %s rounds\n' "$N" "$BIG_EVENTS" "$ROUNDS"
printf '  best %.3f s, median %.3f s: %s tickets/s, %s events/s at the best\n' "$best" "$median" \
    "$(awk -v n="$N" -v t="$best" 'BEGIN { printf "%.0f", n / t }')" \
    "$(awk -v n="$BIG_EVENTS" -v t="$best" 'BEGIN { printf "%.0f", n / t }')"
printf '  %s of the %s tickets of the quarter log in its report%s\n' "$ids" "$QUARTER" \
    "$([ "$ids" = "$QUARTER" ] || echo "  (LOST TICKETS)")"
echo "peak RSS:"
for n in "$QUARTER" "$N"; do
    if [ "$n" = "$N" ]; then t=$BIG_T e=$BIG_E; else t=$SMALL_T e=$SMALL_E; fi
    args "$t" "$e"
    with=$(peak_mb "${A[@]}")
    args "$t"
    without=$(peak_mb "${A[@]}")
    printf '  %9s tickets, %9s events: %5s MB   (without --events: %s MB)\n' \
        "$n" "$(events "$e")" "$with" "$without"
done
