/**
 * The entrypoints are declared once, in the policies (`entrypoint: true` in a rule's METADATA): the built
 * bundle's manifest and its Wasm export exactly those, and the runtime refuses (exit 2) a bundle whose
 * manifest or Wasm lacks the one it evaluates.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENTRYPOINT, clearBundleCache, loadBundle } from "../../lib/gate/bundle";
import { GateError } from "../../lib/gate/errors";
import type { Manifest } from "../../lib/gate/catalogue";
import {
  OPA,
  REAL_DIST,
  REPO,
  buildFixtureBundle,
  fixtureBundleOptions,
  realBundleExists,
  sha256,
  signDist,
  tmpDir,
} from "./helpers";

/** `entrypoint: true` annotations under policies/, as slash paths without `data/`. */
function annotated(): string[] {
  const out = execFileSync(OPA, ["inspect", "-a", "--format", "json", "policies"], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const doc = JSON.parse(out) as {
    annotations?: { path: { value: string }[]; annotations: { entrypoint?: boolean } }[];
  };
  return (doc.annotations ?? [])
    .filter((a) => a.annotations.entrypoint === true)
    .map((a) =>
      a.path
        .map((p) => p.value)
        .slice(1) // "data"
        .join("/"),
    );
}

const maybe = realBundleExists() && fs.existsSync(OPA) ? describe : describe.skip;

maybe("product bundle entrypoints", () => {
  test("manifest entrypoints == annotated entrypoints == Wasm exports, and include the gate's", async () => {
    const declared = annotated();
    expect(declared.length).toBeGreaterThan(0);
    expect(declared).toContain(ENTRYPOINT);
    const manifest = JSON.parse(fs.readFileSync(path.join(REAL_DIST, "manifest.json"), "utf8")) as Manifest;
    const listed = manifest.entrypoints as string[];
    expect([...listed].sort()).toEqual([...declared].sort());
    expect(new Set(listed).size).toBe(listed.length);
    clearBundleCache();
    const bundle = await loadBundle({ root: REPO });
    expect(Object.keys(bundle.policy.entrypoints ?? {}).sort()).toEqual([...declared].sort());
    // No TypeScript copy of the list: the runtime names only the one entrypoint it evaluates.
    const src = fs.readFileSync(path.join(REPO, "lib", "gate", "bundle-hash.ts"), "utf8");
    expect(src).not.toMatch(/zonegate\/gate\/(unevaluated|result)/);
  });
});

describe("bundle without the gate's entrypoint", () => {
  beforeEach(() => clearBundleCache());

  async function refusal(root: string): Promise<GateError> {
    try {
      await loadBundle(fixtureBundleOptions(root));
    } catch (e) {
      expect(e).toBeInstanceOf(GateError);
      expect((e as GateError).exitCode).toBe(2);
      return e as GateError;
    }
    throw new Error("loadBundle accepted the bundle");
  }

  function copy(): string {
    const root = tmpDir("zg-bundle-ep-");
    fs.cpSync(buildFixtureBundle(), root, { recursive: true });
    return root;
  }

  test("manifest does not list it → exit 2", async () => {
    for (const eps of [[], ["zonegate/gate/result"], undefined]) {
      const root = copy();
      const file = path.join(root, "dist", "manifest.json");
      const m = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      if (eps === undefined) delete m.entrypoints;
      else m.entrypoints = eps;
      fs.writeFileSync(file, JSON.stringify(m, null, 2));
      signDist(path.join(root, "dist"));
      clearBundleCache();
      expect((await refusal(root)).message).toMatch(/does not declare entrypoint zonegate\/gate\/findings/);
    }
  });

  test("Wasm does not export it (manifest claims it) → exit 2", async () => {
    const root = copy();
    const dist = path.join(root, "dist");
    const tarball = path.join(root, "other.tar.gz");
    const regos = ["gate.rego", "rules/kv.rego", "rules/tls.rego", "rules/flowlog.rego"].map((f) =>
      path.join(root, "policy", f),
    );
    execFileSync(
      OPA,
      ["build", "-t", "wasm", "--prune-unused", "-e", "zonegate/gate/complete", "-o", tarball, ...regos],
      {
        stdio: "pipe",
      },
    );
    execFileSync("tar", ["-xzf", tarball, "-C", dist, "/policy.wasm"], { stdio: "pipe" });
    const file = path.join(dist, "manifest.json");
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    m.wasmSha256 = sha256(fs.readFileSync(path.join(dist, "policy.wasm")));
    fs.writeFileSync(file, JSON.stringify(m, null, 2));
    signDist(dist);
    expect((await refusal(root)).message).toMatch(
      /has no entrypoint zonegate\/gate\/findings \(has: zonegate\/gate\/complete\)/,
    );
  });
});
