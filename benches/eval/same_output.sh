#!/usr/bin/env bash
# Byte-for-byte check of `sla eval`'s reports against those of another build,
# for work on its speed: the seeds (with their contracts and hand-written
# rule sets), the odd inputs of tests/eval/inputs and a generated 10,000-ticket
# CARE log, in JSON, CSV and human form.
#
#   benches/eval/same_output.sh record BINARY DIR   (writes the reports of BINARY to DIR)
#   benches/eval/same_output.sh check  BINARY DIR   (compares BINARY's with DIR's)
#
# e.g. build the commit before the change, `record` with it, then `check`
# with the new build.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=$1
SLA=$(realpath "$2")
DIR=$3
AS_OF=2026-01-10T12:00:00Z
mkdir -p "$DIR"
GEN="$DIR/care-10k.csv"
if [ ! -s "$GEN" ]; then
    python3 benches/eval/gen_care_log.py 10000 7 > "$GEN"
fi
# The same log as a spreadsheet might save it: CRLF line ends, cells in
# quotes, and a column the contract does not read whose cells hold
# delimiters, doubled quotes and line breaks.
QUOTED="$DIR/care-10k-quoted.csv"
if [ ! -s "$QUOTED" ]; then
    python3 - "$GEN" "$QUOTED" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as src, open(sys.argv[2], "w", newline="") as out:
    rows = csv.reader(src)
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for i, row in enumerate(rows):
        note = "note" if i == 0 else ('said "call me", twice\non %d' % i if i % 5 == 0 else "")
        w.writerow(row + [note])
PY
fi
SNOW="$DIR/servicenow-subset.csv"
if [ ! -s "$SNOW" ]; then
    gzip -dc tests/data/exports/servicenow-subset.csv.gz > "$SNOW"
fi

cases=()
for seed in care connexys infravision voicetronics xguard; do
    data=tests/eval/testdata/$seed/tickets.csv
    [ -f "contracts/$seed.sla" ] && cases+=("$seed-sla|contracts/$seed.sla|$data")
    cases+=("$seed-rules|tests/eval/rules/$seed.json|$data")
done
for input in care-bad.csv care-easter.csv care-good.csv care-good.jsonl care-semicolon.csv; do
    cases+=("input-$input|tests/eval/rules/care.json|tests/eval/inputs/$input")
done
cases+=("paused|tests/eval/rules/paused.json|tests/eval/inputs/paused.csv|--events|tests/eval/inputs/paused-events.csv")
cases+=("gen10k|contracts/care.sla|$GEN")
cases+=("gen10k-quoted|contracts/care.sla|$QUOTED")
cases+=("bpi2014|tests/data/exports/bpi2014.sla|tests/data/exports/bpi2014-sample.csv")
cases+=("servicenow|contracts/examples/servicenow-incident.sla|$SNOW|--log-tz|Europe/Amsterdam")

status=0
for case in "${cases[@]}"; do
    IFS='|' read -r name contract log extra1 extra2 <<< "$case"
    extra=()
    [ -n "${extra1:-}" ] && extra=("$extra1" "$extra2")
    for format in json csv human; do
        out="$DIR/$name.$format"
        run() { "$SLA" eval "$contract" "$log" --as-of "$AS_OF" --format "$format" "${extra[@]}" 2>&1 || echo "exit $?"; }
        if [ "$MODE" = record ]; then
            run > "$out"
        elif ! run | cmp -s - "$out"; then
            echo "DIFFERS: $name ($format)"
            status=1
        fi
    done
done
if [ "$MODE" = check ] && [ $status = 0 ]; then
    echo "same output in all ${#cases[@]} cases x 3 formats"
fi
exit $status
