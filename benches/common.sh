# Shared by the benchmark scripts that read generated CARE logs; sourced
# after `cd` to the repository root. Sets DIR (where the logs are kept,
# $SLA_BENCH_DIR or target/bench-eval; reused when present) and AS_OF,
# makes sure GNU time is there for the peak RSS, and defines `generated`,
# `log`, `wall`, `stats` and `peak_mb`.

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

wall() { # WALL-NANOSECONDS of one run of "$@", its output dropped
    local s
    s=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true # sla eval and diff exit 1 on a miss
    echo $(( $(date +%s%N) - s ))
}

stats() { # the smallest and the median of the nanoseconds on stdin, in seconds
    sort -n | awk '{ t[NR] = $1 } END { printf "%.3f %.3f\n", t[1] / 1e9, t[int((NR + 1) / 2)] / 1e9 }'
}

peak_mb() { # peak RSS in MB of one run of "$@"
    /usr/bin/time -f '%M' -o "$DIR/rss" "$@" > /dev/null 2>&1 || true
    echo $(( $(tail -1 "$DIR/rss") / 1024 ))
}
