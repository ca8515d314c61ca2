#!/usr/bin/env bash
# CI check: a bad tenant file next to the good examples makes `npm run synth` exit non-zero, report the
# problem with file:line:column and its field path, print no stack trace, and leave cdktf.out untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp tenants/*.yaml "$work/"
cp test/fixtures/tenants-bad/region-outside-zone.yaml "$work/" 2>/dev/null \
  || cp "$(ls test/fixtures/tenants-bad/*.yaml | head -1)" "$work/"
out="$work/cdktf.out"
mkdir -p "$out" && echo sentinel > "$out/sentinel.txt"
before="$(cd "$out" && find . -type f | sort | xargs sha256sum)"
set +e
log="$(npm run --silent synth -- --tenants "$work" --out "$out" 2>&1)"
rc=$?
set -e
echo "$log" | tail -20
after="$(cd "$out" && find . -type f | sort | xargs sha256sum)"
[ "$rc" -ne 0 ] || { echo "FAIL: synth exited 0 with a bad tenant"; exit 1; }
grep -Eq '\.yaml:[0-9]+:[0-9]+' <<<"$log" || { echo "FAIL: no file:line:column in the output"; exit 1; }
! grep -Eq '^\s+at .*\(.*:[0-9]+:[0-9]+\)' <<<"$log" || { echo "FAIL: stack trace printed"; exit 1; }
[ "$before" = "$after" ] || { echo "FAIL: cdktf.out changed"; exit 1; }
echo "bad tenant: exit $rc, problem reported with file:line:column, cdktf.out untouched"
