#!/usr/bin/env bash
# Peak memory of `sla eval` as the log grows, and on damaged logs: flat
# (the log is streamed; issues 11 and 17).
#
#   benches/eval_memory.sh [SMALL] [BIG]     (default 1000000 and 10000000 tickets)
#
# Prints the peak RSS of `sla eval contracts/care.sla LOG --format json` on
# CARE-shaped logs (benches/eval/gen_care_log.py) of SMALL and BIG tickets,
# and on three damaged copies of the SMALL log:
#   - a quote opened in the 10th row that never closes (a CSV parser takes
#     the rest of the file into one cell; sla resumes at the next row);
#   - CR-only line ends (old Mac exports);
#   - a Latin-1 byte in every 1000th row's `cause` cell (those rows invalid).
# and the SMALL and BIG logs piped in (`cat LOG | sla eval C /dev/stdin`: a
# pipe, read again from the copy sla keeps of it in an unnamed temporary
# file, src/eval/input/piped_log.rs), and event-shaped ServiceNow exports of
# SMALL/10 and BIG/10 incidents (benches/eval/gen_event_export.py, about 4.4
# update rows an incident, grouped into tickets by the `servicenow` profile).
# Each run's ticket count is checked against the log's (nothing dropped).
# The goal: every figure about the same, at most 200 MB. Finding duplicate
# ids keeps its table of ids seen (about 9.5 bytes an id) within 32 MiB
# (SLA_ID_MEMORY); a longer log's duplicates are listed on disk by a first
# pass over its ids (src/eval/run/duplicates.rs). Measured on the loaded
# 2-core machine: 67 MB at 1M tickets (the table, 10 MB), 69 MB at 10M (the
# list, its sort holding 16 MiB), against 142 MB at 10M with the table alone
# and 48 MB without finding duplicates at all. Piped in: 79 MB at 1M and 77 MB
# at 10M (187 MB at 10M while a pipe kept the table alone). Event-shaped
# exports: 44 MB at 100,000 incidents and 58 MB at 1M (the table of ids, 10
# MB; 88 MB while the grouping kept every id it had handed on).
#
# Set SLA_BENCH_DIR to keep the generated logs somewhere else than
# target/bench-eval (they are reused when present; BIG is about 780 MB).
set -euo pipefail

cd "$(dirname "$0")/.."
SMALL=${1:-1000000}
BIG=${2:-10000000}
# shellcheck source=benches/common.sh
. benches/common.sh

damaged() { # KIND N -> path of a damaged copy of the N-ticket log
    local f="$DIR/care-$2-$1.csv" src
    src=$(log "$2")
    if [ ! -s "$f" ]; then
        echo "making $f" >&2
        case "$1" in
            quote) sed '11s/,\(high\|medium\|low\),/,\1,"/' "$src" > "$f.tmp" ;;
            cr) tr '\n' '\r' < "$src" > "$f.tmp" ;;
            latin1) awk 'NR > 1 && NR % 1000 == 0 { sub(/,(high|medium|low),/, "&\351") } { print }' "$src" > "$f.tmp" ;;
        esac
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}

cargo build --release --quiet --bin sla
SLA=target/release/sla

events() { # N -> path of a generated event-shaped export of N incidents
    generated events benches/eval/gen_event_export.py "$1"
}

# "MB TICKETS" of one run: peak RSS and the distinct ids in its report.
# LOG is a path, `pipe:PATH` (PATH piped in) or `events:PATH` (an export).
measure() {
    local log=$1 contract=contracts/care.sla as_of=$AS_OF extra=()
    case "$log" in
        pipe:*) log=/dev/stdin ;;
        events:*)
            log=${log#events:}
            contract=contracts/examples/servicenow-incident.sla
            as_of=2027-03-01T00:00:00Z
            extra=(--log-tz Europe/Amsterdam) ;;
    esac
    case "$1" in
        pipe:*) cat "${1#pipe:}" ;;
        *) true ;;
    esac | /usr/bin/time -f '%M' -o "$DIR/rss" "$SLA" eval "$contract" "$log" \
        --format csv --as-of "$as_of" "${extra[@]}" > "$DIR/out.csv" 2> "$DIR/err.txt" || true
    local mb ids
    mb=$(( $(tail -1 "$DIR/rss") / 1024 ))
    ids=$(tail -n +2 "$DIR/out.csv" | cut -d, -f1 | uniq | sort -u | wc -l)
    echo "$mb $ids"
}

row() { # LABEL PATH EXPECTED_TICKETS
    local mb ids
    read -r mb ids < <(measure "$2")
    printf '%-38s %6s MB  %9s tickets%s\n' "$1" "$mb" "$ids" \
        "$([ "$ids" = "$3" ] || echo "  (expected $3: LOST TICKETS)")"
}

row "$SMALL tickets" "$(log "$SMALL")" "$SMALL"
row "$BIG tickets" "$(log "$BIG")" "$BIG"
row "$SMALL tickets through a pipe" "pipe:$(log "$SMALL")" "$SMALL"
row "$BIG tickets through a pipe" "pipe:$(log "$BIG")" "$BIG"
row "$((SMALL / 10)) incidents, event-shaped export" "events:$(events $((SMALL / 10)))" $((SMALL / 10))
row "$((BIG / 10)) incidents, event-shaped export" "events:$(events $((BIG / 10)))" $((BIG / 10))
row "$SMALL, unclosed quote in row 10" "$(damaged quote "$SMALL")" "$SMALL"
row "$SMALL, CR-only line ends" "$(damaged cr "$SMALL")" "$SMALL"
row "$SMALL, Latin-1 byte every 1000 rows" "$(damaged latin1 "$SMALL")" "$SMALL"
grep -m1 -A1 'unreadable rows' "$DIR/err.txt" | cut -c1-160 || true
