import { createHash } from "node:crypto";

/** Hex sha256 of a string (UTF-8) or buffer — the one hash zonegate uses for bundles, caches and manifests. */
export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
