import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { synthesize } from "../src/app.ts";
import type { Environment } from "../src/environments/index.ts";

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, "..", "..");
/** The baseplate CLI entry point. */
export const CLI = join(REPO_ROOT, "tools", "cli", "bin", "baseplate.js");

/** A synthesized stack: its name and parsed cdk.tf.json. */
export interface SynthStack {
  readonly name: string;
  readonly json: TfJson;
  readonly text: string;
}

/** The parts of a cdk.tf.json the tests read. */
export interface TfJson {
  "//"?: { baseplate?: { stack?: string; environment?: { name?: string } } };
  terraform?: { backend?: { s3?: { bucket?: string; key?: string; encrypt?: boolean; use_lockfile?: boolean } } };
  provider?: { aws?: { alias?: string; default_tags?: { tags?: Record<string, string> }[] }[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `baseplate-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Reads every `<dir>/stacks/<name>/cdk.tf.json`, sorted by name. */
export function readStacks(dir: string): SynthStack[] {
  return readdirSync(join(dir, "stacks"))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8");
      return { name, text, json: JSON.parse(text) as TfJson };
    });
}

/** Synthesizes (some of) the estate in process into a fresh directory. */
export function synthEstate(opts: { stacks?: readonly string[]; environments?: readonly Environment[] } = {}): { dir: string; stacks: SynthStack[] } {
  const dir = tempDir("synth");
  synthesize({ outdir: dir, ...opts });
  return { dir, stacks: readStacks(dir) };
}

/** A finding of `baseplate check --format json`. */
export interface Finding {
  readonly rule: string;
  readonly enforcement: string;
  readonly address: string;
  readonly stack?: string;
}

/** The parts of the JSON check report the tests read. */
export interface CheckReport {
  readonly stacks: { readonly stack: string; readonly findings: Finding[] }[];
  readonly summary: { readonly stacks: number; readonly mandatory: number };
}

/** Runs `baseplate check <paths> --format json` from the repository root. */
export function runCheck(paths: readonly string[], cwd = REPO_ROOT): { code: number | null; report: CheckReport | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "check", ...paths, "--format", "json", "--now", "2026-11-25T00:00:00Z"], { cwd, encoding: "utf8" });
  let report: CheckReport | null;
  try {
    report = JSON.parse(r.stdout) as CheckReport;
  } catch {
    report = null;
  }
  return { code: r.status, report, stderr: r.stderr };
}

/** Every finding of a report, as `stack rule address` (the estate must have none). */
export function unexpectedFindings(report: CheckReport): string[] {
  return report.stacks.flatMap((s) => s.findings.map((f) => `${s.stack} ${f.rule} ${f.address}`));
}

/** Every managed resource of a stack as [type, name, config]. */
export function resources(stack: TfJson): [string, string, Record<string, unknown>][] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, cfg]): [string, string, Record<string, unknown>] => [type, name, cfg]));
}
