#!/usr/bin/env bash
# The browser tests of `sla report` (called by .ci/run). Needs Debian's
# chromium and poppler-utils (pdfinfo, pdftotext, pdftoppm), which .ci/run
# installs with apt-get, and node >= 18 with npm. Installs playwright-core
# from package-lock.json (it downloads no browser; the tests launch
# /usr/bin/chromium). The reports, their PDFs and the pages as PNG are left
# in $SLA_REPORT_OUT (default: a new temporary folder) to look at.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
(cd "$ROOT" && cargo build --locked --quiet)
export SLA_BIN="$ROOT/target/debug/sla"
export SLA_REPORT_OUT=${SLA_REPORT_OUT:-$(mktemp -d)}
mkdir -p "$SLA_REPORT_OUT"
npm ci --no-audit --no-fund --silent
echo "reports, PDFs and page images: $SLA_REPORT_OUT"
node --test report.test.mjs
