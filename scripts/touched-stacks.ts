/**
 * `tsx scripts/touched-stacks.ts <base cdktf.out> <head cdktf.out>`: the stacks a pull request touches
 * (changed or added; lib/delivery/touched.ts), one per line on stdout; removed stacks on stderr.
 */
import { touchedStacks } from "../lib/delivery/touched";

const [base, head] = process.argv.slice(2);
if (!base || !head) {
  process.stderr.write("usage: touched-stacks <base synth dir> <head synth dir>\n");
  process.exit(2);
}
try {
  const t = touchedStacks(base, head);
  for (const s of [...t.changed, ...t.added]) process.stdout.write(`${s}\n`);
  if (t.removed.length) process.stderr.write(`removed stacks (not planned here): ${t.removed.join(", ")}\n`);
} catch (e) {
  process.stderr.write(`touched-stacks: ${(e as Error).message.split("\n")[0]}\n`);
  process.exit(2);
}
