/**
 * Every bad fixture produces exactly the problems in its sibling `.expected` file.
 * Single files are loaded alone (with cross-tenant checks over that one file); subdirectories as a whole
 * tenant directory (their `.expected` includes warnings, after the errors).
 */
import fs from "node:fs";
import path from "node:path";
import { formatProblems, loadTenantFiles, loadTenants } from "../../lib/tenant/load";

const ROOT = path.resolve(__dirname, "../..");
const DIR = "test/fixtures/tenants-bad";
const entries = fs.readdirSync(path.join(ROOT, DIR)).sort();
const files = entries.filter((n) => n.endsWith(".yaml"));
const dirs = entries.filter((n) => fs.statSync(path.join(ROOT, DIR, n)).isDirectory());

function expected(name: string): string {
  return fs.readFileSync(path.join(ROOT, DIR, `${name}.expected`), "utf8").replace(/\r?\n$/, "");
}

describe("bad tenant fixtures", () => {
  it("has at least 30 fixtures, each with an .expected file", () => {
    expect(files.length + dirs.length).toBeGreaterThanOrEqual(30);
    for (const n of [...files.map((f) => f.replace(/\.yaml$/, "")), ...dirs]) {
      expect(fs.existsSync(path.join(ROOT, DIR, `${n}.expected`))).toBe(true);
    }
  });

  it.each(files)("%s", (file) => {
    const r = loadTenantFiles([`${DIR}/${file}`], { cwd: ROOT });
    expect(r.tenants).toEqual([]);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(formatProblems(r.problems)).toBe(expected(file.replace(/\.yaml$/, "")));
  });

  it.each(dirs)("%s/ (cross-tenant)", (dir) => {
    const r = loadTenants(`${DIR}/${dir}`, { cwd: ROOT });
    expect(r.problems.length).toBeGreaterThan(0);
    expect(formatProblems([...r.problems, ...r.warnings])).toBe(expected(dir));
  });
});
