import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { CliError } from "../errors.ts";
import { decodeText, parseJson } from "./decode.ts";
import { detectKind, type InputKind } from "./detect.ts";

export { decodeText, parseJson, lineColumn } from "./decode.ts";
export { detectKind, type InputKind } from "./detect.ts";

/** One input file, read, decoded, parsed and recognised. */
export interface LoadedInput {
  /** Path as shown to people: relative to the working directory when inside it. */
  file: string;
  kind: InputKind;
  doc: Record<string, unknown>;
  /** Stack name suggested by the file's location (cdktf.out/stacks/<stack>/cdk.tf.json), if any. */
  stackHint: string | null;
}

/** Default output directory of `baseplate synth` and `cdktf synth`. */
export const DEFAULT_SYNTH_DIR = "cdktf.out";

const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform", ".nx"]);

/** Whether a file name found while walking a directory is an input. */
export function isInputFileName(name: string): boolean {
  return name === "cdk.tf.json" || name.endsWith(".plan.json") || name.endsWith(".tfplan.json");
}

export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute;
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (thrown) {
    throw new CliError(`Cannot read directory ${dir} (${(thrown as NodeJS.ErrnoException).code ?? "error"}); check its permissions.`);
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isInputFileName(entry.name)) {
      out.push(full);
    }
  }
}

/**
 * Files to evaluate for the given command-line paths. A file is taken as is; a directory yields every
 * `cdk.tf.json`, `*.plan.json` and `*.tfplan.json` below it (skipping node_modules, .git and .terraform).
 */
export function resolveInputPaths(paths: string[], cwd: string): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new CliError(`${given} does not exist; pass a cdk.tf.json, a plan JSON file or a directory holding them.`);
    }
    if (stats.isDirectory()) {
      const found: string[] = [];
      walk(absolute, found);
      if (found.length === 0) {
        throw new CliError(
          `${given} is a directory with no cdk.tf.json, *.plan.json or *.tfplan.json in it; run \`baseplate synth\` or pass the files directly.`,
        );
      }
      files.push(...found.sort());
    } else {
      files.push(absolute);
    }
  }
  return [...new Set(files)];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The stacks of a synth output directory: every stack listed in its manifest.json plus every
 * stacks/<name>/cdk.tf.json present. A stack listed in the manifest without a readable cdk.tf.json is
 * an error (it was synthesized but would not be evaluated).
 */
export function synthOutputFiles(outdir: string, cwd: string): string[] {
  const absolute = resolve(cwd, outdir);
  const shown = displayPath(absolute, cwd);
  if (!existsSync(absolute)) {
    throw new CliError(`No inputs given and ${shown}/ does not exist; run \`baseplate synth\` first or pass the files to check.`);
  }
  const files = new Set<string>();
  const manifestPath = join(absolute, "manifest.json");
  if (existsSync(manifestPath)) {
    const manifest = parseJson(decodeText(readFileSync(manifestPath), displayPath(manifestPath, cwd)), displayPath(manifestPath, cwd));
    const stacks = isObject(manifest) && isObject(manifest["stacks"]) ? manifest["stacks"] : null;
    if (stacks === null) {
      throw new CliError(`${displayPath(manifestPath, cwd)} has no "stacks" object; delete ${shown}/ and re-run \`baseplate synth\`.`);
    }
    for (const [name, entry] of Object.entries(stacks)) {
      const rel = isObject(entry) && typeof entry["synthesizedStackPath"] === "string"
        ? entry["synthesizedStackPath"]
        : join("stacks", name, "cdk.tf.json");
      const file = resolve(absolute, rel);
      let readable: boolean;
      try {
        readable = statSync(file).isFile();
      } catch {
        readable = false;
      }
      if (!readable) {
        throw new CliError(
          `Stack ${name} is listed in ${displayPath(manifestPath, cwd)} but ${displayPath(file, cwd)} is missing or unreadable, so it was synthesized but would not be evaluated; re-run \`baseplate synth\`.`,
        );
      }
      files.add(file);
    }
  }
  const stacksDir = join(absolute, "stacks");
  if (existsSync(stacksDir)) {
    for (const entry of readdirSync(stacksDir, { withFileTypes: true })) {
      const file = join(stacksDir, entry.name, "cdk.tf.json");
      if (entry.isDirectory() && existsSync(file)) files.add(file);
    }
  }
  if (files.size === 0) {
    throw new CliError(`${shown}/ holds no synthesized stacks; run \`baseplate synth\` first or pass the files to check.`);
  }
  return [...files].sort();
}

/** Deepest nesting a real stack or plan needs is far below this; deeper input is refused. */
export const MAX_NESTING = 512;

/**
 * Nesting depth of a parsed JSON value, computed without recursion; stops counting once past
 * `limit` (returns a value above it).
 */
export function nestingDepth(value: unknown, limit: number): number {
  // Two parallel stacks (values, depths) rather than a tuple per object: this runs over every
  // object of every input, so it allocates nothing per object.
  const values: object[] = [];
  const depths: number[] = [];
  if (typeof value === "object" && value !== null) {
    values.push(value);
    depths.push(1);
  }
  let deepest = 0;
  while (values.length > 0) {
    const v = values.pop() as object;
    const d = depths.pop() as number;
    if (d > deepest) {
      deepest = d;
      if (deepest > limit) return deepest;
    }
    if (Array.isArray(v)) {
      for (const child of v as unknown[]) {
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(d + 1);
        }
      }
    } else {
      for (const key in v) {
        const child = (v as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(d + 1);
        }
      }
    }
  }
  return deepest;
}

/** Reads, decodes, parses and recognises one input file. */
export function readInput(absolute: string, cwd: string): LoadedInput {
  const file = displayPath(absolute, cwd);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw new CliError(`${file} is a directory; pass it as a directory argument.`);
    throw new CliError(`Cannot read ${file} (${code ?? "error"}); check that it exists and is readable.`);
  }
  const text = decodeText(bytes, file);
  if (text.trim() === "") {
    throw new CliError(`${file} is empty; regenerate it with \`baseplate synth\` or \`terraform show -json <planfile>\`.`);
  }
  const doc = parseJson(text, file);
  const depth = nestingDepth(doc, MAX_NESTING);
  if (depth > MAX_NESTING) {
    throw new CliError(`${file} nests values more than ${MAX_NESTING} levels deep; no synthesized stack or plan does. Regenerate it with \`baseplate synth\` or \`terraform show -json <planfile>\`.`);
  }
  const kind = detectKind(doc, file);
  return { file, kind, doc: doc as Record<string, unknown>, stackHint: stackHintFor(absolute) };
}

/** cdktf.out/stacks/<stack>/cdk.tf.json -> <stack>; name.plan.json / name.tfplan.json -> name. */
function stackHintFor(absolute: string): string | null {
  const name = basename(absolute);
  if (name === "cdk.tf.json") {
    const parent = basename(dirname(absolute));
    return parent !== "" && parent !== sep ? parent : null;
  }
  for (const suffix of [".tfplan.json", ".plan.json", ".json"]) {
    if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  }
  return null;
}

/** Every input for a `check`: the given paths, or the synth output directory when none are given. */
export function loadInputs(paths: string[], cwd: string, synthDir: string = DEFAULT_SYNTH_DIR): LoadedInput[] {
  const files = paths.length > 0 ? resolveInputPaths(paths, cwd) : synthOutputFiles(synthDir, cwd);
  return files.map((file) => readInput(file, cwd));
}
