#!/usr/bin/env bash
# npm run test:policies — static checks, unit tests, coverage threshold and rule-contract checks for policies/.
#
# Conventions checked here:
#   * every policies/zonegate/rules/<service>/<slug>/<slug>.rego has <slug>_test.rego beside it with at least one test named
#     test_deny_* (the rule denies) and one test_allow_* (the rule passes); test_unknown_* / test_*legacy*
#     cover unknown-after-apply and old provider attribute names where relevant;
#   * every non-test file under policies/zonegate is >= ${ZG_MIN_COVERAGE:-90}% covered;
#   * one vocabulary (Regal's directory-package-mismatch with exclude-test-suffix, test-outside-test-package and
#     file-missing-test-suffix, plus ours): every .rego is in policies/zonegate/<package path>/, tests only in
#     <package>_test packages in *_test.rego files, each rule at policies/zonegate/rules/<service>/<slug>/<slug>.rego
#     as package zonegate.rules.<service>.<slug> where <service> is its id prefix lowercased, its test beside it in
#     package zonegate.rules.<service>.<slug>_test importing the rule package, nothing else in the folder;
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
let bad = 0;
let cov = {};
try { cov = JSON.parse(fs.readFileSync(process.env.COV, "utf8")); }
catch { console.log("opa test --coverage gave no report (the policies do not compile: see opa test above)"); bad++; }
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

// 4. one vocabulary (what Regal's directory-package-mismatch / test-outside-test-package / file-missing-test-suffix
//    check, and more, since Regal cannot run here; see .regal/config.yaml)
{
  const err = (f, msg) => { console.log(`${f}: ${msg}`); bad++; };
  const all = [];
  const walkAll = (d) => fs.readdirSync(d).sort().forEach((n) => {
    const p = path.join(d, n);
    if (p === "policies/dist") return;
    if (fs.statSync(p).isDirectory()) walkAll(p); else all.push(p);
  });
  walkAll("policies");
  const regos = all.filter((f) => f.endsWith(".rego"));
  const src = (f) => fs.readFileSync(f, "utf8");
  const pkgOf = (f) => /^package\s+(\S+)\s*$/m.exec(src(f))?.[1] ?? "";
  const hasTests = (f) => /^test_\w*\s+if\b/m.test(src(f));
  for (const f of regos) {
    if (!f.startsWith("policies/zonegate/")) { err(f, "Rego outside policies/zonegate/ (its directory must be its package path)"); continue; }
    const pkg = pkgOf(f);
    if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(pkg)) { err(f, `package ${pkg || "(none)"} is not dotted snake_case`); continue; }
    const isTestPkg = pkg.endsWith("_test");
    // the directory is the package path, a test package's _test suffix excluded (Regal exclude-test-suffix)
    const want = "policies/" + pkg.replace(/_test$/, "").split(".").join("/");
    if (path.dirname(f) !== want) err(f, `package ${pkg} belongs in ${want}/`);
    if (isTestPkg && !f.endsWith("_test.rego")) err(f, `test package ${pkg} in a file not named *_test.rego`);
    if (hasTests(f) && !isTestPkg) err(f, `tests outside a _test package (package ${pkg})`);
    if (hasTests(f) && !f.endsWith("_test.rego")) err(f, "tests in a file not named *_test.rego");
  }
  // rules: policies/zonegate/rules/<service>/<slug>/<slug>.rego, package zonegate.rules.<service>.<slug>,
  // service = the id's prefix lowercased, the folder holds the rule and its test and nothing else
  const idOf = new Map(pkgs.map((a) => [a.location.file.replace(/^.*?(policies\/)/, "$1"), a.annotations?.custom?.id]));
  const folders = new Set();
  for (const f of regos.filter((f) => f.startsWith(RULES))) {
    const rel = f.slice(RULES.length).split("/");
    if (rel.length !== 3) { err(f, "not at policies/zonegate/rules/<service>/<slug>/<file>.rego"); continue; }
    const [svc, slug, file] = rel;
    folders.add(`${RULES}${svc}/${slug}`);
    if (file !== `${slug}.rego` && file !== `${slug}_test.rego`) err(f, `folder ${slug}/ holds only ${slug}.rego and ${slug}_test.rego`);
    if (file !== `${slug}.rego`) continue;
    const id = idOf.get(f);
    if (id && id.split("-")[1]?.toLowerCase() !== svc) err(f, `id ${id} belongs in ${RULES}${id.split("-")[1]?.toLowerCase()}/`);
    if (pkgOf(f) !== `zonegate.rules.${svc}.${slug}`) err(f, `package ${pkgOf(f)} is not zonegate.rules.${svc}.${slug}`);
    const t = f.replace(/\.rego$/, "_test.rego");
    if (fs.existsSync(t)) {
      if (pkgOf(t) !== `zonegate.rules.${svc}.${slug}_test`) err(t, `package ${pkgOf(t)} is not zonegate.rules.${svc}.${slug}_test`);
      if (!new RegExp(`^import data\\.zonegate\\.rules\\.${svc}\\.${slug}\\s*$`, "m").test(src(t))) err(t, `does not import data.zonegate.rules.${svc}.${slug}`);
    }
  }
  for (const d of folders) if (!fs.existsSync(`${d}/${path.basename(d)}.rego`)) err(d, `no ${path.basename(d)}.rego (a test without its rule)`);
  for (const f of all.filter((f) => f.startsWith(RULES) && !f.endsWith(".rego"))) err(f, "only .rego files under policies/zonegate/rules/");
  console.log(`vocabulary: ${regos.length} Rego files, ${folders.size} rule folders`);
}
console.log(`rules: ${seen.size}`);
if (bad) { console.log(`FAILED: ${bad} problem(s)`); process.exit(1); }
NODE
rm -f "$cov.inspect"

if [[ $fail -ne 0 ]]; then
  echo "test-policies: FAILED" >&2
  exit 1
fi
echo "test-policies: OK"
