/**
 * Tiny Terraform estates for the saved-plan tests: hand-written `cdk.tf.json` stacks laid out like
 * `cdktf.out` (`<out>/stacks/<stack>/cdk.tf.json`, local state in `<out>/state/`), using only the built-in
 * `terraform_data` resource and `terraform_remote_state` data source (no provider download), plus a test
 * policy bundle (one rule on terraform_data) built with the pinned OPA CLI.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { OPA, sha256, signDist, tmpDir } from "../gate/helpers";

export const TERRAFORM = process.env.TERRAFORM_BINARY_NAME || "terraform";
/** Terraform warns about a missing CLI config file in this environment; point it at nothing. */
export const TF_ENV = { TF_CLI_CONFIG_FILE: "/dev/null" };

export function terraformAvailable(): boolean {
  try {
    execFileSync(TERRAFORM, ["version"], { stdio: "pipe", env: { ...process.env, ...TF_ENV } });
    return true;
  } catch {
    return false;
  }
}

export interface TinyStack {
  readonly name: string;
  /** Stacks whose output `v` this one reads through remote state. */
  readonly deps?: readonly string[];
  /** terraform_data input (default `<name>-value`; with deps: the deps' outputs joined). */
  readonly input?: string;
  /** Make the apply fail (a postcondition on the unknown-until-apply output). */
  readonly failOnApply?: boolean;
}

export const ACME = { id: "acme", tier: "premium", residency: "eu", compliance: ["pci-dss-4.0"], env: "prod" };

export function writeStack(out: string, s: TinyStack): string {
  const dir = path.join(out, "stacks", s.name);
  fs.mkdirSync(dir, { recursive: true });
  const deps = s.deps ?? [];
  const remote = Object.fromEntries(
    deps.map((d) => [
      `cross-stack-reference-input-${d}`,
      { backend: "local", config: { path: `../../state/${d}.tfstate` } },
    ]),
  );
  const input =
    s.input ??
    (deps.length
      ? deps.map((d) => `\${data.terraform_remote_state.cross-stack-reference-input-${d}.outputs.v}`).join("+")
      : `${s.name}-value`);
  const doc: Record<string, unknown> = {
    "//": {
      zonegate: {
        stack: s.name,
        layer: "foundation",
        env: "prod",
        region: "westeurope",
        backendKey: `${s.name}.tfstate`,
        tenant: ACME,
      },
    },
    terraform: { backend: { local: { path: `../../state/${s.name}.tfstate` } } },
    resource: {
      terraform_data: {
        x: {
          input,
          ...(s.failOnApply
            ? {
                lifecycle: {
                  postcondition: [{ condition: '${self.output == "never"}', error_message: "apply-time failure" }],
                },
              }
            : {}),
        },
      },
    },
    output: { v: { value: "${terraform_data.x.output}" } },
  };
  if (deps.length) doc.data = { terraform_remote_state: remote };
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(doc, null, 2));
  return dir;
}

/** A cdktf.out-like directory with the given stacks (and a manifest listing their dependencies). */
export function tinyEstate(stacks: readonly TinyStack[], root = tmpDir("zg-tf-")): string {
  const out = path.join(root, "cdktf.out");
  for (const s of stacks) writeStack(out, s);
  fs.mkdirSync(path.join(out, "state"), { recursive: true });
  const manifest = {
    version: "0.21.0",
    stacks: Object.fromEntries(
      stacks.map((s) => [
        s.name,
        { name: s.name, workingDirectory: `stacks/${s.name}`, dependencies: [...(s.deps ?? [])] },
      ]),
    ),
  };
  fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
  return out;
}

export function stateOf(
  out: string,
  stack: string,
): { outputs?: Record<string, { value: unknown }>; resources?: unknown[] } | undefined {
  const f = path.join(out, "state", `${stack}.tfstate`);
  return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : undefined;
}

const TD_POLICY = path.join(__dirname, "fixtures", "td-policy");
let builtTd: string | undefined;

/** The test bundle (rule ZT-TD-001) in `<root>/dist`, with `<root>/policy` as its sources. */
export function buildTdBundle(): string {
  if (builtTd) return builtTd;
  const root = tmpDir("zg-td-bundle-");
  fs.cpSync(TD_POLICY, path.join(root, "policy"), { recursive: true });
  const dist = path.join(root, "dist");
  fs.mkdirSync(dist);
  const tarball = path.join(root, "bundle.tar.gz");
  execFileSync(
    OPA,
    [
      "build",
      "-t",
      "wasm",
      "-e",
      "zonegate/gate/findings",
      "-o",
      tarball,
      path.join(root, "policy", "gate.rego"),
      path.join(root, "policy", "rules", "td.rego"),
    ],
    { stdio: "pipe" },
  );
  execFileSync("tar", ["-xzf", tarball, "-C", dist, "/policy.wasm"], { stdio: "pipe" });
  const data = JSON.stringify({ residency: { zones: {} } });
  fs.writeFileSync(path.join(dist, "data.json"), data);
  const wasm = fs.readFileSync(path.join(dist, "policy.wasm"));
  fs.writeFileSync(
    path.join(dist, "manifest.json"),
    JSON.stringify({
      opaVersion: "fixture",
      entrypoints: ["zonegate/gate/findings"],
      sources: tdHashes(root),
      wasmSha256: sha256(wasm),
      dataSha256: sha256(data),
      rules: JSON.parse(fs.readFileSync(path.join(TD_POLICY, "catalogue.json"), "utf8")),
    }),
  );
  signDist(dist);
  builtTd = root;
  return root;
}

export function tdHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ["gate.rego", "rules/td.rego"])
    out[`policy/${f}`] = sha256(fs.readFileSync(path.join(root, "policy", f)));
  return out;
}
