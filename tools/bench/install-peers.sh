#!/usr/bin/env bash
# Installs the tools the benchmark compares the gate with, once, cached by version:
#
#   conftest  - built with `go install` into $BASEPLATE_TOOLS/conftest/v<ver>/ (the same cache
#               layout tools/setup.sh uses for OPA), reused when already there.
#   Checkov   - a Python virtual environment at $BASEPLATE_CACHE/venv-checkov with checkov 3.3.x.
#
# A peer that cannot be installed (no Go, no Python, no network) is reported and skipped: the
# benchmark then marks it as skipped instead of measuring it. Prints one `name=path` line per
# installed peer on standard output; progress and problems go to standard error.
#
# Environment:
#   BASEPLATE_TOOLS  cache of built tools (default ~/.cache/baseplate/tools)
#   BASEPLATE_CACHE  cache root for the Checkov virtual environment (default ~/.cache/baseplate)
set -uo pipefail

CONFTEST_VERSION="0.71.1"
CHECKOV_SPEC="checkov==3.3.*"

CACHE_ROOT="${BASEPLATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/baseplate}"
TOOLS="${BASEPLATE_TOOLS:-$CACHE_ROOT/tools}"
say() { printf 'bench-peers: %s\n' "$*" >&2; }

# --- conftest -----------------------------------------------------------------
conftest="$TOOLS/conftest/v$CONFTEST_VERSION/conftest"
# `go install` builds carry no version string (`conftest --version` prints "dev"): the cache
# directory names the version, and the binary must run.
conftest_ok() { [[ -x "$1" ]] && "$1" --version >/dev/null 2>&1; }
if ! conftest_ok "$conftest"; then
  if command -v go >/dev/null 2>&1; then
    say "building conftest v$CONFTEST_VERSION with $(go version | cut -d' ' -f3) (once; cached in $TOOLS)"
    tmp="$(mktemp -d)"
    if GOBIN="$tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "github.com/open-policy-agent/conftest@v$CONFTEST_VERSION" >&2; then
      mkdir -p "$(dirname "$conftest")"
      mv "$tmp/conftest" "$conftest"
    else
      say "'go install github.com/open-policy-agent/conftest@v$CONFTEST_VERSION' failed; conftest is skipped."
    fi
    rm -rf "$tmp"
  else
    say "Go is not installed, so conftest v$CONFTEST_VERSION cannot be built; conftest is skipped."
  fi
fi
conftest_ok "$conftest" && echo "conftest=$conftest"

# --- Checkov --------------------------------------------------------------------
venv="$CACHE_ROOT/venv-checkov"
checkov="$venv/bin/checkov"
checkov_ok() {
  local out
  [[ -x "$1" ]] && out="$("$1" --version 2>/dev/null)" && grep -qE '^3\.3\.' <<<"$out"
}
if ! checkov_ok "$checkov"; then
  if command -v python3 >/dev/null 2>&1; then
    say "installing $CHECKOV_SPEC into $venv (once)"
    if python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --quiet --disable-pip-version-check "$CHECKOV_SPEC" >&2; then
      :
    else
      say "installing $CHECKOV_SPEC failed; Checkov is skipped."
    fi
  else
    say "python3 is not installed, so Checkov cannot be installed; Checkov is skipped."
  fi
fi
checkov_ok "$checkov" && echo "checkov=$checkov"
exit 0
