/**
 * Verifying the policy bundle's OPA signature (`policies/dist/.signatures.json`, written by `opa sign --bundle`
 * in scripts/build-policies.ts) without the OPA CLI: the JWT's RS256/PS256/ES256 signature against the
 * verification key, then every file of the bundle directory against the signed file list — nothing missing,
 * nothing extra, every hash equal. File hashes follow OPA's bundle hasher (v1/bundle/hash.go): raw SHA-256 for
 * files OPA reads as opaque (.wasm, .rego, any other file such as manifest.json), and for the structured
 * bundle files (`data.json`, `.manifest`) a SHA-256 over the parsed value written canonically
 * (objects with keys in byte order, no whitespace, Go's JSON encoding of strings and numbers, no HTML escaping).
 *
 * Editing the manifest (catalogue, enforcement levels), the data or the Wasm after the build — even with the
 * manifest's own hashes updated — breaks the signature: the gate refuses with exit 2.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GateError } from "./errors";
import { PKG_ROOT } from "../pkg-root";

export const SIGNATURES_FILE = ".signatures.json";
const MAX_SIGNATURES_BYTES = 64 * 1024;

/**
 * The trust anchor: ZG_BUNDLE_VERIFICATION_KEY, else the verification key shipped with this zonegate package
 * (the public half of the committed TEST signing key, policies/keys/README.md) — never a key taken from the
 * directory being gated.
 */
export function defaultVerificationKeyFile(): string {
  return process.env.ZG_BUNDLE_VERIFICATION_KEY || path.join(PKG_ROOT, "policies", "keys", "bundle-verification.pem");
}

function b64url(s: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("not base64url");
  return Buffer.from(s, "base64url");
}

function goString(s: string): string {
  // JSON.stringify escapes what Go does, except U+2028/U+2029 (Go always escapes them).
  return JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** OPA's canonical form of a JSON value for hashing (hash.go `walk`). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort(byteOrder)
      .map((k) => `${goString(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  if (typeof v === "string") return goString(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error("non-finite number");
    return JSON.stringify(v);
  }
  return JSON.stringify(v);
}

/** The hash OPA signs for a bundle file. */
export function opaFileHash(name: string, bytes: Buffer): string {
  const h = createHash("sha256");
  if (name === "data.json" || name === ".manifest") {
    let v: unknown;
    try {
      v = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw new GateError(`policy bundle is corrupt: ${name} is not JSON`);
    }
    h.update(canonicalJson(v), "utf8");
  } else h.update(bytes);
  return h.digest("hex");
}

const ALGS: Record<string, { hash: string; pss?: boolean; ec?: boolean }> = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  PS256: { hash: "sha256", pss: true },
  ES256: { hash: "sha256", ec: true },
};

function loadKey(file: string): KeyObject {
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch {
    throw new GateError(
      `policy bundle cannot be verified: verification key ${file} not found (ZG_BUNDLE_VERIFICATION_KEY)`,
    );
  }
  try {
    return createPublicKey(pem);
  } catch {
    throw new GateError(`policy bundle cannot be verified: ${file} is not a PEM public key`);
  }
}

export interface SignatureCheck {
  readonly keyid?: string;
  readonly files: readonly string[];
}

/** Verify `<dist>/.signatures.json` (exit 2 on any doubt); `shown` names the directory in messages. */
export function verifyBundleSignature(dist: string, keyFile: string, shown: string): SignatureCheck {
  const sigFile = path.join(dist, SIGNATURES_FILE);
  const bad = (m: string): never => {
    throw new GateError(`policy bundle signature check failed: ${m}; rebuild with \`npm run policies:build\``);
  };
  let st: fs.Stats;
  try {
    st = fs.lstatSync(sigFile);
  } catch {
    return bad(`${shown}/${SIGNATURES_FILE} is missing (the bundle is unsigned)`);
  }
  if (!st.isFile() || st.size > MAX_SIGNATURES_BYTES) bad(`${shown}/${SIGNATURES_FILE} is not a small regular file`);
  let doc: { signatures?: unknown };
  try {
    doc = JSON.parse(fs.readFileSync(sigFile, "utf8")) as { signatures?: unknown };
  } catch {
    return bad(`${shown}/${SIGNATURES_FILE} is not JSON`);
  }
  const sigs = doc?.signatures;
  if (!Array.isArray(sigs) || sigs.length !== 1 || typeof sigs[0] !== "string")
    bad(`${shown}/${SIGNATURES_FILE} must hold exactly one signature`);
  const parts = (sigs as string[])[0].split(".");
  if (parts.length !== 3) bad("the signature is not a JWT");
  let header: { alg?: string; kid?: string };
  let payload: { files?: unknown; keyid?: string };
  let signature: Buffer;
  try {
    header = JSON.parse(b64url(parts[0]).toString("utf8")) as typeof header;
    payload = JSON.parse(b64url(parts[1]).toString("utf8")) as typeof payload;
    signature = b64url(parts[2]);
  } catch {
    return bad("the signature JWT is malformed");
  }
  const alg = ALGS[String(header.alg)];
  if (!alg) bad(`signature algorithm ${String(header.alg)} is not accepted`);
  const key = loadKey(keyFile);
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, "ascii");
  let ok = false;
  try {
    ok = verify(
      alg!.hash,
      signed,
      alg!.ec
        ? { key, dsaEncoding: "ieee-p1363" }
        : alg!.pss
          ? { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
          : key,
      signature!,
    );
  } catch {
    ok = false;
  }
  if (!ok)
    bad(
      `the signature does not verify with ${path.basename(keyFile)} (the bundle was edited or signed with another key)`,
    );
  const files = payload!.files;
  if (!Array.isArray(files) || files.length === 0) return bad("the signature lists no files");
  const signedFiles = new Map<string, string>();
  for (const f of files as { name?: unknown; hash?: unknown; algorithm?: unknown }[]) {
    if (!f || typeof f.name !== "string" || typeof f.hash !== "string") bad("a signed file entry is malformed");
    if (f.algorithm !== "SHA-256") bad(`hash algorithm ${String(f.algorithm)} is not accepted`);
    const name = (f.name as string).replace(/^\.\//, "");
    if (name.includes("..") || name.startsWith("/") || name.includes("/"))
      bad(`signed file name ${name} is not a file of the bundle directory`);
    signedFiles.set(name, f.hash as string);
  }
  const present = fs
    .readdirSync(dist, { withFileTypes: true })
    .filter((e) => e.name !== SIGNATURES_FILE)
    .map((e) => {
      if (!e.isFile()) bad(`${shown}/${e.name} is not a regular file`);
      return e.name;
    });
  for (const name of present) {
    const want = signedFiles.get(name);
    if (want === undefined) bad(`${shown}/${name} is not covered by the signature`);
    const got = opaFileHash(name, fs.readFileSync(path.join(dist, name)));
    if (got !== want) bad(`${shown}/${name} was changed after it was signed`);
  }
  for (const name of signedFiles.keys()) if (!present.includes(name)) bad(`${shown}/${name} is signed but missing`);
  return { keyid: header.kid ?? payload!.keyid, files: [...signedFiles.keys()] };
}
