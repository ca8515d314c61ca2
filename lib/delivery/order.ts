/**
 * Stack dependency order for deploys, drift checks and offboarding: which stacks a stack reads through
 * remote state (CDKTF cross-stack references) or the CDKTF manifest, and a dependencies-first order.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GateError } from "../gate/errors";
import { findStackFiles, REMOTE_STATE_PREFIX } from "../gate/normalize";

interface StackDoc {
  "//"?: { zonegate?: { stack?: string }; metadata?: { stackName?: string } };
  data?: { terraform_remote_state?: Record<string, unknown> };
}

/** A synthesized stack: its name, working directory (holding cdk.tf.json) and the stacks it reads. */
export interface StackDir {
  readonly name: string;
  readonly dir: string;
  readonly deps: readonly string[];
}

/** Stack → stacks it depends on (remote-state inputs and the CDKTF manifest). */
export function stackDependencies(outdir: string): Map<string, Set<string>> {
  return new Map(stackDirs(outdir).map((s) => [s.name, new Set(s.deps)]));
}

/** Every synthesized stack of `outdir` with its working directory and dependencies. */
export function stackDirs(outdir: string): StackDir[] {
  const found = new Map<string, { dir: string; deps: Set<string> }>();
  for (const file of findStackFiles(outdir).files) {
    let doc: StackDoc;
    try {
      doc = JSON.parse(fs.readFileSync(file, "utf8")) as StackDoc;
    } catch (e) {
      throw new GateError(`${file}: not JSON (${(e as Error).message}); re-run \`zonegate synth\``);
    }
    const name = String(
      doc["//"]?.zonegate?.stack ?? doc["//"]?.metadata?.stackName ?? path.basename(path.dirname(file)),
    );
    const deps = new Set<string>();
    for (const ds of Object.keys(doc.data?.terraform_remote_state ?? {})) {
      if (ds.startsWith(REMOTE_STATE_PREFIX)) deps.add(ds.slice(REMOTE_STATE_PREFIX.length));
    }
    found.set(name, { dir: path.dirname(file), deps });
  }
  const manifest = path.join(outdir, "manifest.json");
  if (fs.existsSync(manifest)) {
    const m = JSON.parse(fs.readFileSync(manifest, "utf8")) as { stacks?: Record<string, { dependencies?: string[] }> };
    for (const [name, s] of Object.entries(m.stacks ?? {})) {
      const entry = found.get(name);
      if (entry) for (const d of s.dependencies ?? []) entry.deps.add(d);
    }
  }
  return [...found.entries()]
    .map(([name, e]) => ({ name, dir: e.dir, deps: [...e.deps].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The stacks plus everything they depend on, dependencies first (stable: input order otherwise). */
export function withDependencies(stacks: readonly string[], deps: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (s: string, trail: string[]) => {
    if (seen.has(s)) return;
    if (trail.includes(s)) throw new GateError(`stack dependency cycle: ${[...trail, s].join(" → ")}`);
    if (!deps.has(s)) throw new GateError(`unknown stack "${s}" (see \`zonegate synth\` output)`);
    for (const d of [...(deps.get(s) ?? [])].sort()) visit(d, [...trail, s]);
    seen.add(s);
    order.push(s);
  };
  for (const s of stacks) {
    if (!deps.has(s)) throw new GateError(`unknown stack "${s}" (see \`zonegate synth\` output)`);
    visit(s, []);
  }
  return order;
}

/** The stacks plus everything that depends on them, dependents first (the order to destroy in). */
export function withDependents(stacks: readonly string[], deps: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const wanted = new Set(stacks);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [s, ds] of deps) {
      if (!wanted.has(s) && [...ds].some((d) => wanted.has(d))) {
        wanted.add(s);
        grew = true;
      }
    }
  }
  return withDependencies([...wanted].sort(), deps).reverse();
}

/** A stack to run Terraform in: its name and working directory. */
export interface StackTarget {
  readonly name: string;
  readonly dir: string;
}

/**
 * What `zonegate deploy <stacks…>` runs, in order: the requested stacks of the synthesized estate in `outdir`
 * plus everything they depend on, dependencies first, each with its working directory. Unknown stacks and
 * dependency cycles are refused (GateError).
 */
export function deployTargets(outdir: string, stacks: readonly string[]): StackTarget[] {
  const all = stackDirs(outdir);
  const order = withDependencies(stacks, new Map(all.map((s) => [s.name, new Set(s.deps)])));
  const dirOf = new Map(all.map((s) => [s.name, s.dir]));
  return order.map((name) => ({ name, dir: dirOf.get(name)! }));
}
