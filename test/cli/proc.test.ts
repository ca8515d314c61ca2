/** The process boundary's executable lookup (used by the deploy preflight; spawns nothing). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findExecutable } from "../../lib/cli/proc";

describe("findExecutable", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-proc-"));
  const exe = path.join(dir, "terraform");
  const plain = path.join(dir, "notexec");
  beforeAll(() => {
    fs.writeFileSync(exe, "#!/bin/sh\n", { mode: 0o755 });
    fs.writeFileSync(plain, "x", { mode: 0o644 });
    fs.mkdirSync(path.join(dir, "adir"), { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("finds a name on PATH, skipping empty entries and missing dirs", () => {
    const env = { PATH: ["", path.join(dir, "missing"), dir].join(path.delimiter) };
    expect(findExecutable("terraform", env)).toBe(exe);
  });

  test("not found: absent, not executable, a directory, or an empty PATH", () => {
    expect(findExecutable("nope", { PATH: dir })).toBeUndefined();
    if (process.platform !== "win32") expect(findExecutable("notexec", { PATH: dir })).toBeUndefined();
    expect(findExecutable("adir", { PATH: dir })).toBeUndefined();
    expect(findExecutable("terraform", {})).toBeUndefined();
  });

  test("a name with a slash is a path", () => {
    expect(findExecutable(exe, { PATH: "" })).toBe(exe);
    expect(findExecutable(path.join(dir, "nope"), { PATH: dir })).toBeUndefined();
  });
});
