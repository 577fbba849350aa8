#!/usr/bin/env bash
# Short runs of the cargo fuzz targets in fuzz/ (FUZZ_SECONDS each, 60 by
# default): the front end, the formatter round trip, the CSV and JSON Lines
# ticket log readers and the LSP frame reader. Fails on any crash, timeout
# (10 s per input), out-of-memory (2 GB) or broken assertion (the formatter's
# idempotence among them). Seeds: the repository's contracts and test logs.
#
# For a longer hunt: FUZZ_SECONDS=3600 .ci/fuzz.sh, or
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.1
seconds=${FUZZ_SECONDS:-60}

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
# cargo-fuzz passes -Z flags to rustc; the stable toolchain accepts them so.
export RUSTC_BOOTSTRAP=1

# The seed corpus, gathered afresh: contracts for the front end and the
# formatter, test logs for the readers, a few frames for the LSP reader.
corpus=fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{front_end,fmt_round_trip,csv_log,jsonl_log,lsp_frames}
for f in contracts/*.sla contracts/examples/*.sla tests/check/ok/*.sla tests/check/err/*.sla tests/fmt/*/*.sla; do
  [ -f "$f" ] || continue
  name=$(echo "$f" | tr '/' '_')
  cp "$f" "$corpus/front_end/$name"
  cp "$f" "$corpus/fmt_round_trip/$name"
done
for f in tests/data/*.csv tests/hostile/*/*.csv; do
  [ -f "$f" ] || continue
  head -c 65536 "$f" > "$corpus/csv_log/$(echo "$f" | tr '/' '_')"
done
if [ -d ../shared/testdata ]; then
  for f in ../shared/testdata/*/tickets.csv; do
    [ -f "$f" ] && head -c 65536 "$f" > "$corpus/csv_log/$(echo "$f" | tr '/' '_' | tr -d '.')"
  done
fi
for f in $(find tests -name '*.jsonl'); do
  head -c 65536 "$f" > "$corpus/jsonl_log/$(echo "$f" | tr '/' '_')"
done
cp fuzz/seeds/lsp_frames/* "$corpus/lsp_frames/"

cargo fuzz build -s none
for target in front_end fmt_round_trip csv_log jsonl_log lsp_frames; do
  echo "== fuzz $target (${seconds} s)"
  # The log readers run `sla eval`, which writes a report and warnings per
  # input: their output is closed (a crash is replayed with
  # `cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-…`).
  mask=1
  case $target in csv_log | jsonl_log) mask=3 ;; esac
  cargo fuzz run -s none "$target" "$corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -close_fd_mask="$mask" -max_len=65536 -print_final_stats=1
done
