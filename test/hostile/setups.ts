/**
 * Setup hooks named by `case.json` "setup": each prepares what a committed fixture cannot hold (FIFOs,
 * devices, huge files, tampered copies of the signed policy bundle, file names with control characters)
 * in a fresh temp directory, and returns `{tmp}`-style variables and environment for the run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "./harness";

export interface SetupResult {
  readonly env?: Record<string, string>;
}

type Setup = (caseDir: string, tmp: string) => SetupResult;

const OPA = path.join(REPO, ".tools", "bin", "opa");
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

function mkfifo(p: string): void {
  const r = spawnSync("mkfifo", [p]);
  if (r.status !== 0) throw new Error(`mkfifo ${p} failed`);
}

/** A copy of the real signed bundle in `<tmp>/dist`, used through ZONEGATE_POLICY_DIST. */
function distCopy(tmp: string): { dist: string; env: Record<string, string> } {
  const dist = path.join(tmp, "dist");
  fs.cpSync(path.join(REPO, "policies", "dist"), dist, { recursive: true });
  return { dist, env: { ZONEGATE_POLICY_DIST: dist } };
}

function editManifest(dist: string, f: (m: Record<string, unknown>) => void): void {
  const file = path.join(dist, "manifest.json");
  const m = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  f(m);
  fs.writeFileSync(file, JSON.stringify(m, null, 2) + "\n");
}

function jwtParts(dist: string): string[] {
  return (JSON.parse(fs.readFileSync(path.join(dist, ".signatures.json"), "utf8")).signatures[0] as string).split(".");
}

function writeSig(dist: string, sigs: string[]): void {
  fs.writeFileSync(path.join(dist, ".signatures.json"), JSON.stringify({ signatures: sigs, plugin: "_default" }));
}

function otherKeyPair(tmp: string): { priv: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const priv = path.join(tmp, "other-key.pem");
  const pub = path.join(tmp, "other-pub.pem");
  fs.writeFileSync(priv, privateKey.export({ type: "pkcs8", format: "pem" }));
  fs.writeFileSync(pub, publicKey.export({ type: "spki", format: "pem" }));
  return { priv, pub };
}

function opaSign(dist: string, key: string, tmp: string): void {
  fs.rmSync(path.join(dist, ".signatures.json"), { force: true });
  const out = fs.mkdtempSync(path.join(tmp, "sig-"));
  execFileSync(OPA, ["sign", ".", "--bundle", "--signing-key", key, "-o", out], { cwd: dist, stdio: "pipe" });
  fs.copyFileSync(path.join(out, ".signatures.json"), path.join(dist, ".signatures.json"));
}

/** `<tmp>/tenants` holding one valid tenant (the example alpenpay.yaml). */
function tenantsDir(tmp: string): string {
  const dir = path.join(tmp, "tenants");
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(REPO, "tenants", "alpenpay.yaml"), path.join(dir, "alpenpay.yaml"));
  return dir;
}

export const SETUPS: Record<string, Setup> = {
  // --- waiver files that are not small regular files
  "fifo-waiver": (_c, tmp) => (mkfifo(path.join(tmp, "waivers.yaml")), {}),
  "dir-waiver": (_c, tmp) => (fs.mkdirSync(path.join(tmp, "waivers.yaml")), {}),
  "big-waiver": (_c, tmp) => {
    const item = `- rule: ZG-KV-001\n  address: "a::b"\n  tenant: adhoc\n  reason: ${"x".repeat(200)}\n  approver: a@b.c\n  expires: 2000-01-01\n`;
    fs.writeFileSync(path.join(tmp, "waivers.yaml"), item.repeat(Math.ceil((1100 * 1024) / item.length)));
    return {};
  },
  "symlink-dev-zero-waiver": (_c, tmp) => (fs.symlinkSync("/dev/zero", path.join(tmp, "waivers.yaml")), {}),
  "many-waivers": (_c, tmp) => {
    const item = `- {rule: ZG-KV-001, address: "a::b", tenant: adhoc, reason: r, approver: a, expires: 2000-01-01}\n`;
    fs.writeFileSync(path.join(tmp, "waivers.yaml"), item.repeat(10_001));
    return {};
  },
  // --- synth output whose manifest is not a regular file
  "fifo-manifest": (caseDir, tmp) => {
    fs.cpSync(path.join(caseDir, "cdktf.out"), path.join(tmp, "cdktf.out"), { recursive: true });
    fs.rmSync(path.join(tmp, "cdktf.out", "manifest.json"), { force: true });
    mkfifo(path.join(tmp, "cdktf.out", "manifest.json"));
    return {};
  },
  // --- tampered copies of the signed policy bundle
  "bundle-manifest-advisory": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    editManifest(dist, (m) => {
      for (const r of m.rules as Record<string, unknown>[]) r.enforcement = "advisory";
    });
    return { env };
  },
  "bundle-catalogue-rule-removed": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    editManifest(dist, (m) => {
      m.rules = (m.rules as { id: string }[]).filter((r) => r.id !== "ZG-KV-001");
    });
    return { env };
  },
  "bundle-data-rehashed": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const file = path.join(dist, "data.json");
    const data = JSON.parse(fs.readFileSync(file, "utf8"));
    data.residency.zones.eu.regions.push("eastus");
    const text = JSON.stringify(data);
    fs.writeFileSync(file, text);
    editManifest(dist, (m) => (m.dataSha256 = sha(text)));
    return { env };
  },
  "bundle-waiver-bounds-relaxed": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const file = path.join(dist, "data.json");
    const data = JSON.parse(fs.readFileSync(file, "utf8"));
    data.waiver_bounds = { max_horizon_days: 3660, scope: "any" };
    const text = JSON.stringify(data);
    fs.writeFileSync(file, text);
    editManifest(dist, (m) => (m.dataSha256 = sha(text)));
    return { env };
  },
  "bundle-wasm-swapped": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const file = path.join(dist, "policy.wasm");
    const buf = fs.readFileSync(file);
    buf[buf.length - 20] ^= 0x01;
    fs.writeFileSync(file, buf);
    editManifest(dist, (m) => (m.wasmSha256 = sha(buf)));
    return { env };
  },
  "bundle-unsigned": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    fs.rmSync(path.join(dist, ".signatures.json"));
    return { env };
  },
  "bundle-other-key": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    editManifest(dist, (m) => {
      for (const r of m.rules as Record<string, unknown>[]) r.enforcement = "advisory";
    });
    opaSign(dist, otherKeyPair(tmp).priv, tmp);
    return { env };
  },
  "bundle-extra-file": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    fs.writeFileSync(path.join(dist, "override.json"), "{}");
    return { env };
  },
  "bundle-signed-file-missing": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    fs.rmSync(path.join(dist, "data.json"));
    return { env };
  },
  "bundle-alg-none": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const [, payload] = jwtParts(dist);
    writeSig(dist, [`${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`]);
    return { env };
  },
  "bundle-alg-hs256": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const [, payload, sig] = jwtParts(dist);
    writeSig(dist, [`${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url")}.${payload}.${sig}`]);
    return { env };
  },
  "bundle-jwt-malformed": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const [h, p] = jwtParts(dist);
    writeSig(dist, [`${h}.${p}`]);
    return { env };
  },
  "bundle-two-signatures": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    const s = jwtParts(dist).join(".");
    writeSig(dist, [s, s]);
    return { env };
  },
  "bundle-payload-swapped": (_c, tmp) => {
    // A valid signature's payload replaced by one listing the tampered files: the signature no longer verifies.
    const { dist, env } = distCopy(tmp);
    const [h, p, s] = jwtParts(dist);
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    const buf = fs.readFileSync(path.join(dist, "policy.wasm"));
    buf[100] ^= 0x01;
    fs.writeFileSync(path.join(dist, "policy.wasm"), buf);
    for (const f of payload.files) if (f.name === "policy.wasm") f.hash = sha(buf);
    writeSig(dist, [`${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`]);
    return { env };
  },
  "bundle-sig-dir": (_c, tmp) => {
    const { dist, env } = distCopy(tmp);
    fs.rmSync(path.join(dist, ".signatures.json"));
    fs.mkdirSync(path.join(dist, ".signatures.json"));
    return { env };
  },
  "bundle-prod-key": (_c, tmp) => {
    // Production verification key configured: the committed test-key signature is refused.
    const { env } = distCopy(tmp);
    return { env: { ...env, ZG_BUNDLE_VERIFICATION_KEY: otherKeyPair(tmp).pub } };
  },
  "bundle-verification-key-missing": (_c, tmp) => ({
    env: { ...distCopy(tmp).env, ZG_BUNDLE_VERIFICATION_KEY: path.join(tmp, "missing.pem") },
  }),
  "bundle-verification-key-garbage": (_c, tmp) => {
    const k = path.join(tmp, "garbage.pem");
    fs.writeFileSync(k, "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
    return { env: { ...distCopy(tmp).env, ZG_BUNDLE_VERIFICATION_KEY: k } };
  },
  "bundle-missing": (_c, tmp) => ({ env: { ZONEGATE_POLICY_DIST: path.join(tmp, "nowhere") } }),
  // --- tenants directories that need the file system
  "fifo-tenant": (_c, tmp) => (mkfifo(path.join(tenantsDir(tmp), "zz-pipe.yaml")), {}),
  "ctrl-tenant-name": (_c, tmp) => {
    fs.writeFileSync(path.join(tenantsDir(tmp), "evil\u001b[2J\u001b[32mPASS\r.yaml"), "id: x\n");
    return {};
  },
  "bidi-tenant-name": (_c, tmp) => {
    fs.writeFileSync(path.join(tenantsDir(tmp), "acme\u202elmay.yaml"), "id: x\n");
    return {};
  },
  // --- outputs that cannot be written
  "out-is-file": (_c, tmp) => (fs.writeFileSync(path.join(tmp, "out"), "a file, not a directory"), {}),
  "summary-is-dir": (_c, tmp) => (
    fs.mkdirSync(path.join(tmp, "summary")),
    { env: { GITHUB_STEP_SUMMARY: path.join(tmp, "summary") } }
  ),
};
