# Shared by the benchmark scripts that read generated CARE logs; sourced
# after `cd` to the repository root. Sets DIR (where the logs are kept,
# $SLA_BENCH_DIR or target/bench-eval; reused when present) and AS_OF,
# makes sure GNU time is there for the peak RSS, and defines `log`.

DIR=${SLA_BENCH_DIR:-target/bench-eval}
mkdir -p "$DIR"
AS_OF=2026-01-10T12:00:00Z

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (for the peak RSS)" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

generated() { # NAME GENERATOR N -> path of $DIR/NAME-N.csv, made by GENERATOR N once
    local f="$DIR/$1-$3.csv"
    if [ ! -s "$f" ]; then
        echo "generating $f" >&2
        python3 "$2" "$3" > "$f.tmp"
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}

log() { # N -> path of a generated log with N tickets (deterministic seed)
    generated care benches/eval/gen_care_log.py "$1"
}
