import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OutputError, sweepStale, sweepStaleTemps, writeAllOrNone } from "../../lib/fs/atomic";
import { readRegularFile } from "../../lib/fs/read";
import { safeText, sanitizeDeep } from "../../lib/report/escape";
import { compileGlob, globMatch } from "../../lib/gate/glob";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "zg-atomic-"));

describe("atomic outputs", () => {
  test("all or none: a failing temp leaves every target as it was and no temp behind", () => {
    const d = tmp();
    const a = path.join(d, "gate.json");
    const b = path.join(d, "gate.sarif");
    fs.writeFileSync(a, "old-a");
    fs.writeFileSync(b, "old-b");
    process.env.ZG_TEST_FAIL_WRITE = "gate.sarif";
    try {
      expect(() =>
        writeAllOrNone([
          { file: a, data: "new-a" },
          { file: b, data: "new-b" },
        ]),
      ).toThrow(OutputError);
    } finally {
      delete process.env.ZG_TEST_FAIL_WRITE;
    }
    expect(fs.readFileSync(a, "utf8")).toBe("old-a");
    expect(fs.readFileSync(b, "utf8")).toBe("old-b");
    expect(fs.readdirSync(d).sort()).toEqual(["gate.json", "gate.sarif"]);
    writeAllOrNone([
      { file: a, data: "new-a" },
      { file: b, data: "new-b" },
    ]);
    expect(fs.readFileSync(b, "utf8")).toBe("new-b");
  });

  test("stale temps of dead processes are swept, a live process's are kept", () => {
    const d = tmp();
    const out = path.join(d, "cdktf.out");
    fs.mkdirSync(`${out}.tmp-999999`);
    fs.mkdirSync(`${out}.old-999998`);
    fs.mkdirSync(`${out}.tmp-${process.pid}`);
    fs.writeFileSync(path.join(d, ".gate.json.tmp-999997"), "cut");
    expect(
      sweepStale(out)
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(["cdktf.out.old-999998", "cdktf.out.tmp-999999"]);
    expect(sweepStaleTemps(d).map((f) => path.basename(f))).toEqual([".gate.json.tmp-999997"]);
    expect(fs.readdirSync(d)).toEqual([`cdktf.out.tmp-${process.pid}`]);
  });

  test("regular files only, with a cap; FIFOs and devices refused without blocking", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "w.yaml"), "x".repeat(100));
    expect(readRegularFile(path.join(d, "w.yaml"), 100).length).toBe(100);
    expect(() => readRegularFile(path.join(d, "w.yaml"), 99, "w.yaml")).toThrow(/over the limit of 99 bytes/);
    expect(() => readRegularFile("/dev/zero", 10, "/dev/zero")).toThrow(/is a device/);
    expect(() => readRegularFile(d, 10, "d")).toThrow(/is a directory/);
  });
});

describe("escaping and globs", () => {
  test("control, escape, bidi and invisible characters are shown escaped; printable text is kept", () => {
    expect(safeText("a\u001b[31mb\rc\u202ed\u2066e\u0085f\u200bg")).toBe(
      "a\\u{001b}[31mb\\u{000d}c\\u{202e}d\\u{2066}e\\u{0085}f\\u{200b}g",
    );
    expect(safeText("Zürich — 東京 😀 <b>&amp;")).toBe("Zürich — 東京 😀 <b>&amp;");
    expect(sanitizeDeep({ "k\n": ["v\u0000", 1, null] })).toEqual({ "k\\u{000a}": ["v\\u{0000}", 1, null] });
  });

  test("glob matching is linear on adversarial input", () => {
    const g = compileGlob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
    const t0 = Date.now();
    expect(globMatch(g, "a".repeat(20_000))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(globMatch(compileGlob("st::module.*.sa[[]0]"), "st::module.x.sa[0]")).toBe(true);
    expect(globMatch(compileGlob("st::kv_[!0-9]?"), "st::kv_ab")).toBe(true);
    expect(globMatch(compileGlob("st::kv_[!0-9]?"), "st::kv_1b")).toBe(false);
    expect(globMatch(compileGlob("a\\*b"), "a*b")).toBe(true);
    expect(globMatch(compileGlob("a\\*b"), "axb")).toBe(false);
  });
});
