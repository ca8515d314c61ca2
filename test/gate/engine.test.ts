import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadBundle, clearBundleCache } from "../../lib/gate/bundle";
import { buildGateInput, evaluate } from "../../lib/gate/engine";
import { gateResources } from "../../lib/gate/gate";
import { GateError } from "../../lib/gate/errors";
import {
  buildFixtureBundle,
  fixtureBundleOptions,
  fixtureHashes,
  resourceModel as res,
  signDist,
  tmpDir,
} from "./helpers";

async function expectGateError(p: Promise<unknown>, re: RegExp): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GateError);
  expect((err as GateError).exitCode).toBe(2);
  expect((err as Error).message).toMatch(re);
}

function copyBundle(): string {
  const root = tmpDir("zg-bundle-copy-");
  fs.cpSync(buildFixtureBundle(), root, { recursive: true });
  return root;
}

describe("bundle + engine", () => {
  beforeEach(() => clearBundleCache());

  test("one evaluation yields findings with indices; by_type index", async () => {
    const resources = [
      res(0, "azurerm_key_vault", { purge_protection_enabled: true }),
      res(1, "azurerm_key_vault", {}),
    ];
    const input = buildGateInput(resources, false);
    expect(input.by_type).toEqual({ azurerm_key_vault: [0, 1] });
    const bundle = await loadBundle(fixtureBundleOptions());
    const spy = jest.spyOn(bundle.policy, "evaluate");
    const raw = evaluate(bundle, input);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(raw).toEqual([{ rule: "ZT-KV-001", resource: 1, message: "Key Vault purge protection is not enabled" }]);
  });

  test("bundle is loaded once per process", async () => {
    const a = await loadBundle(fixtureBundleOptions());
    const b = await loadBundle(fixtureBundleOptions());
    expect(a).toBe(b);
  });

  test("exit codes: 0 pass (advisory allowed), 1 mandatory; unknown counts; per-env enforcement", async () => {
    const dev = { id: "t", tier: "standard" as const, residency: "eu", compliance: [], env: "dev" as const };
    const pass = await gateResources(
      [res(0, "azurerm_storage_account", { min_tls_version: "TLS1_0" }, { tenant: dev })],
      false,
      {
        bundle: fixtureBundleOptions(),
      },
    );
    expect(pass.exitCode).toBe(0);
    expect(pass.findings[0]).toMatchObject({ rule: "ZT-ST-001", enforcement: "advisory", status: "advisory" });
    expect(pass.notEvaluated.map((n) => n.rule)).toEqual(["ZT-NW-001"]);
    const fail = await gateResources([res(0, "azurerm_storage_account", { min_tls_version: "TLS1_0" })], false, {
      bundle: fixtureBundleOptions(),
    });
    expect(fail.exitCode).toBe(1);
    const unknown = await gateResources(
      [res(0, "azurerm_key_vault", { purge_protection_enabled: null }, { unknown: ["purge_protection_enabled"] })],
      true,
      {
        bundle: fixtureBundleOptions(),
      },
    );
    expect(unknown.exitCode).toBe(1);
    expect(unknown.findings[0]).toMatchObject({ unknown: true, status: "violation" });
    expect(unknown.notEvaluated).toEqual([]);
  });

  test("stale bundle (a source changed in a copy) → exit 2", async () => {
    const root = copyBundle();
    fs.appendFileSync(path.join(root, "policy", "rules", "kv.rego"), "\n# edited\n");
    await expectGateError(
      loadBundle({ ...fixtureBundleOptions(root) }),
      /policy bundle is stale: run `npm run policies:build`.*kv\.rego \(changed\)/,
    );
    const root2 = copyBundle();
    fs.writeFileSync(path.join(root2, "policy", "rules", "new.rego"), "package x\n");
    await expectGateError(loadBundle(fixtureBundleOptions(root2)), /stale.*new\.rego \(new\)/);
  });

  test("corrupt wasm / data / manifest / missing bundle → exit 2", async () => {
    const a = copyBundle();
    const wasm = path.join(a, "dist", "policy.wasm");
    const buf = fs.readFileSync(wasm);
    buf[buf.length - 10] ^= 0xff;
    fs.writeFileSync(wasm, buf);
    // Edited after signing: the signature check refuses first…
    await expectGateError(loadBundle(fixtureBundleOptions(a)), /signature check failed: .*policy\.wasm was changed/);
    // …and a re-signed but inconsistent bundle is still refused by the manifest hashes.
    signDist(path.join(a, "dist"));
    await expectGateError(loadBundle(fixtureBundleOptions(a)), /corrupt: .*policy\.wasm/);
    const b = copyBundle();
    fs.writeFileSync(path.join(b, "dist", "data.json"), "{}");
    await expectGateError(loadBundle(fixtureBundleOptions(b)), /signature check failed: .*data\.json was changed/);
    signDist(path.join(b, "dist"));
    await expectGateError(loadBundle(fixtureBundleOptions(b)), /corrupt: .*data\.json/);
    const c = copyBundle();
    fs.writeFileSync(path.join(c, "dist", "manifest.json"), "{not json");
    await expectGateError(loadBundle(fixtureBundleOptions(c)), /signature check failed: .*manifest\.json was changed/);
    signDist(path.join(c, "dist"));
    await expectGateError(loadBundle(fixtureBundleOptions(c)), /corrupt: .*manifest\.json/);
    await expectGateError(loadBundle({ root: tmpDir(), hashSources: fixtureHashes }), /no policy bundle/);
  });

  test("a dist directory without manifest.json / a truncated wasm → exit 2 naming the file, absolute outside cwd", async () => {
    const a = copyBundle();
    fs.rmSync(path.join(a, "dist", "manifest.json"));
    await expectGateError(
      loadBundle(fixtureBundleOptions(a)),
      new RegExp(
        `policy bundle incomplete: ${path.join(a, "dist", "manifest.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is missing; run \`npm run policies:build\``,
      ),
    );
    const b = copyBundle();
    const wasm = path.join(b, "dist", "policy.wasm");
    const half = fs.readFileSync(wasm).subarray(0, 1000);
    fs.writeFileSync(wasm, half);
    const m = JSON.parse(fs.readFileSync(path.join(b, "dist", "manifest.json"), "utf8"));
    m.wasmSha256 = createHash("sha256").update(half).digest("hex");
    fs.writeFileSync(path.join(b, "dist", "manifest.json"), JSON.stringify(m));
    signDist(path.join(b, "dist"));
    await expectGateError(loadBundle(fixtureBundleOptions(b)), /corrupt: cannot load \/.*policy\.wasm/);
  });

  test("a wasm that cannot be instantiated → exit 2 (fail closed)", async () => {
    const d = copyBundle();
    const wasm = path.join(d, "dist", "policy.wasm");
    fs.writeFileSync(wasm, "not wasm");
    const m = JSON.parse(fs.readFileSync(path.join(d, "dist", "manifest.json"), "utf8"));
    m.wasmSha256 = createHash("sha256").update("not wasm").digest("hex");
    fs.writeFileSync(path.join(d, "dist", "manifest.json"), JSON.stringify(m));
    signDist(path.join(d, "dist"));
    await expectGateError(loadBundle(fixtureBundleOptions(d)), /cannot load/);
  });

  test("malformed policy output → exit 2", async () => {
    const bundle = await loadBundle(fixtureBundleOptions());
    const fake = {
      ...bundle,
      policy: { evaluate: () => [{ result: [{ rule: "X", resource: 7, message: "m" }] }] },
    } as never;
    expect(() => evaluate(fake, buildGateInput([], false))).toThrow(/malformed finding/);
    const undef = { ...bundle, policy: { evaluate: () => [] } } as never;
    expect(() => evaluate(undef, buildGateInput([], false))).toThrow(/no result/);
    const boom = {
      ...bundle,
      policy: {
        evaluate: () => {
          throw new Error("wasm trap");
        },
      },
    } as never;
    expect(() => evaluate(boom, buildGateInput([], false))).toThrow(/policy evaluation failed: wasm trap/);
  });
});
