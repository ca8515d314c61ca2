/**
 * Reading a synthesized stack (`Testing.synthScope` output) as plain JSON, for construct suites that count or
 * compare whole resource blocks rather than match one resource's properties.
 */
export type Tf = { resource: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, unknown> };

/** The synthesized JSON document. */
export const parse = (s: string) => JSON.parse(s) as Tf;

/** Every resource block of `type` (none, or no resources at all → `[]`). */
export const all = (tf: Tf, type: string) => Object.values((tf.resource ?? {})[type] ?? {});
