/**
 * `npm run docs` — writes docs/policies.md (the rule catalogue) from policies/dist/manifest.json.
 * `npm run docs -- --check` — exits 1 when docs/policies.md differs from what would be generated (CI).
 *
 * Options: --manifest <file> (default policies/dist/manifest.json), --out <file> (default docs/policies.md).
 * Exit codes: 0 written / fresh · 1 stale (--check) · 2 manifest missing or malformed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { renderPoliciesDoc } from "../lib/delivery/policies-doc";

export { renderPoliciesDoc } from "../lib/delivery/policies-doc";

export function main(argv: string[]): number {
  let manifestPath = "policies/dist/manifest.json";
  let out = "docs/policies.md";
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") check = true;
    else if (a === "--manifest" && argv[i + 1]) manifestPath = argv[++i];
    else if (a === "--out" && argv[i + 1]) out = argv[++i];
    else {
      console.error(`gen-docs: unknown argument "${a}" (usage: gen-docs [--check] [--manifest f] [--out f])`);
      return 2;
    }
  }

  let text: string;
  try {
    const manifest: unknown = JSON.parse(readFileSync(manifestPath, "utf8"));
    text = renderPoliciesDoc(manifest);
  } catch (e) {
    console.error(`gen-docs: cannot render from ${manifestPath}: ${(e as Error).message}`);
    console.error("gen-docs: build the policy bundle first: npm run policies:build");
    return 2;
  }

  if (check) {
    const current = existsSync(out) ? readFileSync(out, "utf8") : null;
    if (current === text) {
      console.log(`gen-docs: ${out} is up to date`);
      return 0;
    }
    const why =
      current === null
        ? "does not exist"
        : `differs from the catalogue (first difference: ${firstDiff(current, text)})`;
    console.error(`gen-docs: ${out} is stale: it ${why}. Run \`npm run docs\` and commit the result.`);
    return 1;
  }
  writeFileSync(out, text);
  console.log(`gen-docs: wrote ${out}`);
  return 0;
}

function firstDiff(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: expected ${JSON.stringify(lb[i] ?? "<end of file>")}`;
  }
  return "trailing bytes";
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
