/**
 * Change windows: "is `now` inside a tenant's prod change window, and when does the next one open?"
 *
 * All time-zone arithmetic goes through `Intl.DateTimeFormat` (the platform's IANA tz database); the only
 * thing computed here is "local wall-clock time → UTC instant", by asking Intl for the zone's UTC offset
 * around the instant and keeping the offset that round-trips (the algorithm Temporal calls `compatible`):
 * - a local time that does not exist (spring-forward gap) is moved forward by the gap length;
 * - a local time that exists twice (fall-back overlap) resolves to the earlier instant.
 *
 * Window semantics: `days` are the local days on which a window *starts*; a window lasts `durationHours`
 * of elapsed time, so a Friday 22:00 + 4 h window covers Saturday 00:00–02:00 too, and a window that spans
 * a DST change is still exactly `durationHours` long.
 */
import type { ChangeWindow, Weekday } from "../tenant/types";

export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new RangeError(`unknown IANA time zone "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a zone. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export function toLocal(epochMs: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour === 24 ? 0 : parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** UTC offset of `timeZone` at `epochMs`, in milliseconds (local = UTC + offset). */
export function offsetAt(epochMs: number, timeZone: string): number {
  const l = toLocal(epochMs, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (see the module comment for gaps and overlaps). */
export function localToEpoch(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [...new Set([before, after])]
    .map((off) => wall - off)
    .filter((t) => offsetAt(t, timeZone) === wall - t)
    .sort((a, b) => a - b);
  if (valid.length > 0) return valid[0];
  // Gap: interpret with the offset in force before the transition, which lands after it.
  return wall - before;
}

/** Parses `HH:MM` (00:00–23:59). */
export function parseHhMm(s: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  if (!m) throw new RangeError(`change window start "${s}" is not HH:MM`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export interface WindowOccurrence {
  /** UTC instant the window opens. */
  readonly start: Date;
  /** UTC instant the window closes (exclusive). */
  readonly end: Date;
}

export interface WindowStatus {
  readonly open: boolean;
  /** The occurrence `now` is in (when open). */
  readonly current?: WindowOccurrence;
  /** The next occurrence starting after `now` (always set for a window with at least one day). */
  readonly next?: WindowOccurrence;
}

function validate(w: ChangeWindow): void {
  if (!Array.isArray(w.days) || w.days.length === 0) throw new RangeError("change window has no days");
  for (const d of w.days) if (!WEEKDAYS.includes(d)) throw new RangeError(`change window day "${d}" is not mon..sun`);
  if (!(w.durationHours > 0 && w.durationHours <= 24)) {
    throw new RangeError(`change window durationHours ${w.durationHours} is not in (0, 24]`);
  }
  parseHhMm(w.start);
  formatter(w.timezone);
}

/**
 * Occurrences of the window whose local start day is between `fromDays` and `toDays` days from the local
 * date of `nowMs` (inclusive), in ascending order.
 */
function occurrences(w: ChangeWindow, nowMs: number, fromDays: number, toDays: number): WindowOccurrence[] {
  const { hour, minute } = parseHhMm(w.start);
  const today = toLocal(nowMs, w.timezone);
  const out: WindowOccurrence[] = [];
  for (let k = fromDays; k <= toDays; k++) {
    // Calendar arithmetic on a date-only value (no time zone involved).
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    if (!w.days.includes(WEEKDAYS[date.getUTCDay()])) continue;
    const start = localToEpoch(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      hour,
      minute,
      w.timezone,
    );
    out.push({ start: new Date(start), end: new Date(start + w.durationHours * HOUR_MS) });
  }
  return out;
}

/** Whether `now` is inside the window, and the next opening after `now`. Throws on an invalid window. */
export function windowStatus(w: ChangeWindow, now: Date): WindowStatus {
  validate(w);
  const nowMs = now.getTime();
  // A window lasts at most 24 h, so one that started up to two local days ago may still be open.
  const all = occurrences(w, nowMs, -2, 8);
  const current = all.find((o) => o.start.getTime() <= nowMs && nowMs < o.end.getTime());
  const next = all.find((o) => o.start.getTime() > nowMs);
  return { open: current !== undefined, current, next };
}

/** `2025-03-28T22:00:00+01:00`-style rendering of an instant in a zone (for humans and logs). */
export function formatLocal(d: Date, timeZone: string): string {
  const ms = d.getTime();
  const l = toLocal(ms, timeZone);
  const off = Math.round(offsetAt(ms, timeZone) / 60000);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const sign = off < 0 ? "-" : "+";
  return (
    `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}` +
    `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  );
}
