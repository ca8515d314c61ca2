/**
 * `npm run check:fresh` — fails when a generated artefact no longer matches its sources:
 *   1. policies/dist (compiled Wasm bundle + manifest) vs the Rego and data sources (sha256 per file),
 *      and the wasm/data files vs the hashes the manifest records;
 *   2. docs/policies.md vs what scripts/gen-docs.ts renders from the manifest.
 * Exit 0 fresh · 1 stale (with the command that fixes it).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { computeSourceHashes, sha256 } from "../lib/gate/bundle-hash";
import { main as genDocs } from "./gen-docs";

function checkBundle(root: string): string[] {
  const dist = join(root, "policies/dist");
  const manifestPath = join(dist, "manifest.json");
  if (!existsSync(manifestPath)) return ["policies/dist/manifest.json is missing: run `npm run policies:build`"];
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    sources: Record<string, string>;
    wasmSha256: string;
    dataSha256: string;
  };
  const problems: string[] = [];
  const current = computeSourceHashes(root);
  const names = new Set([...Object.keys(current), ...Object.keys(manifest.sources)]);
  for (const name of [...names].sort()) {
    if (!(name in manifest.sources)) problems.push(`${name}: new source not in the bundle`);
    else if (!(name in current)) problems.push(`${name}: in the bundle but deleted from the sources`);
    else if (current[name] !== manifest.sources[name]) problems.push(`${name}: changed since the bundle was built`);
  }
  for (const [file, want] of [
    ["policy.wasm", manifest.wasmSha256],
    ["data.json", manifest.dataSha256],
  ] as const) {
    const p = join(dist, file);
    if (!existsSync(p)) problems.push(`policies/dist/${file} is missing`);
    else if (sha256(readFileSync(p)) !== want)
      problems.push(`policies/dist/${file} does not match the manifest (corrupt)`);
  }
  if (problems.length) problems.push("→ rebuild with `npm run policies:build` and commit policies/dist");
  return problems;
}

const root = process.cwd();
const bundleProblems = checkBundle(root);
for (const p of bundleProblems) console.error(`check-fresh: ${p}`);
const docs = genDocs(["--check"]);
if (bundleProblems.length === 0 && docs === 0) console.log("check-fresh: policy bundle and docs/policies.md are fresh");
process.exit(bundleProblems.length || docs ? 1 : 0);
