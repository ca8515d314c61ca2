/**
 * The report formats and their file names: no renderer is loaded here, so the CLI can list and check
 * formats (`--format`, `zonegate --help`) before, or without, loading the report modules (lib/report/index.ts).
 */
export const FORMATS = ["table", "json", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export const REPORT_FILES: Record<Exclude<Format, "table">, string> = {
  json: "gate.json",
  sarif: "gate.sarif",
  junit: "gate.junit.xml",
  markdown: "gate.md",
};

export function parseFormats(s: string | undefined, dflt: readonly Format[] = ["table"]): Format[] {
  if (s === undefined) return [...dflt];
  const out: Format[] = [];
  for (const f of s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!(FORMATS as readonly string[]).includes(f))
      throw new Error(`unknown format "${f}" (formats: ${FORMATS.join(", ")})`);
    out.push(f as Format);
  }
  // An explicitly empty list (`--format ""`, `--format ,`) would silently print nothing: refuse it.
  if (out.length === 0) throw new Error(`no report format given (formats: ${FORMATS.join(", ")})`);
  return [...new Set(out)];
}
