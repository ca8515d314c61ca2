#!/usr/bin/env bash
# npm run test:policies — static checks, unit tests, coverage threshold and rule-contract checks for policies/.
#
# Conventions checked here:
#   * every policies/zonegate/rules/<service>/<slug>/<slug>.rego has <slug>_test.rego beside it with at least one test named
#     test_deny_* (the rule denies) and one test_allow_* (the rule passes); test_unknown_* / test_*legacy*
#     cover unknown-after-apply and old provider attribute names where relevant;
#   * every non-test file under policies/zonegate is >= ${ZG_MIN_COVERAGE:-90}% covered;
#   * every rule's package METADATA has title, description, custom.{id (unique, ZG-<AREA>-NNN), severity,
#     frameworks (pci-dss-4.0 non-empty unless the rule is GDPR-only residency), enforcement, remediation,
#     construct, resource_types, mutations}.
set -euo pipefail
cd "$(dirname "$0")/.."
OPA=.tools/bin/opa
MIN="${ZG_MIN_COVERAGE:-90}"
if [[ ! -x "$OPA" ]]; then
  echo "test-policies: $OPA not found — run \`npm run tools\` first" >&2
  exit 2
fi

# data files are passed explicitly so they load at the data root (policies/data/residency.json → data.residency)
mapfile -t DATA < <(find policies/data -name '*.json' | sort)
PATHS=(policies/zonegate "${DATA[@]}")
fail=0

echo "== opa check --strict"
"$OPA" check --strict policies/ || fail=1

echo "== opa fmt --list (must be empty)"
unformatted="$("$OPA" fmt --list policies/)"
if [[ -n "$unformatted" ]]; then
  echo "not formatted (run $OPA fmt -w policies):"; echo "$unformatted"; fail=1
fi

REGAL="$(dirname "$OPA")/regal"
if [[ -x "$REGAL" ]]; then
  echo "== regal lint"
  "$REGAL" lint policies/ || fail=1
else
  echo "== regal lint: skipped (Regal not installed: the Go module proxy refuses it here; see scripts/install-tools.sh)"
fi

echo "== opa test"
"$OPA" test "${PATHS[@]}" || fail=1

echo "== coverage (>= ${MIN}% per file)"
cov="$(mktemp)"; trap 'rm -f "$cov"' EXIT
"$OPA" test "${PATHS[@]}" --coverage --format json >"$cov" || true
"$OPA" inspect -a --format json policies/ >"$cov.inspect"
MIN="$MIN" COV="$cov" INSPECT="$cov.inspect" node - <<'NODE' || fail=1
const fs = require("fs");
const path = require("path");
const min = Number(process.env.MIN);
const cov = JSON.parse(fs.readFileSync(process.env.COV, "utf8"));
let bad = 0;
const RULES = "policies/zonegate/rules/";

// 1. coverage per file
const targets = [];
const walk = (d) => fs.readdirSync(d).sort().forEach((n) => {
  const p = path.join(d, n);
  if (fs.statSync(p).isDirectory()) walk(p); else targets.push(p);
});
walk("policies/zonegate");
const files = targets.filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"));
const rows = files.map((f) => [f, cov.files?.[f]?.coverage ?? 0]);
const w = Math.max(...rows.map((r) => r[0].length));
for (const [f, c] of rows) {
  const flag = c < min ? "  << below threshold" : "";
  if (c < min) bad++;
  console.log(`${f.padEnd(w)}  ${c.toFixed(1).padStart(5)}%${flag}`);
}
console.log(`${"TOTAL".padEnd(w)}  ${(cov.coverage ?? 0).toFixed(1).padStart(5)}%  (${files.length} files)`);

// 2. test naming convention
for (const f of files.filter((f) => f.startsWith(RULES))) {
  const t = f.replace(/\.rego$/, "_test.rego");
  if (!fs.existsSync(t)) { console.log(`missing test file: ${t}`); bad++; continue; }
  const src = fs.readFileSync(t, "utf8");
  if (!/^test_deny\w*\s+if\b/m.test(src)) { console.log(`${t}: no test_deny_* test`); bad++; }
  if (!/^test_allow\w*\s+if\b/m.test(src)) { console.log(`${t}: no test_allow_* test`); bad++; }
}

// 3. METADATA contract
const SEV = new Set(["critical", "high", "medium", "low"]);
const ann = JSON.parse(fs.readFileSync(process.env.INSPECT, "utf8")).annotations ?? [];
const pkgs = ann.filter((a) => a.annotations?.scope === "package" && (a.location?.file ?? "").replace(/^.*?(policies\/)/, "$1").startsWith(RULES));
const ruleFiles = new Set(files.filter((f) => f.startsWith(RULES)));
const seen = new Map();
for (const a of pkgs) {
  const file = a.location.file.replace(/^.*?(policies\/)/, "$1");
  ruleFiles.delete(file);
  const m = a.annotations, c = m.custom ?? {};
  const err = (msg) => { console.log(`${file}: ${msg}`); bad++; };
  for (const k of ["title", "description"]) if (!m[k]) err(`METADATA ${k} missing`);
  for (const k of ["id", "severity", "frameworks", "enforcement", "remediation", "construct", "resource_types", "mutations"])
    if (c[k] === undefined || c[k] === null || c[k] === "") err(`METADATA custom.${k} missing`);
  if (c.id && !/^ZG-[A-Z0-9]+-\d{3}$/.test(c.id)) err(`bad id ${c.id}`);
  if (c.id && seen.has(c.id)) err(`duplicate id ${c.id} (also ${seen.get(c.id)})`);
  seen.set(c.id, file);
  if (c.severity && !SEV.has(c.severity)) err(`bad severity ${c.severity}`);
  const pci = c.frameworks?.["pci-dss-4.0"] ?? [];
  const gdprOnlyResidency = String(c.id).startsWith("ZG-RES-") && (c.frameworks?.gdpr ?? []).length > 0;
  if (pci.length === 0 && !gdprOnlyResidency) err("frameworks.pci-dss-4.0 is empty");
  const enf = typeof c.enforcement === "string" ? [c.enforcement] : Object.values(c.enforcement ?? {});
  if (!enf.every((e) => e === "mandatory" || e === "advisory")) err(`bad enforcement ${JSON.stringify(c.enforcement)}`);
  if (!Array.isArray(c.resource_types) || c.resource_types.length === 0) err("resource_types empty");
  if (!Array.isArray(c.mutations) || c.mutations.length === 0) err("mutations empty");
  // mutation shape (lib/gate/catalogue.ts Mutation): { type, path, set | delete: true | unknown: true } or,
  // without path, set: { <path>: value }, delete: [paths], unknown: [paths]; optional where: {…}, add: {…}
  for (const mu of Array.isArray(c.mutations) ? c.mutations : []) {
    const bad = (why) => err(`mutation ${JSON.stringify(mu)}: ${why}`);
    const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);
    const isPaths = (x) => Array.isArray(x) && x.length > 0 && x.every((p) => typeof p === "string");
    if (!isObj(mu) || typeof mu.type !== "string") { bad("needs a type"); continue; }
    const known = new Set(["type", "path", "set", "delete", "unknown", "where", "add"]);
    for (const k of Object.keys(mu)) if (!known.has(k)) bad(`unknown key ${k}`);
    if (mu.where !== undefined && !isObj(mu.where)) bad("where must be an object");
    if (mu.add !== undefined && !isObj(mu.add)) bad("add must be an object of values");
    if (mu.path !== undefined) {
      const ops = [mu.set !== undefined, mu.delete === true, mu.unknown === true].filter(Boolean).length;
      if (typeof mu.path !== "string" || ops !== 1) bad("with path: exactly one of set / delete: true / unknown: true");
    } else {
      if (mu.set !== undefined && !isObj(mu.set)) bad("without path, set is { <path>: value }");
      if (mu.delete !== undefined && !isPaths(mu.delete)) bad("without path, delete is a list of paths");
      if (mu.unknown !== undefined && !isPaths(mu.unknown)) bad("without path, unknown is a list of paths");
      if (mu.set === undefined && mu.delete === undefined && mu.unknown === undefined && mu.add === undefined) bad("changes nothing");
    }
  }
  if (c.scope && !["resource", "estate"].includes(c.scope)) err(`bad scope ${c.scope}`);
  // construct: the construct that sets the control, or (catalogue and data-store rules) the catalogue entry.
  if (c.construct && !/^(constructs\/[a-z0-9-]+\.ts|policies\/data\/[a-z0-9-]+\.json)$/.test(c.construct)) err(`bad construct ${c.construct}`);
}
for (const f of ruleFiles) { console.log(`${f}: no package METADATA`); bad++; }
console.log(`rules: ${seen.size}`);
if (bad) { console.log(`FAILED: ${bad} problem(s)`); process.exit(1); }
NODE
rm -f "$cov.inspect"

if [[ $fail -ne 0 ]]; then
  echo "test-policies: FAILED" >&2
  exit 1
fi
echo "test-policies: OK"
