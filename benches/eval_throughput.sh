#!/usr/bin/env bash
# Throughput and memory of `sla eval` on a large CARE-shaped ticket log.
#
#   benches/eval_throughput.sh [TICKETS]      (default 1000000, about 78 MB)
#
# 1. generates the log with benches/eval/gen_care_log.py (deterministic seed),
#    and one a quarter as long;
# 2. builds the release `sla` and the floor program, examples/eval_floor.rs:
#    it reads the CSV with the csv crate (whose parser, csv_core, sla eval
#    uses too) and parses every timestamp with the same
#    sla::time::parse_timestamp, and does nothing else;
# 3. times `sla eval contracts/care.sla LOG --format json > /dev/null` and the
#    floor, taking turns for 5 rounds (SLA_BENCH_ROUNDS), and prints the best
#    and the median wall-clock time of each and their ratios (the goal: at
#    most 2x);
# 4. prints the peak RSS of `sla eval` on both logs (the goal: at most 200 MB,
#    and the same on both: memory must not grow with the log).
#
# Take it on a quiet machine: under load the multi-threaded `sla eval` gets
# more CPU shares than the single-threaded floor, and the ratio looks better
# than it is. On a shared machine compare user CPU time (/usr/bin/time) or
# instructions (valgrind --tool=callgrind on a 100,000-ticket log); the
# README's "Performance" gives the figures and how they were taken.
#
# Set SLA_BENCH_DIR to keep the generated logs somewhere else than
# target/bench-eval (they are reused when present).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-1000000}
ROUNDS=${SLA_BENCH_ROUNDS:-5}
QUARTER=$((N / 4))
# shellcheck source=benches/common.sh
. benches/common.sh
BIG=$(log "$N")
SMALL=$(log "$QUARTER")
echo "log: $BIG, $(du -m "$BIG" | cut -f1) MB" >&2

cargo build --release --quiet --bin sla --example eval_floor
SLA=target/release/sla
FLOOR=target/release/examples/eval_floor

EVAL=("$SLA" eval contracts/care.sla "$BIG" --format json --as-of "$AS_OF")
# The two programs take turns, so that a change in the machine's speed (a
# shared virtual machine's often does) falls on both alike.
floor_ns=() eval_ns=()
for _ in $(seq "$ROUNDS"); do
    floor_ns+=("$(wall "$FLOOR" "$BIG")")
    eval_ns+=("$(wall "${EVAL[@]}")")
done
read -r floor_best floor_median < <(printf '%s\n' "${floor_ns[@]}" | stats)
read -r eval_best eval_median < <(printf '%s\n' "${eval_ns[@]}" | stats)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rss_small=$(peak_mb "$SLA" eval contracts/care.sla "$SMALL" --format json --as-of "$AS_OF")
rss_big=$(peak_mb "${EVAL[@]}")

echo "cores:                     $(nproc) (load average now: $(cut -d' ' -f1 /proc/loadavg))"
echo "rounds:                    $ROUNDS (best / median wall clock)"
echo "floor (read + timestamps): ${floor_best} s / ${floor_median} s"
echo "sla eval --format json:    ${eval_best} s / ${eval_median} s"
echo "ratio:                     $(ratio "$eval_best" "$floor_best")x / $(ratio "$eval_median" "$floor_median")x (goal: at most 2x)"
echo "peak RSS, $QUARTER tickets: ${rss_small} MB"
echo "peak RSS, $N tickets:   ${rss_big} MB (goal: at most 200 MB, not growing)"
