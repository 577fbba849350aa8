#!/usr/bin/env bash
# Throughput and memory of `sla eval` on a large CARE-shaped ticket log.
#
#   benches/eval_throughput.sh [TICKETS]      (default 1000000, about 78 MB)
#
# 1. generates the log with benches/eval/gen_care_log.py (deterministic seed),
#    and one a quarter as long;
# 2. builds the release `sla` and the floor program, examples/eval_floor.rs:
#    it reads the CSV with the same csv crate and parses every timestamp with
#    the same sla::time::parse_timestamp, and does nothing else;
# 3. times `sla eval contracts/care.sla LOG --format json > /dev/null` and the
#    floor, best of 3 (wall clock), and prints both and their ratio (the goal:
#    at most 2x);
# 4. prints the peak RSS of `sla eval` on both logs (the goal: at most 200 MB,
#    and the same on both: memory must not grow with the log).
#
# Set SLA_BENCH_DIR to keep the generated logs somewhere else than
# target/bench-eval (they are reused when present).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-1000000}
QUARTER=$((N / 4))
DIR=${SLA_BENCH_DIR:-target/bench-eval}
mkdir -p "$DIR"
AS_OF=2026-01-10T12:00:00Z

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (for the peak RSS)" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

log() { # N -> path of a generated log with N tickets
    local f="$DIR/care-$1.csv"
    if [ ! -s "$f" ]; then
        echo "generating $f ($1 tickets)" >&2
        python3 benches/eval/gen_care_log.py "$1" > "$f.tmp"
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}
BIG=$(log "$N")
SMALL=$(log "$QUARTER")
echo "log: $BIG, $(du -m "$BIG" | cut -f1) MB" >&2

cargo build --release --quiet --bin sla --example eval_floor
SLA=target/release/sla
FLOOR=target/release/examples/eval_floor

# best WALL-SECONDS of 3 runs of "$@" (stdout to /dev/null)
best_of_3() {
    local best=""
    for _ in 1 2 3; do
        local s t
        s=$(date +%s%N)
        "$@" > /dev/null 2>&1 || true # sla eval exits 1 on a non-compliant log
        t=$(( $(date +%s%N) - s ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

# peak RSS in MB of one run of "$@"
peak_mb() {
    /usr/bin/time -f '%M' -o "$DIR/rss" "$@" > /dev/null 2>&1 || true
    echo $(( $(tail -1 "$DIR/rss") / 1024 ))
}

EVAL=("$SLA" eval contracts/care.sla "$BIG" --format json --as-of "$AS_OF")
t_floor=$(best_of_3 "$FLOOR" "$BIG")
t_eval=$(best_of_3 "${EVAL[@]}")
ratio=$(awk -v a="$t_eval" -v b="$t_floor" 'BEGIN { printf "%.2f", a / b }')
rss_small=$(peak_mb "$SLA" eval contracts/care.sla "$SMALL" --format json --as-of "$AS_OF")
rss_big=$(peak_mb "${EVAL[@]}")

echo "cores:                    $(nproc) (load average now: $(cut -d' ' -f1 /proc/loadavg))"
echo "floor (read + timestamps): ${t_floor} s"
echo "sla eval --format json:    ${t_eval} s"
echo "ratio:                    ${ratio}x (goal: at most 2x)"
echo "peak RSS, $QUARTER tickets: ${rss_small} MB"
echo "peak RSS, $N tickets: ${rss_big} MB (goal: at most 200 MB, not growing)"
