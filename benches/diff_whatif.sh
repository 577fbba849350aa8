#!/usr/bin/env bash
# The what-if of `sla diff OLD NEW TICKETS` against one `sla eval` on the
# large CARE-shaped log of benches/eval_throughput.sh.
#
#   benches/diff_whatif.sh [TICKETS]      (default 1000000)
#
# Times `sla eval contracts/care.sla LOG --format json` and `sla diff
# contracts/care.sla NEW LOG --format json` (NEW: high resolution 6 hours
# instead of 4, one more holiday), taking turns for 5 rounds
# (SLA_BENCH_ROUNDS), and prints the best and median of each and their ratio
# (the goal: at most 2.5x). Then the peak RSS of the what-if on the log and
# on one a quarter as long (the goal: the same on both: memory flat).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-1000000}
ROUNDS=${SLA_BENCH_ROUNDS:-5}
QUARTER=$((N / 4))
# shellcheck source=benches/common.sh
. benches/common.sh
BIG=$(log "$N")
SMALL=$(log "$QUARTER")
NEW="$DIR/care-new.sla"
sed -e 's/resolution within 4 hours /resolution within 6 hours /' \
    -e 's/^  closed on holidays NL$/  closed on holidays NL\n  closed on 2025-12-24/' \
    contracts/care.sla > "$NEW"

cargo build --release --quiet --bin sla
SLA=target/release/sla

EVAL=("$SLA" eval contracts/care.sla "$BIG" --format json --as-of "$AS_OF")
DIFF=("$SLA" diff contracts/care.sla "$NEW" "$BIG" --format json --as-of "$AS_OF")
eval_ns=() diff_ns=()
for _ in $(seq "$ROUNDS"); do
    eval_ns+=("$(wall "${EVAL[@]}")")
    diff_ns+=("$(wall "${DIFF[@]}")")
done
read -r eval_best eval_median < <(printf '%s\n' "${eval_ns[@]}" | stats)
read -r diff_best diff_median < <(printf '%s\n' "${diff_ns[@]}" | stats)
echo "sla eval:   best ${eval_best}s, median ${eval_median}s"
echo "sla diff:   best ${diff_best}s, median ${diff_median}s (the what-if)"
awk -v d="$diff_best" -v e="$eval_best" -v dm="$diff_median" -v em="$eval_median" \
    'BEGIN { printf "ratio:      best %.2fx, median %.2fx (goal: at most 2.5x)\n", d / e, dm / em }'
echo "peak RSS of the what-if: $(peak_mb "${DIFF[@]}") MB on $N tickets, $(peak_mb "$SLA" diff contracts/care.sla "$NEW" "$SMALL" --format json --as-of "$AS_OF") MB on $QUARTER"
