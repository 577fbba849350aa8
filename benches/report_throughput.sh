#!/usr/bin/env bash
# Speed and memory of `sla report` against `sla eval --format json` on the
# 1M-ticket CARE-shaped log of benches/eval_throughput.sh.
#
#   benches/report_throughput.sh [TICKETS]     (default 1000000)
#
# Generates the logs (full and a quarter; reused from target/bench-eval, or
# $SLA_BENCH_DIR), builds the release `sla`, then times
#   sla eval   contracts/care.sla LOG --format json > /dev/null
#   sla report contracts/care.sla LOG --period 2025-11 -o report.html
# taking turns for $SLA_BENCH_ROUNDS rounds (default 5), and prints the best
# and median wall-clock time of each, the ratio (the goal: the report within
# 1.5x of eval), and the peak RSS of both on the two logs (the goal: the
# report's as flat as eval's: the same on both logs).
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

cargo build --release --quiet --bin sla
SLA=target/release/sla
HTML="$DIR/report.html"

eval_cmd() { echo "$SLA" eval contracts/care.sla "$1" --format json --as-of "$AS_OF"; }
report_cmd() { echo "$SLA" report contracts/care.sla "$1" --period 2025-11 --as-of "$AS_OF" -o "$HTML"; }

eval_ns=() report_ns=()
for _ in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2046 # the words of the command, none with spaces
    eval_ns+=("$(wall $(eval_cmd "$BIG"))")
    # shellcheck disable=SC2046
    report_ns+=("$(wall $(report_cmd "$BIG"))")
done
read -r eval_best eval_median < <(printf '%s\n' "${eval_ns[@]}" | stats)
read -r report_best report_median < <(printf '%s\n' "${report_ns[@]}" | stats)
echo "sla eval --format json: best ${eval_best}s, median ${eval_median}s"
echo "sla report:             best ${report_best}s, median ${report_median}s"
awk -v a="$report_best" -v b="$eval_best" -v c="$report_median" -v d="$eval_median" \
    'BEGIN { printf "report / eval: %.2fx at best, %.2fx at the median (goal: at most 1.5x)\n", a / b, c / d }'
echo "peak RSS, $QUARTER and $N tickets:"
# shellcheck disable=SC2046
echo "  sla eval:   $(peak_mb $(eval_cmd "$SMALL")) MB, $(peak_mb $(eval_cmd "$BIG")) MB"
# shellcheck disable=SC2046
echo "  sla report: $(peak_mb $(report_cmd "$SMALL")) MB, $(peak_mb $(report_cmd "$BIG")) MB"
