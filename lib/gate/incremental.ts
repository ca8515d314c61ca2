/**
 * Incremental gate over a whole synthesized estate: the normalize + evaluate cost of unchanged parts is paid once.
 *
 * The estate is split into units — a tenant's stacks, or one platform stack (env × region) — the same split
 * as the incremental synth (lib/synth-cache). Units that reference each other (a remote-state reference:
 * standard-tier tenant compute stacks → the platform cluster stack) are merged into one group, so every
 * resource a rule can reach through `refs` is evaluated together with it. Each group is evaluated on its own
 * with `complete: true` (estate-scope rules see the group whole), and its RAW findings (before waivers and
 * enforcement, which are always re-applied over the whole estate) are cached under a key of:
 * format version · the bundle's wasmSha256 + dataSha256 · the caller's code hash (constructs, stacks, lib —
 * including the normalizer; lib/synth-cache/keys.ts `codeHash`, which the CLI computes or takes from the synth) · per unit its synth cache key (when the synth gave one) · per stack its name, file and
 * the sha256 of its cdk.tf.json as gated (so an output edited or produced outside the synth cache is never
 * matched to an old entry).
 *
 * Soundness contract (docs/architecture.md "Incremental gate"): a rule may relate two resources only through
 * `refs`, a known `id` string, or the same stack. `refs` are covered by the grouping; known ids never occur
 * in synth output (CDKTF config has no ids), and if one does the whole estate is evaluated in one piece.
 * Anything doubtful — a stack without zonegate context, a partial input — falls back to {@link runGate}.
 *
 * A cache entry carries the sha256 of its payload and is re-checked (key, format, structure, checksum) on
 * every read; an entry that fails any check is ignored and the group re-evaluated.
 *
 * A stack file whose bytes a previous run of the same code parsed is not parsed again unless its group is
 * evaluated: the split needs only its {@link StackFacts} (name, context, backend, remote-state sources), kept per
 * sha256 of the bytes in `stack-facts.json` beside the entries (same format/code/checksum checks; a store that
 * fails one is ignored and every stack read and parsed). The store also keeps each file's stat signature (inode,
 * size, mtime, ctime in ns — lib/fs/stat-sig.ts, as the synth cache and git's index do) with the sha256 of the bytes
 * it held: a file whose signature is unchanged (and not racy) is not even read — its sha256 keys the group and
 * names it in the evidence; if its group is evaluated its bytes are read then and must have that sha256. Any
 * write to a file changes its ctime, which no user-space call can set back.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RawFinding, ResourceModel, TenantContext } from "./model";
import { loadBundle, type Bundle, type BundleOptions } from "./bundle";
import { chunkSize } from "./chunked";
import { evalThreads, evaluateParallel, PARALLEL_MIN_RESOURCES, startEvalWorkers, type EvalWorker } from "./parallel";
import { runGate, type GateRun } from "./gate";
import type { StackSummary } from "./normalize";
import { findStackFiles } from "./normalize";
import { displayPath } from "./normalize/common";
import {
  normalizeStacks,
  readStackFile,
  RemoteStateResolver,
  stackFacts,
  type StackFacts,
  type SynthStack,
} from "./normalize/synth";
import { computeVerdict } from "./verdict";
import { boundsFromData, loadWaivers, today as todayOf } from "./waivers";
import { checkSynthManifest } from "./synth-manifest";
import { sha256 } from "../hash";
import { trustedSince } from "../fs/stat-sig";

/** Bump when the entry layout, the key, the unit split or the grouping changes. */
export const GATE_CACHE_FORMAT = "zonegate-gate-cache/2";

export interface GateUnitHint {
  /** `tenant:<id>` or `platform:<env>:<region>` (lib/synth-cache unit ids). */
  readonly id: string;
  /** The unit's synth cache key. */
  readonly key: string;
  readonly stacks: readonly string[];
}

export interface IncrementalGateOptions {
  /** The synthesized estate (a whole cdktf.out). */
  readonly synth: string;
  /** Repo root for display paths, the bundle and the default waiver file. @default cwd */
  readonly root?: string;
  /** @default `<root>/.zonegate-cache/gate` */
  readonly cacheDir?: string;
  /** The synth's units (keys) when the caller just ran the incremental synth. */
  readonly units?: readonly GateUnitHint[];
  /**
   * Hash of the code that produced and gates the synth (lib/synth-cache/keys.ts `codeHash`: constructs, stacks,
   * lib, policy data, lockfile, …): the incremental synth's own when the caller just ran it. Part of every key.
   */
  readonly codeHash: string;
  /** Extra key input (tests inject a "code change" with it). */
  readonly extraKey?: readonly string[];
  /** Context for stacks without a zonegate comment (those make the gate fall back to the full path). */
  readonly tenant?: TenantContext | null;
  readonly bundle?: BundleOptions;
  readonly waivers?: string;
  readonly now?: Date;
  /**
   * Splitting a large group across threads (./parallel.ts): evaluation threads and the smallest group split.
   * @default `{ threads: evalThreads(), minResources: PARALLEL_MIN_RESOURCES }`
   */
  readonly parallel?: { readonly threads?: number; readonly minResources?: number };
  /** Drop entries not used for this many days. @default 7 */
  readonly pruneDays?: number;
  readonly onLog?: (line: string) => void;
}

export interface GateGroupResult {
  /** Unit ids in the group (sorted). */
  readonly units: readonly string[];
  readonly key: string;
  readonly cached: boolean;
}

export interface IncrementalGateRun extends GateRun {
  /** Undefined when the incremental path was not applicable (the run is then a plain {@link runGate}). */
  readonly cache?: {
    readonly groups: readonly GateGroupResult[];
    readonly evaluatedUnits: readonly string[];
    readonly reusedUnits: readonly string[];
    readonly timings: { readonly readMs: number; readonly evaluateMs: number; readonly verdictMs: number };
  };
  /** Why the incremental path was not used. */
  readonly fallback?: string;
}

/** What the reports and the verdict need of a resource (values/refs are not kept). */
type SlimResource = Omit<ResourceModel, "values" | "unknown" | "refs">;

interface EntryPayload {
  readonly units: string[];
  /** Per stack (in file order): its summary and its resources. */
  readonly stacks: { summary: StackSummary; resources: SlimResource[] }[];
  /** Raw findings, the resource named by key. */
  readonly findings: { rule: string; key: string; message: string; unknown?: boolean }[];
}

/**
 * What a stack's resources share (the stack's name, tenant and context, the file they come from), stored once per
 * stack: a resource's field that holds exactly the shared value is stored as 0 (the field keeps its place, so the
 * unpacked resource has its keys in the order the normalizer gave them).
 */
interface Shared {
  readonly stack: string;
  readonly tenant: unknown;
  readonly context?: unknown;
  readonly file: string;
}

/** An entry's payload as stored: {@link EntryPayload} with each stack's shared fields once. */
interface StoredPayload extends Omit<EntryPayload, "stacks"> {
  readonly stacks: { summary: StackSummary; shared: Shared | null; resources: Record<string, unknown>[] }[];
}

const SHARED_MARK = 0;

/** A stack's resources as stored (see {@link Shared}). */
function pack(resources: readonly SlimResource[]): { shared: Shared | null; resources: Record<string, unknown>[] } {
  if (resources.length === 0) return { shared: null, resources: [] };
  const first = resources[0];
  const shared: Shared = {
    stack: first.stack,
    tenant: first.tenant,
    ...(first.context !== undefined ? { context: first.context } : {}),
    file: first.source.file,
  };
  const json = (x: unknown) => JSON.stringify(x);
  const tenantJson = json(shared.tenant);
  const contextJson = json(shared.context);
  return {
    shared,
    resources: resources.map((r) => {
      const o: Record<string, unknown> = { ...r };
      if (r.stack === shared.stack) o.stack = SHARED_MARK;
      if (r.tenant === shared.tenant || json(r.tenant) === tenantJson) o.tenant = SHARED_MARK;
      if (r.context !== undefined && (r.context === shared.context || json(r.context) === contextJson))
        o.context = SHARED_MARK;
      if (r.source.file === shared.file) o.source = { ...r.source, file: SHARED_MARK };
      return o;
    }),
  };
}

/** The resources of a stored stack, unpacked in place (see {@link Shared}); undefined when malformed. */
function unpack(s: StoredPayload["stacks"][number]): SlimResource[] | undefined {
  if (!Array.isArray(s.resources)) return undefined;
  const sh = s.shared;
  if (s.resources.length > 0) {
    if (!isObj(sh) || typeof sh.stack !== "string" || typeof sh.file !== "string") return undefined;
    if (sh.tenant !== null && !isObj(sh.tenant)) return undefined;
    if (sh.context !== undefined && !isObj(sh.context)) return undefined;
  }
  for (const r of s.resources) {
    if (!isObj(r) || !isObj(r.source)) return undefined;
    if (r.stack === SHARED_MARK) r.stack = sh!.stack;
    if (r.tenant === SHARED_MARK) r.tenant = sh!.tenant;
    if (r.context === SHARED_MARK) r.context = sh!.context;
    if (r.source.file === SHARED_MARK) r.source.file = sh!.file;
  }
  return s.resources as unknown as SlimResource[];
}

/** The unit of a stack, from its zonegate context (undefined: none). */
export function unitOfStack(s: SynthStack): string | undefined {
  if (!s.hasZonegateContext) return undefined;
  if (s.tenant) return `tenant:${s.tenant.id}`;
  if (s.context?.platform) return `platform:${s.context.env}:${s.context.region}`;
  return `stack:${s.name}`;
}

/**
 * Group units that reference each other (union-find over remote-state producers). Returns unit id → group
 * representative; every unit of the input is present.
 */
export function groupUnits(
  stacks: readonly SynthStack[],
  unitOf: ReadonlyMap<SynthStack, string>,
  resolver: RemoteStateResolver,
): Map<string, string> {
  const parent = new Map<string, string>();
  for (const u of unitOf.values()) parent.set(u, u);
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const s of stacks) {
    for (const p of resolver.producersOf(s)) {
      const a = find(unitOf.get(s)!);
      const b = find(unitOf.get(p)!);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  return new Map([...parent.keys()].map((u) => [u, find(u)]));
}

function slim(r: ResourceModel): SlimResource {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { values, unknown, refs, ...rest } = r;
  return rest;
}

/** The resource model of a slim resource; takes over `r` (a fresh object of this run, used nowhere else). */
function unslim(r: SlimResource): ResourceModel {
  // A slim resource has none of the three keys (slim() dropped them; an entry is checksummed), so this gives
  // the same own keys in the same order as `{ ...r, values: {}, unknown: [], refs: {} }` without a copy.
  return Object.assign(r, { values: {}, unknown: [], refs: {} }) as ResourceModel;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === "object" && !Array.isArray(x);
}

/** Read an entry; undefined unless every check passes (never trust what is on disk). */
function readEntry(
  file: string,
  key: string,
  units: readonly string[],
  stackNames: readonly string[],
): EntryPayload | undefined {
  const payloadText = readChecksummed(file, entryFields(key));
  if (payloadText === undefined) return undefined;
  let stored: StoredPayload;
  try {
    stored = JSON.parse(payloadText) as StoredPayload;
  } catch {
    return undefined;
  }
  if (!isObj(stored)) return undefined;
  if (!Array.isArray(stored.units) || stored.units.join("\0") !== units.join("\0")) return undefined;
  if (!Array.isArray(stored.stacks) || stored.stacks.map((s) => s?.summary?.name).join("\0") !== stackNames.join("\0"))
    return undefined;
  const stacks: EntryPayload["stacks"] = [];
  for (const s of stored.stacks) {
    const resources = unpack(s);
    if (!resources) return undefined;
    stacks.push({ summary: s.summary, resources });
  }
  const p: EntryPayload = { units: stored.units, stacks, findings: stored.findings };
  const keys = new Set<string>();
  for (const s of p.stacks) {
    if (s.summary.resources !== s.resources.length) return undefined;
    for (const r of s.resources) {
      if (!isObj(r) || typeof r.key !== "string" || r.stack !== s.summary.name) return undefined;
      keys.add(r.key);
    }
  }
  if (!Array.isArray(p.findings)) return undefined;
  for (const f of p.findings)
    if (!isObj(f) || typeof f.rule !== "string" || typeof f.message !== "string" || !keys.has(f.key)) return undefined;
  return p;
}

/** For starting the evaluation worker ahead: a stack's resources, at least (a synthesized layer holds ~20). */
const LIKELY_RESOURCES_PER_STACK = 10;

/** Bump when {@link StackFacts} or how they are derived changes (the code hash covers the deriving code too). */
const FACTS_FORMAT = "zonegate-stack-facts/2";
/** The facts store, beside the entries (kept by prune). */
const FACTS_FILE = "stack-facts.json";

const isStrOrNull = (x: unknown) => x === null || typeof x === "string";

/** Structure check of one stored {@link StackFacts} (the store is checksummed; this guards a damaged writer). */
function isFacts(f: unknown): f is StackFacts {
  if (!isObj(f)) return false;
  const ctxOk = f.context === undefined || isObj(f.context);
  const tenantOk = f.tenant === null || (isObj(f.tenant) && typeof f.tenant.id === "string");
  return (
    isStrOrNull(f.declaredName) &&
    isStrOrNull(f.backend) &&
    typeof f.hasZonegateContext === "boolean" &&
    ctxOk &&
    tenantOk &&
    Array.isArray(f.remoteState) &&
    f.remoteState.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && isStrOrNull(p[1])) &&
    Array.isArray(f.mentions) &&
    f.mentions.every((m) => typeof m === "string")
  );
}

interface FactsStore {
  /** sha256 of a stack file's bytes → its facts. */
  readonly facts: Map<string, StackFacts>;
  /** A stack file's real path → its stat signature and the sha256 of the bytes it held then (lib/fs/stat-sig.ts). */
  readonly stats: Map<string, { readonly sig: string; readonly sha256: string }>;
  /** When the store was written (ns since the epoch): signatures with a ctime close to it are not trusted. */
  readonly savedNs: bigint;
}

/** The stored facts and signatures of this code; empty unless every check passes. */
function readFacts(file: string, code: string): FactsStore {
  const none: FactsStore = { facts: new Map(), stats: new Map(), savedNs: 0n };
  const payloadText = readChecksummed(file, factsFields(code));
  if (payloadText === undefined) return none;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return none;
  }
  if (!isObj(payload) || !Array.isArray(payload.facts) || !Array.isArray(payload.stats)) return none;
  if (typeof payload.savedNs !== "string" || !/^\d+$/.test(payload.savedNs)) return none;
  const sha = (x: unknown): x is string => typeof x === "string" && /^[0-9a-f]{64}$/.test(x);
  const out: FactsStore = { facts: new Map(), stats: new Map(), savedNs: BigInt(payload.savedNs) };
  for (const e of payload.facts) {
    if (!Array.isArray(e) || e.length !== 2 || !sha(e[0]) || !isFacts(e[1])) return none;
    out.facts.set(e[0], e[1]);
  }
  for (const e of payload.stats) {
    if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== "string" || typeof e[1] !== "string" || !sha(e[2]))
      return none;
    out.stats.set(e[0], { sig: e[1], sha256: e[2] });
  }
  return out;
}

function writeFacts(
  file: string,
  code: string,
  facts: ReadonlyMap<string, StackFacts>,
  stats: ReadonlyMap<string, { readonly sig: string; readonly sha256: string }>,
): void {
  const payload = JSON.stringify({
    savedNs: String(BigInt(Date.now()) * 1_000_000n),
    facts: [...facts],
    stats: [...stats].map(([real, r]) => [real, r.sig, r.sha256]),
  });
  writeChecksummed(file, factsFields(code), payload);
}

function writeEntry(file: string, key: string, payload: EntryPayload): void {
  const stored: StoredPayload = {
    ...payload,
    stacks: payload.stacks.map((s) => ({ summary: s.summary, ...pack(s.resources) })),
  };
  writeChecksummed(file, entryFields(key), JSON.stringify(stored));
}

const entryFields = (key: string) => `"format":${JSON.stringify(GATE_CACHE_FORMAT)},"key":${JSON.stringify(key)}`;
const factsFields = (code: string) => `"format":${JSON.stringify(FACTS_FORMAT)},"code":${JSON.stringify(code)}`;

/**
 * Write `{<fields>,"payloadSha256":"<sha256 of the payload's text>","payload":<payload>}` (temp file, then rename;
 * the temp file is removed when either fails).
 */
function writeChecksummed(file: string, fields: string, payloadText: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, `{${fields},"payloadSha256":"${sha256(payloadText)}","payload":${payloadText}}`);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The payload's text of a file {@link writeChecksummed} wrote with exactly these fields, when its checksum holds;
 * undefined otherwise (missing, other fields, damaged). Only that exact layout is accepted, so the checksum is
 * taken over the payload's text as stored (no re-serialization) and the payload is parsed once, by the caller.
 */
function readChecksummed(file: string, fields: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const head = `{${fields},"payloadSha256":"`;
  const mid = '","payload":';
  const hashEnd = head.length + 64;
  if (!text.startsWith(head) || !text.startsWith(mid, hashEnd) || !text.endsWith("}")) return undefined;
  const sum = text.slice(head.length, hashEnd);
  const payloadText = text.slice(hashEnd + mid.length, -1);
  return /^[0-9a-f]{64}$/.test(sum) && sha256(payloadText) === sum ? payloadText : undefined;
}

function summaryOf(st: SynthStack, resources: readonly ResourceModel[]): StackSummary {
  // Same as lib/gate/normalize/index.ts loadInputs for a synth stack with zonegate context.
  return {
    name: st.name,
    kind: "synth",
    file: resources[0]?.source.file ?? st.file,
    tenant: st.tenant?.id ?? null,
    env: st.context?.env ?? st.tenant?.env,
    resources: resources.length,
  };
}

function hasKnownId(r: ResourceModel): boolean {
  return typeof r.values.id === "string" || typeof r.values.resource_manager_id === "string";
}

/** Gate a whole synthesized estate, reusing the raw findings of unchanged groups. */
export async function runGateIncremental(opts: IncrementalGateOptions): Promise<IncrementalGateRun> {
  const log = opts.onLog ?? (() => undefined);
  const root = path.resolve(opts.root ?? process.cwd());
  const full = async (why: string): Promise<IncrementalGateRun> => {
    log(`gate-cache: not used (${why})`);
    const run = await runGate({
      synth: opts.synth,
      root,
      tenant: opts.tenant,
      waivers: opts.waivers,
      now: opts.now,
      bundle: opts.bundle,
    });
    return { ...run, fallback: why };
  };
  const envDist = process.env.ZONEGATE_POLICY_DIST;
  const bundleOpts: BundleOptions = { ...(envDist ? { dist: envDist } : {}), ...opts.bundle, root };
  const bundle: Bundle = await loadBundle(bundleOpts);
  const waiverFile = opts.waivers ?? path.join(root, "waivers.yaml");
  const waivers = loadWaivers(waiverFile, {
    knownRules: new Set(bundle.catalogue.keys()),
    severities: new Map([...bundle.catalogue].map(([id, r]) => [id, r.severity])),
    bounds: boundsFromData(bundle.data),
    today: todayOf(opts.now),
    required: opts.waivers !== undefined,
    display: displayPath(waiverFile, root),
  });

  const t0 = performance.now();
  checkSynthManifest(opts.synth, root);
  const { files, whole } = findStackFiles(opts.synth);
  if (!whole) return full("not a whole synth directory");
  // The flag's residency overrides platform stacks' region zone (normalize/index.ts): one full evaluation.
  if (opts.tenant) return full("--tenant/--residency given");
  const code = opts.codeHash;
  if (!code) return full("no code hash given");
  const cacheDir = path.resolve(opts.cacheDir ?? path.join(root, ".zonegate-cache", "gate"));
  fs.mkdirSync(cacheDir, { recursive: true });
  // Stacks whose bytes a previous run (same code) parsed are split by their recorded facts and parsed only if
  // their group is evaluated.
  const factsFile = path.join(cacheDir, FACTS_FILE);
  const store = readFacts(factsFile, code);
  const read = files.map((f) =>
    readStackFile(
      f,
      root,
      (sha) => store.facts.get(sha),
      (real, sig) => {
        const r = store.stats.get(real);
        return r && r.sig === sig && trustedSince(sig, store.savedNs) ? r.sha256 : undefined;
      },
    ),
  );
  const all = read.map((r) => r.stack);
  const shaOf = new Map(read.map((r) => [r.stack, r.sha256]));
  // The store is rewritten when what it would hold differs: other contents, or other signatures.
  const facts = new Map(read.map((r) => [r.sha256, stackFacts(r.stack)]));
  const stats = new Map(read.flatMap((r) => (r.stat ? [[r.stat.real, { sig: r.stat.sig, sha256: r.sha256 }]] : [])));
  const same = <V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, eq: (x: V, y: V) => boolean) =>
    a.size === b.size && [...a].every(([k, v]) => b.has(k) && eq(v, b.get(k)!));
  if (
    !same(facts, store.facts, () => true) ||
    !same(stats, store.stats, (x, y) => x.sig === y.sig && x.sha256 === y.sha256)
  )
    try {
      writeFacts(factsFile, code, facts, stats);
    } catch (e) {
      // Only a saving: the verdict does not depend on it (the next run reads and parses every stack again).
      log(`gate-cache: stack facts not saved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  const unitOf = new Map<SynthStack, string>();
  for (const s of all) {
    const u = unitOfStack(s);
    if (!u) return full(`stack ${s.name} carries no zonegate context`);
    unitOf.set(s, u);
  }
  const resolver = new RemoteStateResolver(all);
  const groupOf = groupUnits(all, unitOf, resolver);
  const groups = new Map<string, SynthStack[]>();
  for (const s of all) {
    const g = groupOf.get(unitOf.get(s)!)!;
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  const hints = new Map((opts.units ?? []).map((u) => [u.id, u]));
  const t1 = performance.now();

  const results: GateGroupResult[] = [];
  const payloads = new Map<SynthStack, { summary: StackSummary; resources: SlimResource[] }>();
  const raw: EntryPayload["findings"] = [];
  let evaluateMs = 0;
  // A large group is evaluated on two threads (./parallel.ts); the worker starts before the loop when a group that
  // looks large has no entry, else when the first such group is normalized.
  let workers: EvalWorker[] | undefined;
  const threads = opts.parallel?.threads ?? evalThreads();
  const minResources = opts.parallel?.minResources ?? PARALLEL_MIN_RESOURCES;
  try {
    const keyed = [...groups.values()].map((stacks) => {
      const units = [...new Set(stacks.map((s) => unitOf.get(s)!))].sort();
      const h = createHash("sha256");
      h.update(`${GATE_CACHE_FORMAT}\0wasm=${bundle.manifest.wasmSha256}\0data=${bundle.manifest.dataSha256}\0`);
      h.update(`code=${code}\0root=${root}\0`);
      for (const x of opts.extraKey ?? []) h.update(`extra\0${x}\0`);
      for (const u of units) {
        const hint = hints.get(u);
        const names = stacks.filter((s) => unitOf.get(s) === u).map((s) => s.name);
        // The synth key counts only when the hint describes exactly the stacks gated.
        const synthKey = hint && [...hint.stacks].sort().join("\0") === [...names].sort().join("\0") ? hint.key : "";
        h.update(`unit\0${u}\0${synthKey}\0`);
      }
      for (const s of stacks) h.update(`stack\0${s.name}\0${s.file}\0${shaOf.get(s)}\0`);
      const key = h.digest("hex");
      return { stacks, units, key, file: path.join(cacheDir, `${key}.json`) };
    });
    // A group with no entry and enough stacks to be split: start the worker now, so that it has loaded the
    // policy by the time this thread has read the other entries and normalized the group.
    if (
      threads > 1 &&
      keyed.some((g) => g.stacks.length * LIKELY_RESOURCES_PER_STACK >= minResources && !fs.existsSync(g.file))
    )
      workers = startEvalWorkers(bundle, threads - 1);
    for (const { stacks, units, key, file } of keyed) {
      const names = stacks.map((s) => s.name);
      const entry = readEntry(file, key, units, names);
      let payload: EntryPayload;
      if (entry) {
        payload = entry;
        const now = new Date();
        fs.utimesSync(file, now, now);
      } else {
        const te = performance.now();
        const resources = normalizeStacks(stacks, resolver, root);
        if (resources.some(hasKnownId)) return full("a resource has a known id (rules may join on it across units)");
        if (!workers && threads > 1 && resources.length >= minResources && resources.length <= chunkSize())
          workers = startEvalWorkers(bundle, threads - 1);
        const found = await evaluateParallel(bundle, resources, true, {}, { workers, threads: 1, minResources });
        evaluateMs += performance.now() - te;
        const byStack = new Map<string, ResourceModel[]>(names.map((n) => [n, []]));
        for (const r of resources) byStack.get(r.stack)!.push(r);
        payload = {
          units,
          stacks: stacks.map((s) => ({
            summary: summaryOf(s, byStack.get(s.name)!),
            resources: byStack.get(s.name)!.map(slim),
          })),
          findings: found.map((f) => ({
            rule: f.rule,
            key: resources[f.resource].key,
            message: f.message,
            ...(f.unknown ? { unknown: true } : {}),
          })),
        };
        writeEntry(file, key, payload);
      }
      stacks.forEach((s, i) => payloads.set(s, payload.stacks[i]));
      raw.push(...payload.findings);
      results.push({ units, key, cached: !!entry });
    }
  } finally {
    if (workers) for (const w of workers) void w.close();
  }
  const t2 = performance.now();

  // Assemble in file order (the order normalizeSynth gives), then re-apply waivers/enforcement over the whole.
  const resources: ResourceModel[] = [];
  const stacks: StackSummary[] = [];
  for (const s of all) {
    const p = payloads.get(s)!;
    stacks.push(p.summary);
    for (const r of p.resources) resources.push(unslim(r));
  }
  const index = new Map(resources.map((r, i) => [r.key, i]));
  if (index.size !== resources.length) return full("two stacks define the same resource key");
  const rawFindings: RawFinding[] = raw.map((f) => ({
    rule: f.rule,
    resource: index.get(f.key)!,
    message: f.message,
    ...(f.unknown ? { unknown: true } : {}),
  }));
  const verdict = computeVerdict({
    raw: rawFindings,
    resources,
    complete: true,
    catalogue: bundle.catalogue,
    waivers,
    stacks,
    today: todayOf(opts.now),
    warnings: [],
    bundle: { opaVersion: bundle.manifest.opaVersion, wasmSha256: bundle.manifest.wasmSha256 },
  });
  prune(cacheDir, new Set(results.map((r) => r.key)), opts.pruneDays ?? 7);
  const t3 = performance.now();
  const evaluatedUnits = results.filter((r) => !r.cached).flatMap((r) => r.units);
  const reusedUnits = results.filter((r) => r.cached).flatMap((r) => r.units);
  log(
    `gate-cache: ${results.length} group(s) of ${new Set(unitOf.values()).size} unit(s): ` +
      `${results.filter((r) => !r.cached).length} evaluated, ${results.filter((r) => r.cached).length} cached`,
  );
  return {
    verdict,
    inputs: { resources, complete: true, stacks, warnings: [] },
    cache: {
      groups: results,
      evaluatedUnits,
      reusedUnits,
      timings: { readMs: t1 - t0, evaluateMs, verdictMs: t3 - t2 },
    },
  };
}

function prune(cacheDir: string, used: ReadonlySet<string>, days: number): void {
  const cutoff = Date.now() - days * 86_400_000;
  for (const f of fs.readdirSync(cacheDir)) {
    const p = path.join(cacheDir, f);
    try {
      if (f.includes(".tmp-")) {
        if (fs.statSync(p).mtimeMs < Date.now() - 3_600_000) fs.rmSync(p, { force: true });
        continue;
      }
      if (!f.endsWith(".json") || f === FACTS_FILE || used.has(f.slice(0, -5))) continue;
      if (fs.statSync(p).mtimeMs < cutoff) fs.rmSync(p, { force: true });
    } catch {
      // raced with another run: nothing to do
    }
  }
}
