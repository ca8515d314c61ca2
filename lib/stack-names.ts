/**
 * The stack-name and backend-key formats (docs/architecture.md "Stacks and synth output"), built here and only
 * here — by the stacks (stacks/base-stack.ts), the deployment matrix (lib/delivery/matrix.ts) and the synth cache
 * keys (lib/synth-cache/keys.ts):
 *  - stack name: `<tenant>-<env>-<region>-<layer>`, a shared platform stack `platform-<env>-<region>-<layer>`;
 *  - backend key: `tenants/<tenant>/<env>/<region>/<layer>.tfstate`, platform `platform/<env>/<region>/<layer>.tfstate`.
 * `tenant` is a tenant id, or null for a shared platform stack.
 */
import type { Environment, Layer } from "./tenant/types";

/** The owner segment of a platform stack's name. */
export const PLATFORM = "platform";

/** `<tenant>-<env>-<region>-<layer>`, or `platform-<env>-<region>-<layer>` for a shared platform stack. */
export function stackName(tenant: string | null, env: Environment, region: string, layer: Layer): string {
  return `${tenant ?? PLATFORM}-${env}-${region}-${layer}`;
}

/** The shared platform cluster stack of an env × region: `platform-<env>-<region>-compute`. */
export function platformStackName(env: Environment, region: string): string {
  return stackName(null, env, region, "compute");
}

/** `tenants/<tenant>/<env>/<region>`, or `platform/<env>/<region>`: the folder of the stacks' state files. */
export function backendKeyPrefix(tenant: string | null, env: Environment, region: string): string {
  return tenant === null ? `${PLATFORM}/${env}/${region}` : `tenants/${tenant}/${env}/${region}`;
}

/** `tenants/<tenant>/<env>/<region>/<layer>.tfstate`, or `platform/<env>/<region>/<layer>.tfstate`. */
export function backendKey(tenant: string | null, env: Environment, region: string, layer: Layer): string {
  return `${backendKeyPrefix(tenant, env, region)}/${layer}.tfstate`;
}
