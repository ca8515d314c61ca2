/**
 * Cache keys of the incremental synth: a content hash of everything that can change a unit's stacks.
 *
 * - code: every file under constructs/, stacks/, lib/ and policies/data/, main.ts, package-lock.json,
 *   tsconfig.json, the cdktf version, the Node major version and the backend environment variables
 *   (ZG_BACKEND, ARM_BACKEND_*), which decide each stack's backend block;
 * - a tenant unit (every stack of one tenant): code + the tenant file; a standard-tier tenant's compute
 *   stack also references its env × region platform stack, so its key includes those platform stack names;
 * - a platform unit (the shared cluster of one env × region): code + the files of the standard tenants it
 *   serves (they decide its content) + the regions/address spaces of the other tenants of that env × region
 *   (read only by its overlap check).
 *
 * Over-invalidation is allowed, staleness is not: anything read while building a stack must be in its key.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Environment, Tenant } from "../tenant/types";
import { sha256 } from "../hash";
import { platformStackName } from "../stack-names";

export const CODE_DIRS = ["constructs", "stacks", "lib", "policies/data"] as const;
export const CODE_FILES = ["main.ts", "package-lock.json", "tsconfig.json"] as const;
const BACKEND_ENV = /^(ZG_BACKEND|ARM_BACKEND_[A-Z_]+)$/;
/** Bump when the cache layout or the unit split changes. */
export const CACHE_FORMAT = "zonegate-synth-cache/1";

export { sha256 };

function walk(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      walk(p, out);
    } else if (e.isFile()) out.push(p);
  }
}

export interface CodeHashOptions {
  /** Root whose code files are hashed. @default process.cwd() */
  readonly root?: string;
  /** Environment for the backend variables. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Extra strings mixed into the key (tests, callers with more inputs). */
  readonly extra?: readonly string[];
}

/** Hash of every code input; also returns the per-file hashes (for diagnostics). */
export function codeHash(opts: CodeHashOptions = {}): { hash: string; files: Record<string, string> } {
  const root = path.resolve(opts.root ?? process.cwd());
  const files: string[] = [];
  for (const d of CODE_DIRS) walk(path.join(root, d), files);
  for (const f of CODE_FILES) if (fs.existsSync(path.join(root, f))) files.push(path.join(root, f));
  const perFile: Record<string, string> = {};
  for (const f of files.sort()) perFile[path.relative(root, f).split(path.sep).join("/")] = sha256(fs.readFileSync(f));
  let cdktfVersion = "unknown";
  try {
    cdktfVersion = (
      JSON.parse(fs.readFileSync(require.resolve("cdktf/package.json", { paths: [root] }), "utf8")) as {
        version: string;
      }
    ).version;
  } catch {
    // not resolvable from root: the key still changes with package-lock.json
  }
  const env = opts.env ?? process.env;
  const backend = Object.keys(env)
    .filter((k) => BACKEND_ENV.test(k))
    .sort()
    .map((k) => `${k}=${env[k] ?? ""}`);
  const h = createHash("sha256");
  h.update(`${CACHE_FORMAT}\0cdktf=${cdktfVersion}\0node=${process.versions.node.split(".")[0]}\0`);
  for (const [f, x] of Object.entries(perFile)) h.update(`${f}\0${x}\0`);
  for (const b of backend) h.update(`env\0${b}\0`);
  for (const x of opts.extra ?? []) h.update(`extra\0${x}\0`);
  return { hash: h.digest("hex"), files: perFile };
}

/** Content hash of each tenant's file, by tenant id (the file a tenant was loaded from). */
export function tenantFileHashes(tenantsDir: string, tenants: readonly Tenant[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tenants) {
    const candidates = [`${t.id}.yaml`, `${t.id}.yml`].map((f) => path.join(tenantsDir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    // No file we can hash (a hand-built tenant): hash the validated model itself.
    // The OpenAPI documents a tenant imports (gateway.apis) are part of its input, as loaded.
    const apis = (t.gateway.apis ?? []).map((a) => `\0api\0${a.openapi}\0${a.content}`).join("");
    out.set(
      t.id,
      file
        ? sha256(apis ? Buffer.concat([fs.readFileSync(file), Buffer.from(apis)]) : fs.readFileSync(file))
        : sha256(JSON.stringify(t)),
    );
  }
  return out;
}

export interface SynthUnit {
  /** `tenant:<id>` or `platform:<env>:<region>`. */
  readonly id: string;
  readonly kind: "tenant" | "platform";
  readonly tenant?: string;
  readonly env?: string;
  readonly region?: string;
  readonly key: string;
}

/** The env × region pairs of a tenant. */
export function envRegionsOf(t: Tenant): { env: Environment; region: string }[] {
  return t.environments.flatMap((env) => t.regions.map((r) => ({ env, region: r.name })));
}

/** Every unit of the estate with its key (tenant units in tenant order, then platform units). */
export function planUnits(
  tenants: readonly Tenant[],
  fileHashes: ReadonlyMap<string, string>,
  code: string,
): SynthUnit[] {
  const byEnvRegion = new Map<string, Tenant[]>();
  for (const t of tenants) {
    for (const { env, region } of envRegionsOf(t)) {
      const k = `${env}:${region}`;
      byEnvRegion.set(k, [...(byEnvRegion.get(k) ?? []), t]);
    }
  }
  const units: SynthUnit[] = [];
  for (const t of tenants) {
    const platforms =
      t.tier === "standard" ? envRegionsOf(t).map(({ env, region }) => platformStackName(env, region)) : [];
    units.push({
      id: `tenant:${t.id}`,
      kind: "tenant",
      tenant: t.id,
      key: sha256(`tenant\0${code}\0${t.id}\0${fileHashes.get(t.id)}\0${platforms.join(",")}`),
    });
  }
  for (const [k, served] of byEnvRegion) {
    if (!served.some((t) => t.tier === "standard")) continue;
    const [env, region] = k.split(":");
    // The served standard tenants decide the stack; the others only its address-space overlap check.
    const parts = served
      .map((t) =>
        t.tier === "standard"
          ? `${t.id}=${fileHashes.get(t.id)}`
          : `${t.id}@${t.regions.map((r) => `${r.name}:${r.addressSpace}`).join(",")}`,
      )
      .sort();
    units.push({
      id: `platform:${env}:${region}`,
      kind: "platform",
      env,
      region,
      key: sha256(`platform\0${code}\0${k}\0${parts.join(",")}`),
    });
  }
  return units;
}
