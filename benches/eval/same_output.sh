#!/usr/bin/env bash
# Byte-for-byte check of `sla eval`'s reports against those of another build,
# for work on its speed: the seeds (with their contracts and hand-written
# rule sets), the odd inputs of tests/eval/inputs, a generated 10,000-ticket
# CARE log, the examples of contracts/examples with their event logs, and a
# generated help desk's histories (replies, pauses, reopenings), in JSON, CSV
# and human form.
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
# Histories: every clock that reads an event log (benches/eval/histories.sla).
HIST_T="$DIR/history-tickets.csv" HIST_E="$DIR/history-events.csv"
if [ ! -s "$HIST_T" ] || [ ! -s "$HIST_E" ]; then
    python3 benches/eval/gen_history_log.py 5000 "$HIST_T" "$HIST_E" 11
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
cases+=("zendesk|contracts/examples/zendesk-support.sla|examples/zendesk-tickets.csv|--events|examples/zendesk-events.csv|--as-of|2026-03-20T21:00:00Z")
cases+=("jira|contracts/examples/jira-service-desk.sla|examples/jira-issues.csv|--events|examples/jira-events.csv|--as-of|2026-04-24T07:00:00Z")
cases+=("follow-the-sun|contracts/examples/follow-the-sun.sla|examples/follow-the-sun-tickets.csv|--as-of|2026-12-01T00:00:00Z")
cases+=("care-versions|contracts/examples/care-versions.sla|examples/care-versions-tickets.csv")
cases+=("histories|benches/eval/histories.sla|$HIST_T|--events|$HIST_E|--as-of|2025-10-01T00:00:00Z")

status=0
unrecorded=0
for case in "${cases[@]}"; do
    IFS='|' read -r -a fields <<< "$case"
    name=${fields[0]} contract=${fields[1]} log=${fields[2]}
    extra=("${fields[@]:3}")
    # A case that names its own instant keeps it; the rest share AS_OF.
    [[ " ${extra[*]} " == *" --as-of "* ]] || extra+=(--as-of "$AS_OF")
    for format in json csv human; do
        out="$DIR/$name.$format"
        run() { "$SLA" eval "$contract" "$log" --format "$format" "${extra[@]}" 2>&1 || echo "exit $?"; }
        if [ "$MODE" = record ]; then
            run > "$out"
        elif [ ! -e "$out" ]; then
            # Recorded by an older version of this script: say so, and
            # record again to compare this case too.
            echo "not recorded, not compared: $name ($format)"
            unrecorded=$((unrecorded + 1))
        elif ! run | cmp -s - "$out"; then
            echo "DIFFERS: $name ($format)"
            status=1
        fi
    done
done
if [ "$MODE" = check ] && [ $status = 0 ]; then
    if [ $unrecorded = 0 ]; then
        echo "same output in all ${#cases[@]} cases x 3 formats"
    else
        echo "same output in every report recorded; $unrecorded of ${#cases[@]} cases x 3 formats were not recorded"
    fi
fi
exit $status
