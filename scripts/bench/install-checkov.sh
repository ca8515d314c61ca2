#!/usr/bin/env bash
# Installs the pinned Checkov (the peer of `npm run bench`) from PyPI into ./.tools/checkov-venv (git-ignored).
# Idempotent: a venv that already holds the pinned version is kept. Override the pin with CHECKOV_VERSION.
set -euo pipefail
CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.tools/checkov-venv"
python="${PYTHON:-python3}"

if [ -x "$venv/bin/checkov" ] && "$venv/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
  echo "install-checkov: checkov $CHECKOV_VERSION already installed in $venv"
  exit 0
fi
mkdir -p "$root/.tools"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
echo "install-checkov: $("$venv/bin/checkov" --version) installed in $venv"
