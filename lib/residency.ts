/**
 * Typed access to the residency catalogue, `policies/data/residency.json`.
 *
 * That file is the single source of truth for residency zones → allowed Azure regions and for Azure
 * region pairs. Tenant validation (lib/tenant/load.ts) reads it through this module; the Rego rules read
 * the same file as `data.residency`. Zones do not overlap: every region belongs to at most one zone.
 */
import raw from "../policies/data/residency.json";

export interface ResidencyZone {
  /** Zone id, e.g. `eu`. */
  readonly id: string;
  /** Human name, e.g. `European Union`. */
  readonly name: string;
  /** Azure regions (ARM spelling) data of this zone may live in. */
  readonly regions: readonly string[];
}

export interface ResidencyCatalogue {
  readonly zones: Readonly<Record<string, ResidencyZone>>;
  /** Region → its Azure paired region (one entry per direction; one-way pairs have a single entry). */
  readonly pairs: Readonly<Record<string, string>>;
  /** Region → note, e.g. where the pair crosses a border or is one-way. */
  readonly notes: Readonly<Record<string, string>>;
  /** Terraform resource types whose location is `global`/absent and that residency rules skip. */
  readonly globalLocationTypes: readonly string[];
}

interface RawCatalogue {
  residency: {
    zones: Record<string, { name: string; regions: string[] }>;
    pairs: Record<string, string>;
    notes?: Record<string, string>;
    global_location_types: string[];
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o as object)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function build(): { catalogue: ResidencyCatalogue; regionZone: Map<string, string> } {
  const r = (raw as RawCatalogue).residency;
  const zones: Record<string, ResidencyZone> = Object.create(null);
  const regionZone = new Map<string, string>();
  for (const [id, z] of Object.entries(r.zones)) {
    zones[id] = { id, name: z.name, regions: [...z.regions] };
    for (const region of z.regions) {
      const prev = regionZone.get(region);
      if (prev !== undefined) {
        throw new Error(`residency.json: region "${region}" is in both zone "${prev}" and zone "${id}"`);
      }
      regionZone.set(region, id);
    }
  }
  const catalogue: ResidencyCatalogue = {
    zones,
    pairs: Object.assign(Object.create(null), r.pairs),
    notes: Object.assign(Object.create(null), r.notes ?? {}),
    globalLocationTypes: [...r.global_location_types],
  };
  return { catalogue: deepFreeze(catalogue), regionZone };
}

const { catalogue, regionZone } = build();

/** The whole catalogue (frozen). */
export function residencyCatalogue(): ResidencyCatalogue {
  return catalogue;
}

/** All zone ids, in catalogue order. */
export function zoneIds(): string[] {
  return Object.keys(catalogue.zones);
}

/** Whether `id` is a known residency zone. */
export function isZone(id: string): boolean {
  return typeof id === "string" && Object.prototype.hasOwnProperty.call(catalogue.zones, id);
}

/** All Azure regions in the catalogue. */
export function knownRegions(): string[] {
  return [...regionZone.keys()];
}

/** Whether `region` is an Azure region the catalogue knows (i.e. belongs to some zone). */
export function isKnownRegion(region: string): boolean {
  return regionZone.has(region);
}

/** The zone a region belongs to, or `undefined` if the region is in no zone. */
export function zoneOf(region: string): string | undefined {
  return regionZone.get(region);
}

/** Regions of a zone; throws for an unknown zone (check with {@link isZone} first). */
export function regionsOf(zone: string): readonly string[] {
  if (!isZone(zone)) throw new Error(`unknown residency zone "${zone}" (known: ${zoneIds().join(", ")})`);
  return catalogue.zones[zone].regions;
}

/** The Azure paired region of `region`, or `undefined` when it has none. */
export function pairedRegion(region: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(catalogue.pairs, region) ? catalogue.pairs[region] : undefined;
}

/** Note about a region's pair (border crossing, one-way pair, no pair), if any. */
export function pairNote(region: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(catalogue.notes, region) ? catalogue.notes[region] : undefined;
}

/**
 * Whether geo-replication from `region` to its Azure pair keeps data in `zone`.
 * False when the region has no pair, when the region itself is outside the zone, or when the pair
 * crosses the zone's border (e.g. brazilsouth → southcentralus).
 */
export function pairStaysInZone(region: string, zone: string): boolean {
  if (!isZone(zone)) return false;
  const pair = pairedRegion(region);
  if (pair === undefined) return false;
  const regions = catalogue.zones[zone].regions;
  return regions.includes(region) && regions.includes(pair);
}

/** Whether a Terraform resource type has a global (non-regional) location. */
export function isGlobalLocationType(type: string): boolean {
  return catalogue.globalLocationTypes.includes(type);
}
