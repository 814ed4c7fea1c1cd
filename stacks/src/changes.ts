import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** How a stack differs between two synthesized trees. */
export type StackChangeKind = "added" | "removed" | "modified";

/** One stack whose Terraform configuration differs between two syntheses. */
export interface StackChange {
  readonly stack: string;
  readonly change: StackChangeKind;
}

/** Raised when a synthesized tree cannot be read; the message names the file and the fix. */
export class SynthTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthTreeError";
  }
}

/**
 * The Terraform configuration of a synthesized stack without cdktf's and Baseplate's `"//"`
 * metadata (construct paths, unique ids, source file and line, cdktf version): two syntheses
 * that differ only there deploy the same thing.
 */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === "//") continue;
    out[key] = withoutMetadata((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** Reads `<dir>/stacks/<stack>/cdk.tf.json` for every stack: stack name -> canonical JSON text. */
export function readSynthTree(dir: string): Map<string, string> {
  const stacksDir = join(dir, "stacks");
  if (!existsSync(stacksDir) || !statSync(stacksDir).isDirectory()) {
    throw new SynthTreeError(`${stacksDir} does not exist; synthesize into ${dir} first (baseplate synth --out ${dir}).`);
  }
  const stacks = new Map<string, string>();
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, "cdk.tf.json");
    if (!statSync(join(stacksDir, name)).isDirectory()) continue;
    if (!existsSync(file)) {
      throw new SynthTreeError(`${file} is missing; the stack directory ${name} holds no synthesized stack, so synthesize ${dir} again.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (thrown) {
      throw new SynthTreeError(`${file} is not valid JSON (${thrown instanceof Error ? thrown.message : String(thrown)}); synthesize ${dir} again.`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new SynthTreeError(`${file} is not a synthesized Terraform configuration (expected a JSON object); synthesize ${dir} again.`);
    }
    stacks.set(name, JSON.stringify(withoutMetadata(parsed)));
  }
  return stacks;
}

/**
 * Stacks whose Terraform configuration differs between two synthesized trees (`cdktf.out`
 * layouts: `<dir>/stacks/<stack>/cdk.tf.json`), sorted by stack name. Differences only in `"//"`
 * metadata (source locations, construct ids) do not count. `baseplate synth --changed-since`
 * synthesizes the base revision and the working tree and keeps the stacks listed here.
 */
export function changedStacks(baseDir: string, headDir: string): StackChange[] {
  const base = readSynthTree(baseDir);
  const head = readSynthTree(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const changes: StackChange[] = [];
  for (const stack of names) {
    const before = base.get(stack);
    const after = head.get(stack);
    if (before === undefined) changes.push({ stack, change: "added" });
    else if (after === undefined) changes.push({ stack, change: "removed" });
    else if (before !== after) changes.push({ stack, change: "modified" });
  }
  return changes;
}
