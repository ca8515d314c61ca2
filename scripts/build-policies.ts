/**
 * Builds policies/dist/{policy.wasm,data.json,manifest.json} from policies/ (npm run policies:build).
 *
 * 1. `opa fmt --list` (must list nothing) and `opa check --strict` over policies/.
 * 2. Stages the non-test .rego files and the data files (merged into one root data.json, so
 *    policies/data/residency.json's top-level `residency` becomes data.residency) in a temp dir.
 * 3. `opa build -t wasm` with the entrypoints the policies declare (`entrypoint: true` in a rule's METADATA,
 *    read with `opa inspect -a`, in source order — the wasm entrypoint id order); checks that the built wasm
 *    has exactly those; extracts policy.wasm and data.json.
 * 4. Writes manifest.json: opaVersion, entrypoints (the annotated ones), sources (sha256 per source, lib/gate/bundle-hash.ts),
 *    wasmSha256, dataSha256 and the rule catalogue from `opa inspect -a` METADATA. Deterministic: sorted
 *    keys, rules sorted by id, no timestamps — rebuilding unchanged sources gives an identical dist.
 * 5. Signs the dist directory with OPA's own bundle signing (`opa sign --bundle`, RS256 → `.signatures.json`
 *    over data.json, manifest.json and policy.wasm; no OPA `.manifest`, which would make `opa check policies`
 *    read policies/ as a bundle). The key is `ZG_BUNDLE_SIGNING_KEY` (a PEM
 *    path; production) or the committed test key policies/keys/test-signing-key.pem (see its README).
 *    RS256 (PKCS#1 v1.5) signatures are deterministic, so a rebuild is still byte-identical.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { computeSourceHashes, sha256, stableStringify } from "../lib/gate/bundle-hash";

const ROOT = resolve(__dirname, "..");
const OPA = join(ROOT, ".tools/bin/opa");
const DIST = join(ROOT, "policies/dist");
const TEST_KEY = join(ROOT, "policies/keys/test-signing-key.pem");

/** Run opa; builds run inside the staging dir with relative paths so the wasm embeds no temp path. */
function opa(args: string[], cwd = ROOT): string {
  return execFileSync(OPA, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function fail(msg: string): never {
  console.error(`build-policies: ${msg}`);
  process.exit(1);
}

interface Annotation {
  title?: string;
  description?: string;
  custom?: Record<string, unknown>;
}

interface Inspected {
  annotations?: {
    location?: { file?: string; row?: number };
    path?: { value: string }[];
    annotations?: Annotation & { scope?: string; entrypoint?: boolean };
  }[];
}

function inspect(): Inspected {
  return JSON.parse(opa(["inspect", "-a", "--format", "json", "policies"])) as Inspected;
}

/**
 * The documents the policies mark `entrypoint: true` (rule METADATA), as slash paths without `data/`
 * (`zonegate/gate/findings`), in source order (file, then line): the single list of what the Wasm exports.
 */
function entrypoints(inspected: Inspected): string[] {
  const found = (inspected.annotations ?? [])
    .filter((a) => a.annotations?.entrypoint === true)
    .map((a) => ({
      file: (a.location?.file ?? "").replace(/^.*?(policies\/)/, "$1"),
      row: a.location?.row ?? 0,
      path: (a.path ?? [])
        .map((p) => p.value)
        .join("/")
        .replace(/^data\//, ""),
    }));
  for (const e of found)
    if (e.file.endsWith("_test.rego")) fail(`${e.file}:${e.row}: a test file declares entrypoint ${e.path}`);
  found.sort((x, y) => x.file.localeCompare(y.file) || x.row - y.row);
  const paths = [...new Set(found.map((e) => e.path))];
  if (paths.length === 0)
    fail("no rule is marked `entrypoint: true` in its METADATA (policies/zonegate/gate/gate.rego)");
  return paths;
}

function catalogue(inspected: Inspected): Record<string, unknown>[] {
  const rules: Record<string, unknown>[] = [];
  for (const a of inspected.annotations ?? []) {
    const ann = a.annotations ?? {};
    const file = (a.location?.file ?? "").replace(/^.*?(policies\/)/, "$1");
    if (ann.scope !== "package" || !ann.custom?.id) continue;
    const pkg = (a.path ?? [])
      .map((p) => p.value)
      .join(".")
      .replace(/^data\./, "");
    // The gate aggregates data.zonegate.rules[service][rule]: a rule package at any other depth or place
    // would compile but never be evaluated, so it fails the build instead.
    if (!file.startsWith("policies/zonegate/rules/") || !/^zonegate\.rules\.[a-z0-9]+\.[a-z0-9_]+$/.test(pkg))
      fail(
        `${file}: rule ${String(ann.custom.id)} is package ${pkg}; rules are zonegate.rules.<service>.<rule> under policies/zonegate/rules/`,
      );
    const c = ann.custom;
    rules.push({
      id: c.id,
      title: ann.title,
      description: ann.description,
      severity: c.severity,
      frameworks: c.frameworks,
      enforcement: c.enforcement,
      remediation: c.remediation,
      construct: c.construct,
      peers: c.peers ?? {},
      resource_types: c.resource_types,
      scope: c.scope ?? "resource",
      stricter_than_peers: c.stricter_than_peers ?? null,
      mutations: c.mutations ?? [],
      file,
      package: pkg,
    });
  }
  rules.sort((x, y) => String(x.id).localeCompare(String(y.id)));
  return rules;
}

function main(): void {
  if (!existsSync(OPA)) fail(`${OPA} not found — run \`npm run tools\` first`);
  const unformatted = opa(["fmt", "--list", "policies"]).trim();
  if (unformatted) fail(`not opa-fmt formatted (run .tools/bin/opa fmt -w policies):\n${unformatted}`);
  opa(["check", "--strict", "policies"]);
  // Both before anything is written: a misplaced rule or a missing entrypoint fails with dist untouched.
  const inspected = inspect();
  const rules = catalogue(inspected);
  const eps = entrypoints(inspected);

  const sources = computeSourceHashes(ROOT);
  const stage = mkdtempSync(join(tmpdir(), "zg-policies-"));
  try {
    const data: Record<string, unknown> = {};
    for (const rel of Object.keys(sources)) {
      if (rel.endsWith(".rego")) {
        const dst = join(stage, "src", rel);
        mkdirSync(dirname(dst), { recursive: true });
        copyFileSync(join(ROOT, rel), dst);
      } else {
        Object.assign(data, JSON.parse(readFileSync(join(ROOT, rel), "utf8")));
      }
    }
    writeFileSync(join(stage, "src", "data.json"), stableStringify(data));
    const bundle = join(stage, "bundle.tar.gz");
    opa(["build", "-t", "wasm", ...eps.flatMap((e) => ["-e", e]), "-o", bundle, "src"], stage);
    const out = join(stage, "out");
    mkdirSync(out);
    execFileSync("tar", ["-xzf", bundle, "-C", out, "/policy.wasm", "/data.json", "/.manifest"], { stdio: "ignore" });
    // OPA also compiles annotated entrypoints on its own: the wasm must export exactly the list we record.
    const built = (
      (JSON.parse(readFileSync(join(out, ".manifest"), "utf8")) as { wasm?: { entrypoint: string }[] }).wasm ?? []
    ).map((w) => w.entrypoint);
    if (built.join("\n") !== eps.join("\n"))
      fail(
        `opa build compiled entrypoints [${built.join(", ")}], the policies declare [${eps.join(", ")}] ` +
          "(OPA also exports every rule that refers to an entrypoint: mark it `entrypoint: true` too, or move it)",
      );

    mkdirSync(DIST, { recursive: true });
    const wasm = readFileSync(join(out, "policy.wasm"));
    const dataJson = readFileSync(join(out, "data.json"));
    writeFileSync(join(DIST, "policy.wasm"), wasm);
    writeFileSync(join(DIST, "data.json"), dataJson);

    const opaVersion = /Version: (\S+)/.exec(opa(["version"]))?.[1] ?? "unknown";
    const manifest = {
      opaVersion,
      entrypoints: eps,
      sources,
      wasmSha256: sha256(wasm),
      dataSha256: sha256(dataJson),
      rules,
    };
    writeFileSync(join(DIST, "manifest.json"), stableStringify(manifest));
    // Sign what was just written (the old signature is not part of the signed set).
    rmSync(join(DIST, ".signatures.json"), { force: true });
    const key = process.env.ZG_BUNDLE_SIGNING_KEY || TEST_KEY;
    if (!existsSync(key)) fail(`signing key ${key} not found (ZG_BUNDLE_SIGNING_KEY)`);
    const sigDir = join(stage, "sig");
    mkdirSync(sigDir);
    opa(["sign", ".", "--bundle", "--signing-key", key, "-o", sigDir], DIST);
    writeFileSync(join(DIST, ".signatures.json"), readFileSync(join(sigDir, ".signatures.json")));
    console.log(
      `build-policies: ${rules.length} rules, ${Object.keys(sources).length} sources → policies/dist (wasm ${manifest.wasmSha256.slice(0, 12)}, signed with ${key === TEST_KEY ? "the committed TEST key" : key})`,
    );
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main();
