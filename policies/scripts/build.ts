/**
 * Builds the policy bundle into policies/build/:
 *   policy.wasm    `opa build -t wasm -e baseplate/findings -e baseplate/result` of rego/ (tests excluded)
 *   catalog.json   every rule's METADATA (`opa inspect -a`), validated
 *   manifest.json  sha256 of policy.wasm, rule count, opa version, entrypoints, inputs hash
 *
 *   node policies/scripts/build.ts           # skips the build when nothing changed
 *   node policies/scripts/build.ts --force
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import type { Manifest } from "../src/types.ts";
import { requiredSdkBuiltins } from "../src/index.ts";
import { buildCatalog } from "./catalog.ts";
import { bundleSources } from "./rule-files.ts";
import { BUILD_DIR, ENTRYPOINTS, POLICIES_DIR, REGO_DIR, ScriptError, isMain, opa, opaVersion, runMain } from "./opa.ts";

/** sha256 over the bundle sources, the build scripts and the opa version. */
export function inputsHash(version: string, regoDir: string = REGO_DIR): string {
  const h = createHash("sha256");
  h.update(`opa ${version}\n`);
  const scripts = ["build.ts", "catalog.ts", "opa.ts", "rule-files.ts"].map((f) => join(POLICIES_DIR, "scripts", f));
  for (const f of [...bundleSources(regoDir), ...scripts, join(POLICIES_DIR, "src", "index.ts")]) {
    h.update(`${relative(POLICIES_DIR, f)}\n`);
    h.update(readFileSync(f));
    h.update("\n");
  }
  return h.digest("hex");
}

/** Extracts one file from a .tar.gz archive (ustar, as written by opa build). */
export function extractFromTarGz(archive: Buffer, wanted: string): Buffer {
  const tar = gunzipSync(archive);
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const rawName = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const prefix = header.subarray(345, 500).toString("utf8").replace(/\0.*$/s, "");
    const name = (prefix ? `${prefix}/${rawName}` : rawName).replace(/^\/+/, "");
    const size = parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    const start = off + 512;
    if (name === wanted.replace(/^\/+/, "")) return Buffer.from(tar.subarray(start, start + size));
    off = start + Math.ceil(size / 512) * 512;
  }
  throw new ScriptError(`the bundle written by 'opa build' has no ${wanted}; check the opa installation with 'bash tools/setup.sh'.`);
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function upToDate(hash: string, buildDir: string): boolean {
  const manifestPath = join(buildDir, "manifest.json");
  const wasmPath = join(buildDir, "policy.wasm");
  if (!existsSync(manifestPath) || !existsSync(wasmPath) || !existsSync(join(buildDir, "catalog.json"))) return false;
  try {
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as Partial<Manifest>;
    return m.inputs_sha256 === hash && m.sha256 === sha256(readFileSync(wasmPath));
  } catch {
    return false;
  }
}

export interface BuildOptions {
  /** Rebuild even when the inputs hash matches the manifest. */
  force?: boolean;
  /** Rego sources (default policies/rego). */
  regoDir?: string;
  /** Output directory (default policies/build). */
  buildDir?: string;
}

export async function build(options: BuildOptions = {}): Promise<Manifest> {
  const regoDir = options.regoDir ?? REGO_DIR;
  const buildDir = options.buildDir ?? BUILD_DIR;
  const version = opaVersion();
  const hash = inputsHash(version, regoDir);
  if (!options.force && upToDate(hash, buildDir)) {
    const m = JSON.parse(readFileSync(join(buildDir, "manifest.json"), "utf8")) as Manifest;
    console.log(`policies: build is up to date (${m.rules} rules, policy.wasm ${m.sha256.slice(0, 12)})`);
    return m;
  }

  opa(["check", "--strict", regoDir]);
  const catalog = buildCatalog(version, regoDir);

  const tmp = mkdtempSync(join(tmpdir(), "baseplate-policies-"));
  try {
    const bundle = join(tmp, "bundle.tar.gz");
    opa(["build", "-t", "wasm", ...ENTRYPOINTS.flatMap((e) => ["-e", e]), "--ignore", "*_test.rego", "-o", bundle, regoDir]);
    const wasm = extractFromTarGz(readFileSync(bundle), "/policy.wasm");

    const policy = await loadPolicy(wasm);
    const sdk = requiredSdkBuiltins(policy);
    if (sdk.length > 0) {
      throw new ScriptError(
        `the rules call ${sdk.join(", ")}, which OPA-Wasm does not compile into the module (supplied by the JS SDK or missing); ` +
          "rewrite them with the builtins listed in policies/AUTHORING.md.",
      );
    }
    const entrypoints = Object.keys(policy.entrypoints as Record<string, number>).sort();
    for (const e of ENTRYPOINTS) {
      if (!entrypoints.includes(e)) throw new ScriptError(`policy.wasm does not export the entrypoint ${e}; check policies/rego/main.rego.`);
    }

    const manifest: Manifest = {
      schema: "baseplate/policy-bundle@1",
      sha256: sha256(wasm),
      rules: catalog.rules.length,
      opa_version: version,
      entrypoints,
      inputs_sha256: hash,
    };
    mkdirSync(buildDir, { recursive: true });
    // Write the manifest last: a half-written build never looks up to date.
    rmSync(join(buildDir, "manifest.json"), { force: true });
    const put = (name: string, data: string | Buffer): void => {
      const tmpFile = join(buildDir, `.${name}.tmp`);
      writeFileSync(tmpFile, data);
      renameSync(tmpFile, join(buildDir, name));
    };
    put("policy.wasm", wasm);
    put("catalog.json", `${JSON.stringify(catalog, null, 2)}\n`);
    put("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`policies: built policy.wasm (${wasm.length} bytes, ${catalog.rules.length} rules, opa ${version}) in ${relative(process.cwd(), buildDir) || "."}`);
    return manifest;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    await build({ force: process.argv.includes("--force") });
  });
}
