/**
 * lib/fs/digest.ts: the evidence record (hashInputs) and the reports' evidence stamp (withEvidence) name the sha256 of
 * the bytes the gate's reader read — for plan files and synthesized stack files — not of a later re-read.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { digestsSettled, settledDigest } from "../../lib/fs/digest";
import { hashInputs } from "../../lib/evidence/record";
import { readInputFile } from "../../lib/gate/normalize/limits";
import { withEvidence } from "../../lib/report/evidence";
import type { Verdict } from "../../lib/gate/verdict";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("digests of what the readers read", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-digest-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(["plan", "synth-file"] as const)(
    "a %s edited after it was read keeps the digest of the read bytes",
    async (kind) => {
      const stacks = path.join(dir, kind, "stacks", "a");
      fs.mkdirSync(stacks, { recursive: true });
      const file = path.join(stacks, kind === "plan" ? "a.plan.json" : "cdk.tf.json");
      const read = '{"resource":{"x":"é"}}';
      fs.writeFileSync(file, read);
      readInputFile(file, { display: file, what: "input", kind, within: path.join(dir, kind) });
      fs.writeFileSync(file, '{"resource":{"x":"edited after the gate read it"}}');
      await digestsSettled();
      expect(settledDigest(file)).toBe(sha(Buffer.from(read, "utf8")));
      // The evidence record's inputs (a directory input walks to the same file).
      expect(hashInputs([file], "x")[0].sha256).toBe(sha(Buffer.from(read, "utf8")));
      expect(hashInputs([path.join(dir, kind)], "x").map((i) => i.sha256)).toEqual([sha(Buffer.from(read, "utf8"))]);
      // The reports' stamp, for a stack whose file is this one.
      const verdict = {
        stacks: [{ name: "a", kind: "synth", file, tenant: null, resources: 0 }],
        findings: [],
        unusedWaivers: [],
        rules: [],
      } as unknown as Verdict;
      const v = withEvidence(verdict, [], { cwd: dir });
      expect(v.evidence?.inputs.files[file]).toBe(sha(Buffer.from(read, "utf8")));
    },
  );

  test("a file no reader read is hashed as it is now", () => {
    const file = path.join(dir, "other.json");
    fs.writeFileSync(file, "{}");
    expect(settledDigest(file)).toBeUndefined();
    expect(hashInputs([file], "x")[0].sha256).toBe(sha("{}"));
  });
});
