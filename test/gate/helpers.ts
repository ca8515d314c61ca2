/**
 * Test helpers: a small fixture policy bundle built with the OPA CLI (independent of the product rules),
 * temp dirs, and the real bundle when it exists.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ResourceModel } from "../../lib/gate/model";

export const REPO = path.resolve(__dirname, "..", "..");
export const OPA = path.join(REPO, ".tools", "bin", "opa");
export const FIXTURE_POLICY = path.join(__dirname, "fixtures", "policy");

export function tmpDir(prefix = "zg-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sha256(b: Buffer | string): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Hash every .rego file under <root>/policy (the fixture's notion of "sources"). */
export function fixtureHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".rego"))
        out[path.relative(root, p).split(path.sep).join("/")] = sha256(fs.readFileSync(p));
    }
  };
  walk(path.join(root, "policy"));
  return out;
}

let built: string | undefined;

/**
 * Build the fixture policy into `<root>/policy` + `<root>/dist` (a temp root), once per test file.
 * Returns the root; the bundle options are `{ root, dist: <root>/dist, hashSources: fixtureHashes }`.
 */
export function buildFixtureBundle(): string {
  if (built) return built;
  const root = tmpDir("zg-bundle-");
  fs.cpSync(FIXTURE_POLICY, path.join(root, "policy"), { recursive: true });
  const dist = path.join(root, "dist");
  fs.mkdirSync(dist);
  const tarball = path.join(root, "bundle.tar.gz");
  const regos = ["gate.rego", "rules/kv.rego", "rules/tls.rego", "rules/flowlog.rego"].map((f) =>
    path.join(root, "policy", f),
  );
  execFileSync(OPA, ["build", "-t", "wasm", "-e", "zonegate/gate/findings", "-o", tarball, ...regos], {
    stdio: "pipe",
  });
  execFileSync("tar", ["-xzf", tarball, "-C", dist, "/policy.wasm"], { stdio: "pipe" });
  const data = JSON.stringify({ residency: { zones: {} } });
  fs.writeFileSync(path.join(dist, "data.json"), data);
  const wasm = fs.readFileSync(path.join(dist, "policy.wasm"));
  const rules = JSON.parse(fs.readFileSync(path.join(FIXTURE_POLICY, "catalogue.json"), "utf8"));
  const manifest = {
    opaVersion: "fixture",
    entrypoints: ["zonegate/gate/findings"],
    sources: fixtureHashes(root),
    wasmSha256: sha256(wasm),
    dataSha256: sha256(data),
    rules,
  };
  fs.writeFileSync(path.join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));
  signDist(dist);
  built = root;
  return root;
}

/** Sign a bundle directory with the committed test key, as scripts/build-policies.ts does (after any edit). */
export function signDist(dist: string): void {
  fs.rmSync(path.join(dist, ".signatures.json"), { force: true });
  const out = tmpDir("zg-sig-");
  execFileSync(
    OPA,
    ["sign", ".", "--bundle", "--signing-key", path.join(REPO, "policies", "keys", "test-signing-key.pem"), "-o", out],
    { cwd: dist, stdio: "pipe" },
  );
  fs.copyFileSync(path.join(out, ".signatures.json"), path.join(dist, ".signatures.json"));
}

export function fixtureBundleOptions(root = buildFixtureBundle()) {
  return { root, dist: path.join(root, "dist"), hashSources: fixtureHashes };
}

/** The product bundle, when the policy engineer's build exists. */
export const REAL_DIST = path.join(REPO, "policies", "dist");
export function realBundleExists(): boolean {
  return (
    fs.existsSync(path.join(REAL_DIST, "manifest.json")) &&
    fs.existsSync(path.join(REPO, "lib", "gate", "bundle-hash.ts"))
  );
}

/** A minimal normalized resource (`s::<type>.r<i>` in stack s, tenant t/eu/prod); `extra` overrides fields. */
export function resourceModel(
  i: number,
  type: string,
  values: Record<string, unknown>,
  extra: Partial<ResourceModel> = {},
): ResourceModel {
  return {
    key: `s::${type}.r${i}`,
    address: `${type}.r${i}`,
    type,
    name: `r${i}`,
    provider: "azurerm",
    mode: "managed",
    actions: ["create"],
    values,
    unknown: [],
    refs: {},
    source: { kind: "plan", file: "plan.json" },
    stack: "s",
    tenant: { id: "t", tier: "standard", residency: "eu", compliance: [], env: "prod" },
    ...extra,
  };
}
