#!/usr/bin/env bash
# Brings Baseplate's pinned toolchain onto this machine. Idempotent and cached:
# a second run does no network I/O and finishes in well under a second.
#
#   Node 24 LTS  - the npm package `node` (pinned in package.json) installs it into
#                  node_modules/.bin, which npm scripts put first on PATH.
#   OPA, actionlint - Go programs built once with `go install` at the pinned version,
#                  cached by version under $BASEPLATE_TOOLS (default: ~/.cache/baseplate/tools),
#                  then linked into .tools/bin of the work tree. A binary of the right version
#                  already on PATH is reused instead.
#
# Environment:
#   BASEPLATE_TOOLS   cache directory for built tools (default ~/.cache/baseplate/tools)
#   BASEPLATE_SKIP_NPM=1  skip `npm ci` (used when npm itself is running this script)
set -euo pipefail

OPA_VERSION="1.22.2"
ACTIONLINT_VERSION="1.7.12"
NODE_MAJOR="24"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BASEPLATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/baseplate/tools}"
LOCAL_BIN="$ROOT/.tools/bin"
mkdir -p "$LOCAL_BIN" "$CACHE"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- npm dependencies (includes Node 24) ------------------------------------
lock_hash() { sha256sum "$ROOT/package-lock.json" | cut -c1-64; }
stamp="$ROOT/node_modules/.baseplate-install-stamp"
if [[ "${BASEPLATE_SKIP_NPM:-0}" != "1" ]]; then
  if [[ ! -f "$ROOT/package-lock.json" ]]; then
    die "package-lock.json is missing in $ROOT; run 'npm install' once and commit the lockfile."
  fi
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$(lock_hash)" ]]; then
    say "installing npm dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) \
      || die "npm ci failed in $ROOT; check that package-lock.json matches package.json ('npm install' regenerates it)."
    lock_hash > "$stamp"
  fi
fi
node_bin="$ROOT/node_modules/.bin/node"
if [[ ! -x "$node_bin" ]]; then
  die "Node $NODE_MAJOR was not installed at $node_bin; run 'npm ci' in $ROOT (the npm package 'node' provides it)."
fi
node_version="$("$node_bin" --version)"
[[ "$node_version" == v$NODE_MAJOR.* ]] || die "expected Node $NODE_MAJOR at $node_bin, found $node_version; run 'npm ci'."

# --- Go-built tools -----------------------------------------------------------
# go_tool NAME MODULE VERSION VERSION_CMD EXPECT
#   Reuses .tools/bin/NAME, then the version cache, then NAME on PATH, when
#   `NAME VERSION_CMD` prints a line containing EXPECT; otherwise builds it with
#   `go install MODULE@vVERSION` into the cache. Links the result into .tools/bin.
go_tool() {
  local name="$1" module="$2" version="$3" version_cmd="$4" expect="$5"
  local cached="$CACHE/$name/v$version/$name" found="" tmp
  # The output is read whole before grep: with pipefail, `tool | grep -q` fails at random when grep
  # exits at the first match and the tool, still writing, dies of SIGPIPE.
  tool_ok() {
    local out
    [[ -x "$1" ]] && out="$("$1" $version_cmd 2>/dev/null)" && grep -qF -- "$expect" <<<"$out"
  }
  if tool_ok "$LOCAL_BIN/$name"; then
    found="$LOCAL_BIN/$name"
  elif tool_ok "$cached"; then
    found="$cached"
  elif command -v "$name" >/dev/null 2>&1 && tool_ok "$(command -v "$name")"; then
    found="$(command -v "$name")"
  elif command -v go >/dev/null 2>&1; then
    say "building $name v$version with $(go version | cut -d' ' -f3) (once; cached in $CACHE)"
    tmp="$(mktemp -d)"
    if ! GOBIN="$tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "$module@v$version" >&2; then
      rm -rf "$tmp"
      die "'go install $module@v$version' failed; check access to the Go module proxy, or put $name $version on PATH."
    fi
    mkdir -p "$(dirname "$cached")"
    mv "$tmp/$name" "$cached"
    rm -rf "$tmp"
    found="$cached"
  else
    die "$name $version is required. Either install Go (>= 1.24) so this script can run 'go install $module@v$version', or download $name $version and put it on PATH."
  fi
  [[ "$found" == "$LOCAL_BIN/$name" ]] || ln -sf "$found" "$LOCAL_BIN/$name"
  tool_ok "$LOCAL_BIN/$name" || die "$LOCAL_BIN/$name is not $name $version; delete it and re-run tools/setup.sh."
}

go_tool opa github.com/open-policy-agent/opa "$OPA_VERSION" version "Version: $OPA_VERSION"
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" -version "$ACTIONLINT_VERSION"

# --- Regal (the Rego linter) --------------------------------------------------
# Self-contained: its own version pin and build. `go install` of Regal fails: the module proxy
# refuses the version list that go install's query reads (403). A throwaway module that requires
# the pinned version (`go get`, which asks the proxy for that exact version) and `go build`s it
# works (a few minutes, once); the binary is cached by version like the tools above, and a
# `regal` of the right version on PATH is reused.
REGAL_VERSION="0.39.0"
regal_tool() {
  local cached="$CACHE/regal/v$REGAL_VERSION/regal" found="" work out
  regal_ok() {
    local out
    [[ -x "$1" ]] && out="$("$1" version 2>/dev/null)" && grep -qE -- "^Version: +$REGAL_VERSION\$" <<<"$out"
  }
  if regal_ok "$LOCAL_BIN/regal"; then
    return 0
  elif regal_ok "$cached"; then
    found="$cached"
  elif command -v regal >/dev/null 2>&1 && regal_ok "$(command -v regal)"; then
    found="$(command -v regal)"
  elif command -v go >/dev/null 2>&1; then
    say "building regal v$REGAL_VERSION with $(go version | cut -d' ' -f3) (once, a few minutes; cached in $CACHE)"
    work="$(mktemp -d)"
    printf 'module baseplate.local/regal\n\ngo 1.24\n' >"$work/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/open-policy-agent/regal"\n' >"$work/tools.go"
    if ! out="$(cd "$work" && GOFLAGS=-mod=mod go get "github.com/open-policy-agent/regal@v$REGAL_VERSION" 2>&1 &&
      GOFLAGS=-mod=mod CGO_ENABLED=0 go build \
        -ldflags "-X github.com/open-policy-agent/regal/pkg/version.Version=$REGAL_VERSION" \
        -o "$work/regal" github.com/open-policy-agent/regal 2>&1)"; then
      printf '%s\n' "$out" >&2
      rm -rf "$work"
      die "building regal v$REGAL_VERSION failed (output above); check access to the Go module proxy, or put regal $REGAL_VERSION on PATH."
    fi
    mkdir -p "$(dirname "$cached")"
    mv "$work/regal" "$cached"
    rm -rf "$work"
    found="$cached"
  else
    die "regal $REGAL_VERSION is required for 'npm run lint'. Either install Go (>= 1.26) so this script can build it, or download regal $REGAL_VERSION and put it on PATH."
  fi
  ln -sf "$found" "$LOCAL_BIN/regal"
  regal_ok "$LOCAL_BIN/regal" || die "$LOCAL_BIN/regal is not regal $REGAL_VERSION; delete it and re-run tools/setup.sh."
}
regal_tool

say "ready: node $node_version, opa $OPA_VERSION, actionlint $ACTIONLINT_VERSION (tools in $LOCAL_BIN)"
