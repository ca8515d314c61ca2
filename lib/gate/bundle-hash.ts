/**
 * Source hashing for the compiled policy bundle (policies/dist). Shared by scripts/build-policies.ts (which
 * writes the hashes into policies/dist/manifest.json) and the gate's runtime freshness check (which
 * recomputes them and refuses a stale bundle with exit code 2).
 *
 * Hashed: every `policies/**\/*.rego` that is not a test (`*_test.rego`) and every `policies/data/**\/*.json`;
 * `policies/dist/` is never hashed. Keys are repo-relative POSIX paths, sorted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { sha256 } from "../hash";

export { sha256 };

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** Whether a repo-relative POSIX path is a bundle source. */
export function isPolicySource(rel: string): boolean {
  if (!rel.startsWith("policies/") || rel.startsWith("policies/dist/")) return false;
  if (rel.endsWith(".rego")) return !rel.endsWith("_test.rego");
  return rel.startsWith("policies/data/") && rel.endsWith(".json");
}

/** sha256 of every policy source under `<root>/policies`, keyed by repo-relative POSIX path, sorted. */
export function computeSourceHashes(root: string): Record<string, string> {
  const files: string[] = [];
  walk(join(root, "policies"), files);
  const entries = files
    .map((f) => relative(root, f).split(sep).join("/"))
    .filter(isPolicySource)
    .sort()
    .map((rel) => [rel, sha256(readFileSync(join(root, rel)))] as const);
  return Object.fromEntries(entries);
}

/** JSON with object keys sorted recursively (arrays keep their order), 2-space indent, trailing newline. */
export function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + "\n";
}
