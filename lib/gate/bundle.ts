/**
 * Loading the compiled policy bundle (`policies/dist`) once per process, after checking that it is the
 * bundle of the current sources (manifest `sources` vs `computeSourceHashes`) and that the wasm and data
 * files are the ones the manifest describes. Any doubt is "could not decide" (exit 2).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Manifest, RuleMeta } from "./catalogue";
import { GateError } from "./errors";
import { loadWithHeadroom, type LoadedPolicy } from "./wasm-policy";
import { PKG_ROOT } from "../pkg-root";
import { computeSourceHashes } from "./bundle-hash";
import { displayPath } from "./normalize/common";
import { sha256 } from "../hash";
import { defaultVerificationKeyFile, verifyBundleSignature } from "./bundle-signature";

/**
 * The one entrypoint the gate evaluates. Which entrypoints a bundle has is declared in the policies
 * (`entrypoint: true` in gate.rego's METADATA) and recorded by scripts/build-policies.ts in the manifest's
 * `entrypoints`; a bundle whose manifest or Wasm lacks this one is refused.
 */
export const ENTRYPOINT = "zonegate/gate/findings";
export const REBUILD_HINT = "run `npm run policies:build`";

export interface Bundle {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly catalogue: ReadonlyMap<string, RuleMeta>;
  readonly policy: LoadedPolicy;
  readonly entrypoint: string;
  /** The bundle's data document (as verified). */
  readonly data: unknown;
  /** The policy's Wasm bytes (as verified), for evaluation workers (lib/gate/parallel.ts). */
  readonly wasm: Uint8Array;
}

export interface BundleOptions {
  /** Repo root whose policy sources the manifest must match (default cwd). */
  readonly root?: string;
  /** Bundle directory (default `<root>/policies/dist`). */
  readonly dist?: string;
  /** Source hasher (default lib/gate/bundle-hash.ts `computeSourceHashes`; the CLI passes the one it wires). */
  readonly hashSources?: (root: string) => Record<string, string> | Promise<Record<string, string>>;
  /** Skip the freshness check (tests of other things only). */
  readonly skipFreshness?: boolean;
  /** Accept an unsigned bundle (test fixtures built without a key only; never the CLI). */
  readonly unsigned?: boolean;
  /** Public key (PEM file) the signature must verify with (default: ZG_BUNDLE_VERIFICATION_KEY or the committed key). */
  readonly verificationKey?: string;
  /**
   * When `root` has no `policies/` directory (and no `dist` is given), use the bundle and policy sources of
   * the zonegate package itself (lib/pkg-root.ts): the CLI installed globally, run outside its repository.
   * The bundle is verified exactly as in place (signature, manifest against the package's sources).
   */
  readonly packageFallback?: boolean;
}

function readOrFail(file: string, shown: string): Buffer {
  if (!fs.existsSync(file)) throw new GateError(`policy bundle incomplete: ${shown} is missing; ${REBUILD_HINT}`);
  return fs.readFileSync(file);
}

/** Differences between the manifest's source hashes and the current ones (empty = fresh). */
export function sourceDrift(
  recorded: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (const [f, h] of Object.entries(current)) {
    if (!(f in recorded)) out.push(`${f} (new)`);
    else if (recorded[f] !== h) out.push(`${f} (changed)`);
  }
  for (const f of Object.keys(recorded)) if (!(f in current)) out.push(`${f} (removed)`);
  return out.sort();
}

const cache = new Map<string, Promise<Bundle>>();

/** Load (once per dist directory and process) and verify the bundle. */
export function loadBundle(opts: BundleOptions = {}): Promise<Bundle> {
  let root = path.resolve(opts.root ?? process.cwd());
  if (opts.packageFallback && !opts.dist && !fs.existsSync(path.join(root, "policies"))) root = PKG_ROOT;
  const dist = path.resolve(opts.dist ?? path.join(root, "policies", "dist"));
  const cacheKey = `${root}\0${dist}\0${opts.skipFreshness ? 1 : 0}\0${opts.unsigned ? 1 : 0}\0${opts.verificationKey ?? ""}`;
  let p = cache.get(cacheKey);
  if (!p) {
    p = doLoad(root, dist, opts);
    cache.set(cacheKey, p);
    p.catch(() => cache.delete(cacheKey));
  }
  return p;
}

/** Forget loaded bundles (tests that rewrite a dist directory). */
export function clearBundleCache(): void {
  cache.clear();
}

async function doLoad(root: string, dist: string, opts: BundleOptions): Promise<Bundle> {
  const rel = (f: string) => displayPath(f);
  const manifestFile = path.join(dist, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    if (fs.existsSync(dist))
      throw new GateError(`policy bundle incomplete: ${rel(manifestFile)} is missing; ${REBUILD_HINT}`);
    throw new GateError(`no policy bundle at ${rel(dist)}: ${REBUILD_HINT}`);
  }
  // The signature before anything is read: nothing of an edited bundle (manifest, catalogue, enforcement
  // levels, data, Wasm) is trusted, even when its hashes were updated.
  if (!opts.unsigned) verifyBundleSignature(dist, opts.verificationKey ?? defaultVerificationKeyFile(), rel(dist));
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
  } catch (e) {
    throw new GateError(
      `policy bundle is corrupt: ${rel(manifestFile)} is not JSON (${(e as Error).message}); ${REBUILD_HINT}`,
    );
  }
  if (
    !manifest ||
    typeof manifest !== "object" ||
    !Array.isArray(manifest.rules) ||
    typeof manifest.sources !== "object"
  ) {
    throw new GateError(`policy bundle is corrupt: ${rel(manifestFile)} lacks rules/sources; ${REBUILD_HINT}`);
  }
  const wasmFile = path.join(dist, "policy.wasm");
  const dataFile = path.join(dist, "data.json");
  const wasm = readOrFail(wasmFile, rel(wasmFile));
  const dataBuf = readOrFail(dataFile, rel(dataFile));
  if (sha256(wasm) !== manifest.wasmSha256) {
    throw new GateError(
      `policy bundle is corrupt: ${rel(wasmFile)} does not match the manifest's wasmSha256; ${REBUILD_HINT}`,
    );
  }
  if (sha256(dataBuf) !== manifest.dataSha256) {
    throw new GateError(
      `policy bundle is corrupt: ${rel(dataFile)} does not match the manifest's dataSha256; ${REBUILD_HINT}`,
    );
  }
  if (!opts.skipFreshness) {
    const hash = opts.hashSources ?? computeSourceHashes;
    const drift = sourceDrift(manifest.sources, await hash(root));
    if (drift.length > 0) {
      const shown = drift.slice(0, 5).join(", ") + (drift.length > 5 ? `, … (${drift.length} in all)` : "");
      throw new GateError(`policy bundle is stale: ${REBUILD_HINT} (sources differ: ${shown})`);
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(dataBuf.toString("utf8"));
  } catch (e) {
    throw new GateError(
      `policy bundle is corrupt: ${rel(dataFile)} is not JSON (${(e as Error).message}); ${REBUILD_HINT}`,
    );
  }
  let policy: LoadedPolicy;
  try {
    policy = await loadWithHeadroom(wasm);
    policy.setData(data as object);
  } catch (e) {
    throw new GateError(
      `policy bundle is corrupt: cannot load ${rel(wasmFile)} (${(e as Error).message}); ${REBUILD_HINT}`,
    );
  }
  const declared = Array.isArray(manifest.entrypoints) ? (manifest.entrypoints as unknown[]) : [];
  if (!declared.includes(ENTRYPOINT)) {
    throw new GateError(
      `policy bundle does not declare entrypoint ${ENTRYPOINT} (manifest entrypoints: ${declared.map(String).join(", ") || "none"}); ${REBUILD_HINT}`,
    );
  }
  const entrypoints = (policy.entrypoints ?? {}) as Record<string, number>;
  if (!(ENTRYPOINT in entrypoints)) {
    throw new GateError(
      `policy bundle has no entrypoint ${ENTRYPOINT} (has: ${Object.keys(entrypoints).join(", ") || "none"}); ${REBUILD_HINT}`,
    );
  }
  const catalogue = new Map<string, RuleMeta>();
  for (const r of manifest.rules) {
    if (!r || typeof r.id !== "string")
      throw new GateError(`policy bundle is corrupt: a catalogue entry has no id; ${REBUILD_HINT}`);
    catalogue.set(r.id, r);
  }
  return { dir: dist, manifest, catalogue, policy, entrypoint: ENTRYPOINT, data, wasm };
}
