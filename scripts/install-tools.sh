#!/usr/bin/env bash
# Installs the pinned policy/CI toolchain into ./.tools/bin (git-ignored):
#   - OPA CLI (Rego compile/test/fmt)   via `go install` (Go module proxy)
#   - actionlint (GitHub workflow lint) via `go install`
# For users without Go, OPA falls back to the official release binary, verified by sha256.
#   - headless Chromium for the HTML report's browser test, only with ZG_INSTALL_CHROMIUM=1 (CI): Debian's
#     `chromium` package via apt-get (needs root); `npm test`'s pretest never runs apt. Without it the
#     browser test is skipped with a note. ZG_CHROMIUM points the test at another Chromium/Chrome binary.
# Idempotent: a tool already present at the pinned version is not reinstalled.
set -euo pipefail
OPA_VERSION="v1.22.2"
ACTIONLINT_VERSION="v1.7.12"
# Regal (the Rego linter). Optional: the Go module proxy this project's machines reach answers 403 for it
# (checked 2026-11-23), so a failed install is a warning; scripts/test-policies.sh runs it when present.
REGAL_VERSION="v0.36.1"
# sha256 of opa_linux_amd64_static for OPA_VERSION (only used by the no-Go fallback).
OPA_LINUX_AMD64_SHA256="${OPA_LINUX_AMD64_SHA256:-}"

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
mkdir -p "$bin"
export GOBIN="$bin"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

# have TOOL VERSION VERSION-FLAG: the tool is installed at that version.
have() { [ -x "$bin/$1" ] && "$bin/$1" "$3" 2>/dev/null | grep -- "${2#v}" >/dev/null; }

if have opa "$OPA_VERSION" version; then
  echo "install-tools: opa $OPA_VERSION already installed"
elif command -v go >/dev/null 2>&1; then
  echo "install-tools: go install github.com/open-policy-agent/opa@$OPA_VERSION (first build takes a few minutes)"
  go install "github.com/open-policy-agent/opa@$OPA_VERSION"
else
  echo "install-tools: Go not found; downloading the official OPA $OPA_VERSION binary"
  url="https://openpolicyagent.org/downloads/$OPA_VERSION/opa_linux_amd64_static"
  curl -fsSL -o "$bin/opa.tmp" "$url"
  if [ -n "$OPA_LINUX_AMD64_SHA256" ]; then
    echo "$OPA_LINUX_AMD64_SHA256  $bin/opa.tmp" | sha256sum -c -
  else
    curl -fsSL "$url.sha256" | awk '{print $1"  '"$bin"'/opa.tmp"}' | sha256sum -c -
  fi
  chmod +x "$bin/opa.tmp" && mv "$bin/opa.tmp" "$bin/opa"
fi

if [ "${ZG_SKIP_ACTIONLINT:-0}" != "1" ]; then
  if have actionlint "$ACTIONLINT_VERSION" -version; then
    echo "install-tools: actionlint $ACTIONLINT_VERSION already installed"
  elif command -v go >/dev/null 2>&1; then
    echo "install-tools: go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
    go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  else
    echo "install-tools: Go not found; skipping actionlint (only CI needs it)"
  fi
fi
if [ "${ZG_SKIP_REGAL:-0}" != "1" ] && [ ! -x "$bin/regal" ] && command -v go >/dev/null 2>&1; then
  echo "install-tools: go install github.com/open-policy-agent/regal@$REGAL_VERSION (optional)"
  if ! go install "github.com/open-policy-agent/regal@$REGAL_VERSION" 2>/tmp/zonegate-regal-install.log; then
    echo "install-tools: WARNING: Regal could not be installed ($(tail -1 /tmp/zonegate-regal-install.log)); policy lint falls back to opa check --strict + opa fmt"
  fi
fi
if [ "${ZG_INSTALL_CHROMIUM:-0}" = "1" ]; then
  chromium_bin="${ZG_CHROMIUM:-/usr/bin/chromium}"
  if [ -x "$chromium_bin" ]; then
    echo "install-tools: chromium already installed ($("$chromium_bin" --version 2>/dev/null | head -1))"
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-tools: apt-get install chromium (headless browser for the report test)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/tmp/zonegate-chromium-install.log 2>&1 \
      || { apt-get update -q >>/tmp/zonegate-chromium-install.log 2>&1 \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >>/tmp/zonegate-chromium-install.log 2>&1; }; }; then
      echo "install-tools: WARNING: chromium could not be installed ($(tail -1 /tmp/zonegate-chromium-install.log)); the report browser test will be skipped"
    fi
  else
    echo "install-tools: WARNING: no $chromium_bin and no root apt-get to install it; the report browser test will be skipped"
  fi
fi

"$bin/opa" version | sed -n 1p
