/** Naming what a CLI invocation reads, for one-line failure messages (kept free of heavy imports). */
import { oneLine } from "../lifecycle";

/** What the command reads, for one-line failure messages ("while gating <this>"). */
export function describeInput(argv: readonly string[]): string {
  const cmd = argv.find((a) => !a.startsWith("-")) ?? "";
  const vals = (flag: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === flag) {
        for (let j = i + 1; j < argv.length && !argv[j].startsWith("--"); j++) out.push(argv[j]);
      } else if (argv[i].startsWith(`${flag}=`)) out.push(argv[i].slice(flag.length + 1));
    }
    return out;
  };
  const parts = [
    ...vals("--plan").map((f) => `plan ${f}`),
    ...vals("--hcl").map((f) => `HCL ${f}`),
    ...vals("--synth").map((f) => `synth output ${f}`),
  ];
  if (cmd === "run" || cmd === "synth" || cmd === "validate" || cmd === "deploy")
    parts.unshift(`tenants ${vals("--tenants")[0] ?? "tenants"}/`);
  if (cmd === "gate" && parts.length === 0) parts.push("synth output cdktf.out");
  const w = vals("--waivers")[0];
  if (w) parts.push(`waivers ${w}`);
  return oneLine(parts.join(", ") || "the input");
}
