/**
 * Evidence on the command line: the record every `gate`/`run` writes, and `zonegate evidence verify`
 * (exit 0 intact · 1 an edited, removed or unlisted record or break-glass entry, each named · 2 unreadable).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { BREAK_GLASS_LOG } from "../evidence/break-glass";
import { evidenceDir, hashInputs, rel, writeEvidence, type EvidenceInput } from "../evidence/record";
import { digestsSettled, rememberedDigest } from "../fs/digest";
import { verifyEvidence } from "../evidence/verify";
import { GateError } from "../gate/errors";
import type { Verdict } from "../gate/verdict";
import type { CliContext, CliIo } from "./context";

export interface GateEvidenceOptions {
  readonly synth?: string;
  readonly plan?: readonly string[];
  readonly hcl?: readonly string[];
  readonly waivers?: string;
  readonly tenants?: string;
  readonly tenant?: string;
}

function tenantFiles(command: string, o: GateEvidenceOptions) {
  const dir = o.tenants ?? "tenants";
  if (o.tenant) return hashInputs([path.join(dir, `${o.tenant}.yaml`)], "tenant");
  if (command !== "run" || !fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(dir, f));
  return hashInputs(files, "tenant");
}

/** Plan files: the digest of the bytes the gate read (lib/fs/digest.ts), else of the file now. */
async function planInputs(plans: readonly string[]): Promise<EvidenceInput[]> {
  const out: EvidenceInput[] = [];
  for (const p of plans) {
    const read = await rememberedDigest(p)?.catch(() => undefined);
    if (read) out.push({ path: rel(p), sha256: read, kind: "plan" });
    else out.push(...hashInputs([p], "plan"));
  }
  return out;
}

/** Write the evidence record of a `gate`/`run` verdict (inputs: synth files, plans, HCL, waivers, tenants). */
export async function gateEvidence(
  command: string,
  o: GateEvidenceOptions,
  verdict: Verdict,
  io: CliIo,
): Promise<string> {
  // Files the gate read are named by the digest of the bytes it read (hashInputs takes them when computed).
  await digestsSettled();
  const inputs = [
    ...hashInputs(o.synth ? [o.synth] : [], "synth"),
    ...(await planInputs(o.plan ?? [])),
    ...hashInputs(o.hcl ?? [], "hcl"),
    ...hashInputs([o.waivers ?? "waivers.yaml"], "waivers"),
    // The tenant files the context (--tenant) or the synthesized estate (run) came from.
    ...tenantFiles(command, o),
  ];
  try {
    const { file } = writeEvidence({ command, verdict, inputs });
    io.err(`evidence: ${file}`);
    return file;
  } catch (e) {
    // A verdict whose evidence cannot be written is not a verdict anyone can rely on.
    throw new GateError(`cannot write the evidence record in ${evidenceDir()}: ${(e as Error).message}`);
  }
}

export function registerEvidence(program: Command, ctx: CliContext): void {
  const ev = program.command("evidence").description("evidence records and the break-glass log");
  ev.command("verify")
    .description("check the evidence index chain, every record's hash and the break-glass log chain")
    .option("--dir <dir>", "evidence directory (default reports/evidence)")
    .option("--log <file>", "break-glass log", BREAK_GLASS_LOG)
    .action((o: { dir?: string; log: string }) => {
      const dir = evidenceDir(o.dir);
      const r = verifyEvidence(dir, o.log);
      for (const p of r.problems) ctx.io.err(`${p.where}: ${p.message}`);
      const line =
        `evidence: ${r.records} record(s) in ${path.join(dir)}, ${r.breakGlassEntries} break-glass entr${r.breakGlassEntries === 1 ? "y" : "ies"} in ${o.log}; ` +
        `heads ${r.heads.evidence.slice(0, 16)}… / ${r.heads.breakGlass.slice(0, 16)}… (compare with the archived copy)`;
      if (r.ok) {
        ctx.io.out(`${line}\nevidence verify: OK`);
        ctx.setCode(0);
      } else {
        ctx.io.err(`${line}\nevidence verify: FAILED — ${r.problems.length} problem(s)`);
        ctx.setCode(1);
      }
    });
}
