/**
 * Key Vault keys: expiry and rotation as numbers of days, so rules compare them with their maxima.
 *
 * `effective.key` = { expiration, expire_after, time_before_expiry, time_after_creation } where each is
 * `{state: known|absent|unknown|invalid, days?}`: `expiration` is days from now (plan time) to
 * `expiration_date` (a literal date, or `timeadd(plantimestamp(), …)` in synth output); the others are the
 * rotation policy's ISO 8601 durations. `rotation_policy` says whether a rotation policy block exists (or is
 * unknown).
 */
import type { ResourceModel } from "../model";
import { daysFromNow, isoDurationDays } from "./time";
import { EffectiveContext, blocks, get, isUnknown } from "./context";

export interface Days {
  readonly state: "known" | "absent" | "unknown" | "invalid";
  readonly days?: number;
}

function duration(r: ResourceModel, path: string): Days {
  const v = get(r.values, path);
  if (v === undefined || v === null || v === "") return { state: isUnknown(r, path) ? "unknown" : "absent" };
  const d = isoDurationDays(v);
  return d === null ? { state: "invalid" } : { state: "known", days: Math.round(d * 1000) / 1000 };
}

function expiry(r: ResourceModel, now: Date): Days {
  const v = r.values.expiration_date;
  // The synth expression only stands while the value is still unknown (a mutation or override may replace it).
  const expr = isUnknown(r, "expiration_date") ? r.expressions?.expiration_date : undefined;
  const d = daysFromNow(v, expr, now);
  if (d !== null) return { state: "known", days: Math.round(d * 1000) / 1000 };
  if (typeof v === "string" && v !== "") return { state: "invalid" };
  return { state: isUnknown(r, "expiration_date") ? "unknown" : "absent" };
}

export function mergeKeyVaultKeys(ctx: EffectiveContext): void {
  for (const i of ctx.of("azurerm_key_vault_key")) {
    const r = ctx.resources[i];
    ctx.set(i, "key", {
      expiration: expiry(r, ctx.now),
      rotation_policy: blocks(r.values, "rotation_policy").length > 0 || isUnknown(r, "rotation_policy"),
      expire_after: duration(r, "rotation_policy.expire_after"),
      time_before_expiry: duration(r, "rotation_policy.automatic.time_before_expiry"),
      time_after_creation: duration(r, "rotation_policy.automatic.time_after_creation"),
    });
  }
}
