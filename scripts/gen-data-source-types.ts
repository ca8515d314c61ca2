/**
 * Writes lib/gate/normalize/data-source-types.json: every data source type of the provider bindings this repo
 * pins (azurerm, kubernetes, helm), read from each `data-*` module's `tfResourceType`. The plan reader refuses a
 * `mode: "data"` entry of these providers whose type is not a data source (a managed resource relabelled).
 * Re-run after upgrading a provider package: `npx tsx scripts/gen-data-source-types.ts && npx prettier --write
 * lib/gate/normalize/data-source-types.json`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const out: Record<string, { package: string; version: string; types: string[] }> = {};
for (const [provider, pkg] of [
  ["azurerm", "@cdktf/provider-azurerm"],
  ["kubernetes", "@cdktf/provider-kubernetes"],
  ["helm", "@cdktf/provider-helm"],
] as const) {
  const dir = path.join(ROOT, "node_modules", pkg, "lib");
  const version = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const types = new Set<string>();
  for (const d of fs.readdirSync(dir).filter((x) => x.startsWith("data-"))) {
    const js = fs.readFileSync(path.join(dir, d, "index.js"), "utf8");
    for (const m of js.matchAll(/tfResourceType = "([a-z0-9_]+)"/g)) types.add(m[1]);
  }
  out[provider] = { package: pkg, version, types: [...types].sort() };
}
fs.writeFileSync(path.join(ROOT, "lib/gate/normalize/data-source-types.json"), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  Object.entries(out)
    .map(([p, x]) => `${p}: ${x.types.length}`)
    .join(", "),
);
