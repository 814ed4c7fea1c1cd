/**
 * Shared pieces of the hostile-input suite: run counts and seeds, the CLI's input pipeline run on
 * bytes, the outcome classifier (a correct result or a CliError naming the file; anything else
 * fails the test), the policy bundle, and running the real CLI process.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Parameters as FcParameters } from "fast-check";
import { CliError } from "../../cli/src/errors.ts";
import { catalogIndex, evaluateStack } from "../../cli/src/engine.ts";
import { loadPolicyBundle } from "../../cli/src/bundle.ts";
import type { PolicyBundle } from "../../cli/src/engine.ts";
import { readInput } from "../../cli/src/input/index.ts";
import { normalize, type NormalizedInput } from "../../cli/src/normalize.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..", "..");
export const CLI = join(ROOT, "tools", "cli", "bin", "baseplate.js");
export const NOW = "2026-11-25T00:00:00Z";

/**
 * Runs per property: small and fixed in CI; `HOSTILE_RUNS=20000` for a long local run (then each
 * property gets that many, divided by `weight` for the expensive ones).
 */
export function runs(ciRuns: number, weight = 1): number {
  const env = process.env["HOSTILE_RUNS"];
  if (env === undefined || env === "") return ciRuns;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new Error(`HOSTILE_RUNS=${env} is not a positive integer`);
  return Math.max(1, Math.floor(n / weight));
}

/** Fixed seed (HOSTILE_SEED overrides): a failure in CI reproduces locally with the same runs. */
export const SEED = Number(process.env["HOSTILE_SEED"] ?? 20261125);

export function fcParams<T>(numRuns: number): FcParameters<T> {
  return { seed: SEED, numRuns, endOnFailure: true, interruptAfterTimeLimit: 50_000, markInterruptAsFailure: false };
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `baseplate-hostile-${prefix}-`));
}

export type Outcome = { kind: "ok"; input: NormalizedInput } | { kind: "error"; message: string };

/** The file name every fuzzed input is written to, as the CLI shows it (relative to its cwd). */
export const SHOWN = join("stacks", "fuzz", "cdk.tf.json");
export const SHOWN_PLAN = "fuzz.plan.json";

const work = tempDir("inputs");

/**
 * Reads `bytes` through the CLI's own pipeline (readInput: decode, parse, recognise; then normalize),
 * as the file `shown`. Returns the normalized input or the CliError message; any other exception
 * propagates and fails the test (a crash).
 */
export function throughPipeline(bytes: Uint8Array, shown: string = SHOWN): Outcome {
  const file = join(work, shown);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  try {
    const loaded = readInput(file, work);
    return { kind: "ok", input: normalize(loaded, { now: NOW, stack: null, environment: {} }) };
  } catch (thrown) {
    if (thrown instanceof CliError) return { kind: "error", message: thrown.message };
    throw thrown;
  }
}

export function text(value: unknown): Uint8Array {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
}

/** Problems with a normalized input against policies/CONTRACT.md (empty when it conforms). */
export function contractProblems(input: NormalizedInput): string[] {
  const problems: string[] = [];
  if (input.schema !== "baseplate/policy-input@1") problems.push(`schema ${String(input.schema)}`);
  if (input.source !== "synth" && input.source !== "plan") problems.push(`source ${String(input.source)}`);
  if (typeof input.stack !== "string" || input.stack === "") problems.push("stack is not a non-empty string");
  if (input.now !== NOW) problems.push("now was not passed through");
  for (const key of ["name", "tier", "account", "region"] as const) {
    const v = input.environment[key];
    if (v !== null && typeof v !== "string") problems.push(`environment.${key} is ${typeof v}`);
  }
  if (typeof input.resources !== "object" || input.resources === null || Array.isArray(input.resources)) {
    problems.push("resources is not an object");
    return problems;
  }
  for (const [type, list] of Object.entries(input.resources)) {
    if (!Array.isArray(list)) {
      problems.push(`resources.${type} is not a list`);
      continue;
    }
    let previous = "";
    for (const r of list) {
      if (r.type !== type) problems.push(`${r.address} has type ${String(r.type)} under ${type}`);
      // An empty address from a plan is a reported defect with its own test (normalizer.test.ts).
      if (typeof r.address !== "string") problems.push(`an address under ${type} is not a string`);
      if (r.address < previous) problems.push(`resources.${type} is not sorted by address`);
      previous = r.address;
      if (r.mode !== "managed" && r.mode !== "data") problems.push(`${r.address} has mode ${String(r.mode)}`);
      if (typeof r.name !== "string") problems.push(`${r.address} has no name`);
      for (const obj of ["values", "unknown", "sensitive"] as const) {
        const v = r[obj];
        if (typeof v !== "object" || v === null || Array.isArray(v)) problems.push(`${r.address}.${obj} is not an object`);
      }
      if (r.before !== null && (typeof r.before !== "object" || Array.isArray(r.before))) problems.push(`${r.address}.before is not an object or null`);
      if (!Array.isArray(r.actions) || r.actions.some((a) => typeof a !== "string")) problems.push(`${r.address}.actions is not a list of strings`);
      if (typeof r.replace !== "boolean") problems.push(`${r.address}.replace is not a boolean`);
      if (!Array.isArray(r.references) || r.references.some((a) => typeof a !== "string")) problems.push(`${r.address}.references is not a list of strings`);
      if ([...r.references].sort().join("\n") !== r.references.join("\n") || new Set(r.references).size !== r.references.length) {
        problems.push(`${r.address}.references is not sorted and unique`);
      }
      // A resource type of "" (malformed input) yields provider ""; the key is still a string.
      if (typeof r.provider !== "string") problems.push(`${r.address}.provider is not a string`);
    }
  }
  return problems;
}

/** Problems with an error message: it must name the file, be one line, and carry no stack trace. */
export function messageProblems(message: string, file: string): string[] {
  const problems: string[] = [];
  if (!message.includes(file)) problems.push(`does not name ${file}`);
  if (message.includes("\n")) problems.push("is not one line");
  if (/\n\s+at\s/.test(message) || /\bat .*\(.*:\d+:\d+\)/.test(message)) problems.push("carries a stack trace");
  if (message.trim().length < 20) problems.push("is too short to act on");
  return problems;
}

let bundle: PolicyBundle | undefined;

/** The built policy bundle (policies/build), loaded once. */
export async function policyBundle(): Promise<PolicyBundle> {
  bundle ??= await loadPolicyBundle();
  return bundle;
}

/** Findings of a normalized input as `rule address` keys. Throws what evaluateStack throws. */
export function findingKeys(b: PolicyBundle, input: NormalizedInput): Set<string> {
  return new Set(evaluateStack(b, catalogIndex(b.rules), input, SHOWN).map((f) => `${f.rule} ${f.address}`));
}

/** The non-compliant fixture of raw provider resources (one violation of each common kind). */
export const RAW_FIXTURE = join(ROOT, "tools", "bench", "fixtures", "raw-noncompliant", "cdk.tf.json");

export function rawFixture(): Record<string, unknown> {
  return JSON.parse(readFileSync(RAW_FIXTURE, "utf8")) as Record<string, unknown>;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs the real CLI process (bounded by `timeoutMs`). */
export function runCli(args: string[], cwd: string, timeoutMs = 45_000): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, BASEPLATE_DEBUG: undefined },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, timedOut: run.error !== undefined && /ETIMEDOUT/.test(run.error.message) };
}
