import { formatLocal, localToEpoch, offsetAt, windowStatus } from "../../lib/delivery/window";
import type { ChangeWindow } from "../../lib/tenant/types";

const at = (iso: string) => new Date(iso);
const win = (w: Partial<ChangeWindow>): ChangeWindow => ({
  days: ["sat"],
  start: "22:00",
  durationHours: 4,
  timezone: "Europe/Berlin",
  ...w,
});

describe("Intl-based local time conversion", () => {
  it("knows standard and summer time offsets", () => {
    expect(offsetAt(Date.parse("2025-01-15T12:00:00Z"), "Europe/Berlin")).toBe(3600_000);
    expect(offsetAt(Date.parse("2025-07-15T12:00:00Z"), "Europe/Berlin")).toBe(7200_000);
    expect(offsetAt(Date.parse("2025-07-15T12:00:00Z"), "America/New_York")).toBe(-4 * 3600_000);
    expect(offsetAt(Date.parse("2025-07-15T12:00:00Z"), "Asia/Kolkata")).toBe(5.5 * 3600_000);
  });

  it("moves a local time in the spring-forward gap forward", () => {
    // 2025-03-30 02:30 does not exist in Berlin (02:00 CET → 03:00 CEST): becomes 03:30 CEST.
    expect(new Date(localToEpoch(2025, 3, 30, 2, 30, "Europe/Berlin")).toISOString()).toBe("2025-03-30T01:30:00.000Z");
  });

  it("resolves a repeated local time in the fall-back overlap to the earlier instant", () => {
    // 2025-10-26 02:30 happens twice in Berlin; the first is 02:30 CEST = 00:30Z.
    expect(new Date(localToEpoch(2025, 10, 26, 2, 30, "Europe/Berlin")).toISOString()).toBe("2025-10-26T00:30:00.000Z");
  });

  it("formats an instant in the zone with its offset", () => {
    expect(formatLocal(at("2025-03-31T07:00:00Z"), "Europe/Berlin")).toBe("2025-03-31T09:00:00+02:00");
    expect(formatLocal(at("2025-01-06T01:00:00Z"), "America/New_York")).toBe("2025-01-05T20:00:00-05:00");
    expect(formatLocal(at("2025-01-06T01:00:00Z"), "Asia/Kolkata")).toBe("2025-01-06T06:30:00+05:30");
  });
});

describe("windowStatus", () => {
  it("is open inside and closed outside a simple window", () => {
    const w = win({ days: ["tue"], start: "09:00", durationHours: 2 });
    // 2025-01-14 is a Tuesday; Berlin is UTC+1 in January.
    expect(windowStatus(w, at("2025-01-14T08:00:00Z")).open).toBe(true);
    expect(windowStatus(w, at("2025-01-14T08:00:00Z")).current!.end.toISOString()).toBe("2025-01-14T10:00:00.000Z");
    expect(windowStatus(w, at("2025-01-14T07:59:59Z")).open).toBe(false);
    expect(windowStatus(w, at("2025-01-14T10:00:00Z")).open).toBe(false); // end is exclusive
    expect(windowStatus(w, at("2025-01-14T10:00:00Z")).next!.start.toISOString()).toBe("2025-01-21T08:00:00.000Z");
  });

  it("handles a window that crosses midnight (days are the start days)", () => {
    const w = win({ days: ["sat"], start: "22:00", durationHours: 4 }); // Sat 22:00 → Sun 02:00 Berlin
    expect(windowStatus(w, at("2025-01-18T21:30:00Z")).open).toBe(true); // Sat 22:30
    expect(windowStatus(w, at("2025-01-19T00:30:00Z")).open).toBe(true); // Sun 01:30 — a Sunday, still open
    expect(windowStatus(w, at("2025-01-19T01:00:00Z")).open).toBe(false); // Sun 02:00 — closed
    expect(windowStatus(w, at("2025-01-18T20:59:00Z")).open).toBe(false); // Sat 21:59
    // A Sunday-evening instant is not in a window: Sunday is not a start day.
    const st = windowStatus(w, at("2025-01-19T21:30:00Z"));
    expect(st.open).toBe(false);
    expect(st.next!.start.toISOString()).toBe("2025-01-25T21:00:00.000Z");
  });

  it("keeps the local start time across a DST change (next window after spring forward)", () => {
    const w = win({ days: ["mon"], start: "09:00", durationHours: 3 });
    // Friday 2025-03-28 (CET, UTC+1) → next Monday 2025-03-31 is CEST (UTC+2): 09:00 local = 07:00Z.
    const st = windowStatus(w, at("2025-03-28T12:00:00Z"));
    expect(st.open).toBe(false);
    expect(st.next!.start.toISOString()).toBe("2025-03-31T07:00:00.000Z");
    // The Monday before was CET: 09:00 local = 08:00Z.
    expect(windowStatus(w, at("2025-03-24T08:30:00Z")).open).toBe(true);
    expect(windowStatus(w, at("2025-03-31T07:30:00Z")).open).toBe(true);
    expect(windowStatus(w, at("2025-03-31T06:30:00Z")).open).toBe(false);
  });

  it("counts duration in elapsed hours over the DST night", () => {
    // Sat 2025-03-29 23:00 CET (22:00Z) + 5 h elapsed = 03:00Z = Sun 05:00 CEST
    // (adding 5 h of wall clock would end at 04:00 CEST = 02:00Z).
    const w = win({ days: ["sat"], start: "23:00", durationHours: 5 });
    const st = windowStatus(w, at("2025-03-30T02:30:00Z")); // 04:30 CEST
    expect(st.open).toBe(true);
    expect(st.current!.start.toISOString()).toBe("2025-03-29T22:00:00.000Z");
    expect(st.current!.end.toISOString()).toBe("2025-03-30T03:00:00.000Z");
    expect(windowStatus(w, at("2025-03-30T03:00:00Z")).open).toBe(false);
  });

  it("works in a US zone observing DST on different dates than Europe", () => {
    const w = win({ days: ["fri"], start: "20:00", durationHours: 2, timezone: "America/New_York" });
    // Summer (EDT, UTC-4): Fri 20:00 = Sat 00:00Z. Winter (EST, UTC-5): Sat 01:00Z.
    expect(windowStatus(w, at("2025-07-12T00:30:00Z")).open).toBe(true);
    expect(windowStatus(w, at("2025-01-11T00:30:00Z")).open).toBe(false);
    expect(windowStatus(w, at("2025-01-11T01:30:00Z")).open).toBe(true);
    // 2025-03-14 (Fri) is after the US switch (Mar 9) but before the EU one: UTC-4.
    expect(windowStatus(w, at("2025-03-10T12:00:00Z")).next!.start.toISOString()).toBe("2025-03-15T00:00:00.000Z");
  });

  it("supports a 24 h window every day (always open)", () => {
    const w = win({ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", durationHours: 24 });
    for (const iso of ["2025-03-30T01:30:00Z", "2025-10-26T00:59:00Z", "2025-06-01T23:59:59Z"]) {
      expect(windowStatus(w, at(iso)).open).toBe(true);
    }
  });

  it("rejects invalid windows", () => {
    expect(() => windowStatus(win({ timezone: "Mars/Olympus" }), new Date())).toThrow(/time zone/);
    expect(() => windowStatus(win({ start: "25:00" }), new Date())).toThrow(/HH:MM/);
    expect(() => windowStatus(win({ days: [] }), new Date())).toThrow(/no days/);
    expect(() => windowStatus(win({ durationHours: 0 }), new Date())).toThrow(/durationHours/);
  });
});
