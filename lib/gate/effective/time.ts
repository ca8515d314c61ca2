/**
 * Dates and durations as values (design.md "Semantics over strings"): ISO 8601 durations (`P1Y`, `P90D`,
 * `P1Y2M10DT2H`), RFC 3339 dates, and the one plan-time expression constructs use for key expiry,
 * `timeadd(plantimestamp() | timestamp(), "<go duration>")`, all turned into days so rules compare numbers
 * with their limits. A year is 365 days and a month 30 (Key Vault's own reading of `P1Y` / `P1M` for
 * rotation policies); anything else is unresolvable and never counts as compliant.
 */

const DAY_MS = 86_400_000;

const ISO =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO 8601 duration in days; null when the text is not one (or is the empty `P` / `PT`). */
export function isoDurationDays(text: unknown): number | null {
  if (typeof text !== "string") return null;
  let d = durations.get(text);
  if (d === undefined) {
    if (durations.size > 10_000) durations.clear();
    durations.set(text, (d = parseDuration(text)));
  }
  return d;
}

const durations = new Map<string, number | null>();

function parseDuration(text: string): number | null {
  const s = text.trim().toUpperCase();
  const m = ISO.exec(s);
  if (!m || s === "P" || s.endsWith("T")) return null;
  const [y, mo, w, d, h, mi, se] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + se / 86400;
}

const GO_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };

/** A Go duration (`8760h`, `1h30m`, `90m`) in milliseconds; null when malformed. */
export function goDurationMs(text: string): number | null {
  const s = text.trim();
  if (!/^-?(\d+(\.\d+)?(h|ms|us|µs|ns|m|s))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)) total += Number(m[1]) * GO_UNITS[m[2]];
  return s.startsWith("-") ? -total : total;
}

/** An RFC 3339 / ISO 8601 date-time as epoch ms; null when malformed. */
export function dateMs(text: unknown): number | null {
  if (typeof text !== "string") return null;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) return null;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? null : t;
}

const TIMEADD = /^\$\{\s*timeadd\(\s*(?:plantimestamp|timestamp)\(\s*\)\s*,\s*"([^"]+)"\s*\)\s*\}$/;

/**
 * Days from `now` to a date given as a literal or as `${timeadd(plantimestamp(), "<duration>")}` (plan time
 * is now); null when it cannot be resolved.
 */
export function daysFromNow(value: unknown, expression: string | undefined, now: Date): number | null {
  const lit = dateMs(value);
  if (lit !== null) return (lit - now.getTime()) / DAY_MS;
  if (expression) {
    const m = TIMEADD.exec(expression.trim());
    if (m) {
      const ms = goDurationMs(m[1]);
      if (ms !== null) return ms / DAY_MS;
    }
  }
  return null;
}
