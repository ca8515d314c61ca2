/**
 * `npm run docs` — writes docs/policies.md (the rule catalogue) from policies/dist/manifest.json.
 * `npm run docs -- --check` — exits 1 when docs/policies.md differs from what would be generated (CI).
 *
 * Options (commander): --manifest <file> (default policies/dist/manifest.json), --out <file> (default docs/policies.md).
 * Exit codes: 0 written / fresh · 1 stale (--check) · 2 manifest missing or malformed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { renderPoliciesDoc } from "../lib/delivery/policies-doc";

export { renderPoliciesDoc } from "../lib/delivery/policies-doc";

export function main(argv: string[]): number {
  const program = new Command("gen-docs")
    .description("write docs/policies.md (the rule catalogue) from the policy bundle manifest")
    .option("--check", "exit 1 when the file differs from what would be generated")
    .option("--manifest <file>", "policy bundle manifest", "policies/dist/manifest.json")
    .option("--out <file>", "output file", "docs/policies.md")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(`gen-docs: ${s}`) });
  try {
    program.parse(argv, { from: "user" });
  } catch {
    return 2;
  }
  const {
    check = false,
    manifest: manifestPath,
    out,
  } = program.opts<{ check?: boolean; manifest: string; out: string }>();

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
