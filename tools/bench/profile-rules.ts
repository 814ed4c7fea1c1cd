/**
 * Where evaluation time goes, by rule package: compiles policies/rego once into a temporary
 * WebAssembly bundle with one entrypoint per rule package (`baseplate/rules/<pkg>/deny`), then
 * evaluates each entrypoint alone on the normalized inputs. Prints one JSON line:
 * {"total_ms":..,"packages":{"s3":..,"tagging":..}} (milliseconds summed over every stack).
 *
 *   node tools/bench/profile-rules.ts --synth-dir DIR | PATH...
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { loadInputs, normalize } from "../cli/src/index.ts";
import { inputBytes } from "../cli/src/engine.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const REGO = join(ROOT, "policies", "rego");

/** Extracts one file from an uncompressed ustar archive. */
function untar(tar: Buffer, wanted: string): Buffer {
  let at = 0;
  while (at + 512 <= tar.length) {
    const name = tar.subarray(at, at + 100).toString("utf8").replace(/\0.*$/s, "");
    if (name === "") break;
    const size = parseInt(tar.subarray(at + 124, at + 136).toString("utf8").replace(/\0.*$/s, "").trim(), 8);
    if (name.replace(/^\//, "") === wanted) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`the bundle written by opa build has no ${wanted}`);
}

/** The rule packages: one folder per package under policies/rego/rules, named after it (rules/<pkg>/helpers.rego declares it). */
export function rulePackages(): string[] {
  return readdirSync(join(REGO, "rules"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => /^package\s+baseplate\.rules\.([a-z0-9_]+)/m.exec(readFileSync(join(REGO, "rules", d.name, "helpers.rego"), "utf8"))?.[1])
    .filter((p): p is string => p !== undefined)
    .sort();
}

export async function profileRules(paths: string[], synthDir: string | undefined): Promise<{ total_ms: number; packages: Record<string, number> }> {
  const packages = rulePackages();
  const dir = mkdtempSync(join(tmpdir(), "baseplate-profile-"));
  try {
    const bundle = join(dir, "bundle.tar.gz");
    execFileSync("opa", ["build", "-t", "wasm", ...packages.flatMap((p) => ["-e", `baseplate/rules/${p}/deny`]), "--ignore", "*_test.rego", "-o", bundle, REGO], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const wasm = untar(gunzipSync(readFileSync(bundle)), "policy.wasm");
    const policy = await loadPolicy(wasm, { initial: 16, maximum: 65536 });
    const inputs = loadInputs(paths, process.cwd(), synthDir).map((i) => inputBytes(normalize(i, { now: "2026-11-25T00:00:00Z", stack: null, environment: {} })));
    const times: Record<string, number> = {};
    let total = 0;
    for (const p of packages) {
      const start = performance.now();
      for (const bytes of inputs) policy.evaluate(bytes, `baseplate/rules/${p}/deny`);
      const ms = performance.now() - start;
      times[p] = Math.round(ms);
      total += ms;
    }
    return { total_ms: Math.round(total), packages: times };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { "synth-dir": { type: "string" } }, allowPositionals: true });
  process.stdout.write(`${JSON.stringify(await profileRules(positionals, values["synth-dir"]))}\n`);
}
