/**
 * CDKTF synth output (`cdktf.out/stacks/<stack>/cdk.tf.json`) → ResourceModel[].
 *
 * - resources and data sources (mode `data`), construct path from `"//".metadata.path`;
 * - tenant/stack context from the top-level `"//".zonegate` comment;
 * - `${…}` strings become null + an `unknown` path, and their references become `refs`;
 * - `${data.terraform_remote_state.<name>.outputs.<out>}` is resolved through the producing stack's
 *   `output.<out>.value` to the source resource key (`<stack>::<address>`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { zoneOf } from "../../residency";
import type { ResourceModel, StackContext, TenantContext } from "../model";
import { GateError } from "../errors";
import {
  configResource,
  displayPath,
  extractRefs,
  lineLocator,
  normalizeProviderSource,
  providerLocalName,
  reEscape,
  requiredProviders,
  resourceKey,
  walkValues,
} from "./common";
import { checkRegularFile, jsonErrorWhere, readInputBytes, readInputFile, type ReadOptions } from "./limits";
import { rememberKnownDigest, settledDigest } from "../../fs/digest";
import { statSignature } from "../../fs/stat-sig";
import { sha256 } from "../../hash";

type Json = Record<string, unknown>;

/** CDKTF names the remote-state data source of a cross-stack reference after the producing stack. */
export const REMOTE_STATE_PREFIX = "cross-stack-reference-input-";

export interface SynthStack {
  readonly name: string;
  readonly file: string;
  readonly doc: Json;
  readonly text: string;
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  /** True when the stack carries a `"//".zonegate` comment. */
  readonly hasZonegateContext: boolean;
}

/**
 * What splitting an estate into groups needs of a stack file (lib/gate/incremental.ts) — a function of the file's
 * bytes alone, so a previous run's facts for the same bytes stand in for parsing them again ({@link readStackFile}).
 */
export interface StackFacts {
  /** The name the file declares (`"//".zonegate.stack`, else `"//".metadata.stackName`); null: its directory's. */
  readonly declaredName: string | null;
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  readonly hasZonegateContext: boolean;
  /** Where its backend keeps its state (the backend's key, path or prefix). */
  readonly backend: string | null;
  /** Its `terraform_remote_state` data sources: [name, the state location its config reads (null: none)]. */
  readonly remoteState: readonly (readonly [string, string | null])[];
  /** Every `terraform_remote_state.<name>` its text mentions. */
  readonly mentions: readonly string[];
}

/** Facts of stacks read without parsing (given), or computed once from their document. */
const factsOf = new WeakMap<SynthStack, StackFacts>();

/** The {@link StackFacts} of a stack. */
export function stackFacts(s: SynthStack): StackFacts {
  let f = factsOf.get(s);
  if (f) return f;
  const sources = ((s.doc.data as Json | undefined)?.terraform_remote_state ?? {}) as Json;
  f = {
    declaredName: declaredName(s.doc),
    tenant: s.tenant,
    ...(s.context ? { context: s.context } : {}),
    hasZonegateContext: s.hasZonegateContext,
    backend: backendLocation(s.doc) ?? null,
    remoteState: Object.keys(sources).map((name) => {
      const loc = stateLocation(((sources[name] as Json | undefined)?.config ?? {}) as Json);
      return [name, typeof loc === "string" ? loc : null] as const;
    }),
    mentions: [...new Set([...s.text.matchAll(REMOTE_STATE_MENTION)].map((m) => m[1]))],
  };
  factsOf.set(s, f);
  return f;
}

const REMOTE_STATE_MENTION = /terraform_remote_state\.([^.\s"'}[\]()]+)/g;

/** What {@link readStackFile} knows of a file it read, or did not need to read. */
export interface StackRead {
  readonly stack: SynthStack;
  readonly sha256: string;
  /** The file's real path and its stat signature (lib/fs/stat-sig.ts) when it is known to hold these bytes. */
  readonly stat?: { readonly real: string; readonly sig: string };
}

/**
 * Read a stack file. When `known` gives facts for the sha256 of its bytes (a previous run parsed the same bytes),
 * the file is not parsed until its document or text is used — splitting an estate needs only the facts. When
 * `trusted` vouches for its content by its stat signature (lib/fs/stat-sig.ts: inode, size, mtime and ctime as
 * recorded right after it was hashed) and facts are known for that content, it is not even read until then — and
 * then its bytes must have that sha256, or the gate refuses the stack as changed while being gated.
 */
export function readStackFile(
  file: string,
  root: string,
  known?: (sha256: string) => StackFacts | undefined,
  trusted?: (real: string, sig: string) => string | undefined,
): StackRead {
  const opts = stackReadOptions(file, root);
  // Regular file, inside its directory, within the cap — checked whether or not it is read (readInputBytes checks
  // again when it reads).
  const real = trusted ? checkRegularFile(file, opts).real : "";
  const sigOf = () => {
    try {
      return statSignature(fs.statSync(real, { bigint: true }));
    } catch {
      return undefined; // read below, which reports why
    }
  };
  const before = trusted ? sigOf() : undefined;
  const vouched = before ? trusted!(real, before) : undefined;
  const vouchedFacts = vouched ? known?.(vouched) : undefined;
  if (vouched && vouchedFacts) {
    rememberKnownDigest(file, vouched);
    const sha = vouched;
    const text = () => {
      const bytes = readInputBytes(file, opts);
      if (sha256(bytes) !== sha)
        throw new GateError(`${opts.display}: stack file changed while being gated; run the gate again`);
      return bytes.toString("utf8");
    };
    return { stack: lazyStack(file, root, vouchedFacts, text), sha256: sha, stat: { real, sig: before! } };
  }
  const bytes = readInputBytes(file, opts);
  // The digest of these bytes was taken as they were read (lib/fs/digest.ts; in place for a small file).
  const sha = settledDigest(file) ?? sha256(bytes);
  // The signature stands for these bytes only if nothing changed the file while it was read.
  const after = before === undefined ? undefined : sigOf();
  const stat = before !== undefined && after === before ? { real, sig: before } : undefined;
  const facts = known?.(sha);
  const stack = facts
    ? lazyStack(file, root, facts, () => bytes.toString("utf8"))
    : parseStack(file, root, bytes.toString("utf8"));
  return { stack, sha256: sha, ...(stat ? { stat } : {}) };
}

/** A stack known by its facts, its text (and document) produced by `text` when first used. */
function lazyStack(file: string, root: string, facts: StackFacts, text: () => string): SynthStack {
  let parsed: SynthStack | undefined;
  const full = () => (parsed ??= parseStack(file, root, text()));
  const stack: SynthStack = {
    name: facts.declaredName ?? path.basename(path.dirname(file)),
    file,
    get doc() {
      return full().doc;
    },
    get text() {
      return full().text;
    },
    tenant: facts.tenant,
    ...(facts.context ? { context: facts.context } : {}),
    hasZonegateContext: facts.hasZonegateContext,
  };
  factsOf.set(stack, facts);
  return stack;
}

function stackReadOptions(file: string, root: string): ReadOptions {
  // Regular files only, within the size cap (a FIFO or device named cdk.tf.json never blocks the gate).
  return {
    display: displayPath(file, root),
    what: "stack file",
    kind: "synth-file",
    within: path.dirname(path.dirname(path.resolve(file))),
  };
}

export interface SynthResult {
  readonly resources: ResourceModel[];
  readonly stacks: SynthStack[];
  /** True when every stack of a whole cdktf.out was normalized (no stack filter). */
  readonly complete: boolean;
}

export interface SynthOptions {
  /** Keep only stacks for which this returns true (the input is then partial). */
  readonly stackFilter?: (name: string) => boolean;
  /** Repo root for display paths (default cwd). */
  readonly root?: string;
}

/** Stack files under a synth directory: `<dir>/stacks/*\/cdk.tf.json`, `<dir>/*\/cdk.tf.json` or `<dir>/cdk.tf.json`. */
export function findStackFiles(dir: string): { files: string[]; whole: boolean } {
  if (!fs.existsSync(dir)) throw new GateError(`synth directory not found: ${dir} (run \`zonegate synth\` first)`);
  if (fs.statSync(dir).isFile()) return { files: [dir], whole: false };
  const single = path.join(dir, "cdk.tf.json");
  if (fs.existsSync(single)) return { files: [single], whole: false };
  const stacksDir = fs.existsSync(path.join(dir, "stacks")) ? path.join(dir, "stacks") : dir;
  const files = fs
    .readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(stacksDir, d.name, "cdk.tf.json")))
    .map((d) => path.join(stacksDir, d.name, "cdk.tf.json"))
    .sort();
  if (files.length === 0) throw new GateError(`no cdk.tf.json stacks under ${dir} (run \`zonegate synth\` first)`);
  return { files, whole: true };
}

/** Read and parse one stack file (with its zonegate context). */
export function readStack(file: string, root: string): SynthStack {
  return parseStack(file, root, readInputFile(file, stackReadOptions(file, root)));
}

function parseStack(file: string, root: string, text: string): SynthStack {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    throw new GateError(
      `${displayPath(file, root)}${jsonErrorWhere(text, e as Error)}: not valid JSON (${(e as Error).message})`,
    );
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new GateError(`${displayPath(file, root)}: not a CDKTF stack (expected a JSON object)`);
  }
  const zg = ((doc["//"] ?? {}) as Json).zonegate as Json | undefined;
  const name = declaredName(doc) ?? path.basename(path.dirname(file));
  let tenant: TenantContext | null = null;
  let context: StackContext | undefined;
  if (zg) {
    const t = zg.tenant as Json | null | undefined;
    if (t && typeof t === "object") {
      tenant = {
        id: String(t.id),
        tier: t.tier as TenantContext["tier"],
        residency: String(t.residency),
        compliance: (Array.isArray(t.compliance) ? t.compliance : []) as TenantContext["compliance"],
        env: (t.env ?? zg.env) as TenantContext["env"],
      };
    }
    context = {
      layer: zg.layer as string | undefined,
      env: zg.env as string | undefined,
      region: zg.region as string | undefined,
      backendKey: zg.backendKey as string | undefined,
      ...(zg.platform === true ? { platform: true } : {}),
      ...(Array.isArray(zg.tenants) ? { tenants: zg.tenants.map(String) } : {}),
    };
    // A stack without a tenant (the shared platform cluster) holds tenant data of its region: its residency
    // zone is the region's (zones never overlap: lib/residency.ts refuses a region in two zones).
    const zone =
      !tenant && typeof zg.region === "string" ? zoneOf(zg.region.toLowerCase().replace(/[\s-]/g, "")) : undefined;
    if (zone) context = { ...context, residency: zone };
  }
  return { name, file, doc, text, tenant, context, hasZonegateContext: !!zg };
}

/** The name a stack document declares (`"//".zonegate.stack`, else `"//".metadata.stackName`); null: none. */
function declaredName(doc: Json): string | null {
  const comment = (doc["//"] ?? {}) as Json;
  const declared = (comment.zonegate as Json | undefined)?.stack ?? ((comment.metadata ?? {}) as Json).stackName;
  return declared === undefined || declared === null ? null : String(declared);
}

/** Where a backend or a remote-state data source's config keeps the state: its key, path or prefix. */
function stateLocation(cfg: Json): unknown {
  return cfg.key ?? cfg.path ?? cfg.prefix;
}

function backendLocation(doc: Json): string | undefined {
  const backend = ((doc.terraform as Json | undefined)?.backend ?? {}) as Json;
  for (const cfg of Object.values(backend)) {
    const loc = stateLocation(cfg as Json);
    if (typeof loc === "string") return loc;
  }
  return undefined;
}

/** Resolves cross-stack (remote state) references to source resource keys. */
export class RemoteStateResolver {
  private readonly byName = new Map<string, SynthStack>();
  private readonly byBackend = new Map<string, SynthStack>();
  constructor(stacks: readonly SynthStack[]) {
    for (const s of stacks) {
      this.byName.set(s.name, s);
      const loc = stackFacts(s).backend;
      if (loc) this.byBackend.set(loc, s);
    }
  }

  /** Keys of the resources behind `data.terraform_remote_state.<name>.outputs.<output>` as seen from `from`. */
  resolve(from: SynthStack, name: string, output: string, depth = 0): string[] {
    if (depth > 10) return [];
    const producer = this.producer(from, name);
    if (!producer || !output) return [];
    const out = ((producer.doc.output ?? {}) as Json)[output] as Json | undefined;
    if (!out) return [];
    const keys: string[] = [];
    for (const expr of collectStrings(out.value)) {
      const refs = extractRefs(expr);
      for (const r of refs.resources) keys.push(`${producer.name}::${r}`);
      for (const rs of refs.remoteState) keys.push(...this.resolve(producer, rs.name, rs.output, depth + 1));
    }
    return [...new Set(keys)];
  }

  /**
   * Every stack `from` can reach through remote state: its declared `terraform_remote_state` data sources
   * and any `terraform_remote_state.<name>` its text mentions (an over-approximation of what {@link resolve}
   * follows, so callers that split an estate never separate a stack from a producer).
   */
  producersOf(from: SynthStack): SynthStack[] {
    const f = stackFacts(from);
    const names = new Set([...f.remoteState.map(([name]) => name), ...f.mentions]);
    const out = new Set<SynthStack>();
    for (const n of names) {
      const p = this.producer(from, n);
      if (p && p !== from) out.add(p);
    }
    return [...out];
  }

  private producer(from: SynthStack, name: string): SynthStack | undefined {
    if (name.startsWith(REMOTE_STATE_PREFIX)) {
      const s = this.byName.get(name.slice(REMOTE_STATE_PREFIX.length));
      if (s) return s;
    }
    const loc = stackFacts(from).remoteState.find(([n]) => n === name)?.[1];
    return typeof loc === "string" ? this.byBackend.get(loc) : undefined;
  }
}

function collectStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => collectStrings(x, out));
  return out;
}

/** Line of `"<name>": {` after `"<type>": {` inside the given section of a CDKTF JSON text. */
function lineFinder(text: string): (section: string, type: string, name: string) => number | undefined {
  const sections = new Map<string, number>();
  const lineAt = lineLocator(text);
  return (section, type, name) => {
    let sec = sections.get(section);
    if (sec === undefined) {
      sec = text.search(new RegExp(`^  "${reEscape(section)}": \\{`, "m"));
      sections.set(section, sec);
    }
    const from = sec >= 0 ? sec : 0;
    const t = text.indexOf(`"${type}": {`, from);
    if (t < 0) return undefined;
    const n = text.indexOf(`"${name}": {`, t);
    return n < 0 ? undefined : lineAt(n);
  };
}

/** Paths whose `${…}` expression the effective stage may evaluate (kept on the model; never sent to the policy). */
const EVALUATED_EXPRESSION = /^expiration_date$/;

function normalizeStack(stack: SynthStack, resolver: RemoteStateResolver, root: string): ResourceModel[] {
  const out: ResourceModel[] = [];
  const file = displayPath(stack.file, root);
  const findLine = lineFinder(stack.text);
  const sections: ["resource" | "data", "managed" | "data"][] = [
    ["resource", "managed"],
    ["data", "data"],
  ];
  const providers = requiredProviders(stack.doc.terraform);
  for (const [section, mode] of sections) {
    const byType = (stack.doc[section] ?? {}) as Record<string, Record<string, Json>>;
    for (const [type, byName] of Object.entries(byType)) {
      if (mode === "data" && type === "terraform_remote_state") continue; // plumbing, not a resource
      for (const [name, raw] of Object.entries(byName ?? {})) {
        if (!raw || typeof raw !== "object") continue;
        const { values, unknown, expressions } = walkValues(raw);
        const refs: Record<string, string[]> = {};
        for (const [p, exprs] of expressions) {
          const keys = new Set<string>();
          for (const e of exprs) {
            const x = extractRefs(e);
            for (const r of x.resources) keys.add(resourceKey(stack.name, r));
            for (const rs of x.remoteState) for (const k of resolver.resolve(stack, rs.name, rs.output)) keys.add(k);
          }
          if (keys.size > 0) refs[p] = [...keys];
        }
        const meta = ((raw["//"] as Json | undefined)?.metadata ?? {}) as Json;
        const line = findLine(section, type, name);
        const model = configResource({
          stack: stack.name,
          mode,
          type,
          name,
          values,
          unknown,
          refs,
          source: {
            kind: "synth",
            file,
            ...(typeof meta.path === "string" ? { constructPath: meta.path } : {}),
            ...(line ? { line } : {}),
          },
          tenant: stack.tenant,
          context: stack.context,
          providerSource: (() => {
            const local = providerLocalName(type, raw.provider);
            return providers.get(local) ?? normalizeProviderSource(local);
          })(),
        });
        // Plan-time date expressions, for the effective stage (lib/gate/effective/time.ts evaluates timeadd).
        const exprs = [...expressions].filter(([p, es]) => es.length === 1 && EVALUATED_EXPRESSION.test(p));
        out.push(
          exprs.length ? { ...model, expressions: Object.fromEntries(exprs.map(([p, es]) => [p, es[0]])) } : model,
        );
      }
    }
  }
  return out;
}

/**
 * Normalize some stacks of an estate; references resolve over `all` (so the result for a stack equals the
 * one {@link normalizeSynth} gives for it over the whole directory).
 */
export function normalizeStacks(
  selected: readonly SynthStack[],
  resolver: RemoteStateResolver,
  root: string,
): ResourceModel[] {
  return selected.flatMap((s) => normalizeStack(s, resolver, root));
}

/** Normalize a cdktf.out directory (or one stack directory / cdk.tf.json). */
export function normalizeSynth(dir: string, opts: SynthOptions = {}): SynthResult {
  const root = opts.root ?? process.cwd();
  const { files, whole } = findStackFiles(dir);
  const all = files.map((f) => readStack(f, root));
  const resolver = new RemoteStateResolver(all);
  const selected = opts.stackFilter ? all.filter((s) => opts.stackFilter!(s.name)) : all;
  const resources = selected.flatMap((s) => normalizeStack(s, resolver, root));
  return { resources, stacks: selected, complete: whole && selected.length === all.length };
}
