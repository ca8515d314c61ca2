/** JSON report: the verdict as is (stable field order, no timestamps). */
import type { Verdict } from "../gate/verdict";

export function formatJson(v: Verdict): string {
  const { rules, ...rest } = v;
  return `${JSON.stringify({ tool: "zonegate", ...rest, rules: rules.map((r) => ({ ...r, mutations: undefined })) }, null, 2)}\n`;
}
