import { existsSync, lstatSync, readdirSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { isObject } from "@baseplate/policies/input";
import { CliError } from "../errors.ts";
import { displayPath } from "../paths.ts";
import { safeText } from "../reporters/safe-text.ts";
import { decodeText, parseJson } from "./decode.ts";
import { detectKind, type InputKind } from "./detect.ts";
import { followLink, readRegularFile, repositoryRoot, type ReadLimits } from "./read.ts";
import { mergeConfigFiles, siblingConfigFiles, type ConfigFile } from "./terraform-json.ts";

export { decodeText, parseJson, lineColumn } from "./decode.ts";
export { detectKind, type InputKind } from "./detect.ts";
export { DEFAULT_MAX_INPUT_MB, readRegularFile, repositoryRoot, type ReadLimits } from "./read.ts";

/** One input file, read, decoded, parsed and recognised. */
export interface LoadedInput {
  /** Path as shown to people: relative to the working directory when inside it. */
  file: string;
  kind: InputKind;
  doc: Record<string, unknown>;
  /** Stack name suggested by the file's location (cdktf.out/stacks/<stack>/cdk.tf.json), if any. */
  stackHint: string | null;
  /**
   * Synth: every file read for the stack, as shown (cdk.tf.json first, then the other `*.tf.json`
   * of its directory, which Terraform reads too). Plan: the plan file.
   */
  files?: string[];
  /** Synth: resources declared with count 0 or an empty for_each (they do not exist); removed from `doc`. */
  absent?: string[];
}

/** Default output directory of `baseplate synth` and `cdktf synth`. */
export const DEFAULT_SYNTH_DIR = "cdktf.out";

const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform", ".nx"]);

/** Whether a file name found while walking a directory is an input. */
export function isInputFileName(name: string): boolean {
  return name === "cdk.tf.json" || name.endsWith(".plan.json") || name.endsWith(".tfplan.json");
}

export { displayPath };

/**
 * Collects input files below `dir`. A symbolic link (to a file or a directory) is followed when its
 * target is inside the repository and refused with a message otherwise; it is never skipped. Each
 * directory is walked once (by real path), so a link back up the tree cannot loop.
 */
function walk(dir: string, out: string[], context: { cwd: string; root: string; seen: Set<string> }): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    real = dir;
  }
  if (context.seen.has(real)) return;
  context.seen.add(real);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (thrown) {
    throw new CliError(`Cannot read directory ${displayPath(dir, context.cwd)} (${(thrown as NodeJS.ErrnoException).code ?? "error"}); check its permissions.`);
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      if (SKIP_DIRS.has(entry.name)) continue;
      const target = followLink(full, displayPath(full, context.cwd), context.root);
      isDirectory = target.stats.isDirectory();
      if (!isDirectory && !isInputFileName(entry.name)) continue;
    }
    if (isDirectory) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out, context);
    } else if (isInputFileName(entry.name)) {
      // Regular files, FIFOs and devices alike: readInput refuses anything but a regular file.
      out.push(full);
    }
  }
}

/** Stats of a path given by the user or listed by a manifest, following a link only inside the repository. */
function statFollowing(absolute: string, shown: string, root: string): Stats {
  const stats = lstatSync(absolute);
  if (stats.isSymbolicLink()) return followLink(absolute, shown, root).stats;
  if (absolute.startsWith(root + sep)) {
    // A path inside the repository reached through a linked directory: the same rule applies.
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch {
      return stats;
    }
    if (real !== absolute) followLink(absolute, shown, root);
  }
  return stats;
}

/**
 * Files to evaluate for the given command-line paths. A file is taken as is; a directory yields every
 * `cdk.tf.json`, `*.plan.json` and `*.tfplan.json` below it (skipping node_modules, .git and .terraform).
 */
export function resolveInputPaths(paths: string[], cwd: string): string[] {
  const files: string[] = [];
  const root = repositoryRoot(cwd);
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    const shown = safeText(given);
    let stats;
    try {
      stats = statFollowing(absolute, shown, root);
    } catch (thrown) {
      if (thrown instanceof CliError) throw thrown;
      throw new CliError(`${shown} does not exist; pass a cdk.tf.json, a plan JSON file or a directory holding them.`);
    }
    if (stats.isDirectory()) {
      const found: string[] = [];
      walk(absolute, found, { cwd, root, seen: new Set() });
      if (found.length === 0) {
        throw new CliError(
          `${shown} is a directory with no cdk.tf.json, *.plan.json or *.tfplan.json in it; run \`baseplate synth\` or pass the files directly.`,
        );
      }
      files.push(...found.sort());
    } else {
      files.push(absolute);
    }
  }
  return [...new Set(files)];
}


/**
 * The stacks of a synth output directory: every stack listed in its manifest.json plus every
 * stacks/<name>/cdk.tf.json present. A stack listed in the manifest without a readable cdk.tf.json is
 * an error (it was synthesized but would not be evaluated).
 */
export function synthOutputFiles(outdir: string, cwd: string, limits: ReadLimits = {}): string[] {
  const absolute = resolve(cwd, outdir);
  const shown = displayPath(absolute, cwd);
  if (!existsSync(absolute)) {
    throw new CliError(`No inputs given and ${shown}/ does not exist; run \`baseplate synth\` first or pass the files to check.`);
  }
  const files = new Set<string>();
  const manifestPath = join(absolute, "manifest.json");
  const root = repositoryRoot(cwd);
  if (existsSync(manifestPath)) {
    const shownManifest = displayPath(manifestPath, cwd);
    const manifest = parseJson(decodeText(readRegularFile(manifestPath, shownManifest, limits), shownManifest), shownManifest);
    const stacks = isObject(manifest) && isObject(manifest["stacks"]) ? manifest["stacks"] : null;
    if (stacks === null) {
      throw new CliError(`${displayPath(manifestPath, cwd)} has no "stacks" object; delete ${shown}/ and re-run \`baseplate synth\`.`);
    }
    for (const [name, entry] of Object.entries(stacks)) {
      const rel = isObject(entry) && typeof entry["synthesizedStackPath"] === "string"
        ? entry["synthesizedStackPath"]
        : join("stacks", name, "cdk.tf.json");
      const file = resolve(absolute, rel);
      let present: boolean;
      try {
        // Any kind of file counts as present here; readInput refuses what is not a regular file.
        present = !statFollowing(file, displayPath(file, cwd), root).isDirectory();
      } catch (thrown) {
        if (thrown instanceof CliError) throw thrown;
        present = false;
      }
      if (!present) {
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
      const dir = join(stacksDir, entry.name);
      // A linked stack directory is followed inside the repository and refused outside it.
      const isDirectory = entry.isSymbolicLink() ? followLink(dir, displayPath(dir, cwd), root).stats.isDirectory() : entry.isDirectory();
      const file = join(dir, "cdk.tf.json");
      if (isDirectory && (existsSync(file) || isDanglingOrLink(file))) files.add(file);
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

function isDanglingOrLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Reads, decodes, parses and recognises one input file: a regular file only (FIFOs and devices
 * are refused at once), within the size limit.
 */
export function readInput(absolute: string, cwd: string, limits: ReadLimits = {}): LoadedInput {
  const file = displayPath(absolute, cwd);
  const bytes = readRegularFile(absolute, file, limits);
  const text = decodeText(bytes, file);
  if (text.trim() === "") {
    throw new CliError(`${file} is empty; regenerate it with \`baseplate synth\` or \`terraform show -json <planfile>\`.`);
  }
  // Duplicate keys and nesting deeper than MAX_NESTING are refused while parsing (one pass).
  const doc = parseJson(text, file, { maxDepth: MAX_NESTING, fix: "regenerate it with `baseplate synth` or `terraform show -json <planfile>`" });
  const kind = detectKind(doc, file);
  if (kind === "plan" || !basename(absolute).endsWith(".tf.json")) {
    return { file, kind, doc: doc as Record<string, unknown>, stackHint: stackHintFor(absolute), files: [file], absent: [] };
  }
  // A synthesized stack: Terraform reads every *.tf.json of its directory, so the gate does too.
  const siblings = siblingConfigFiles(absolute);
  const refused = siblings.refused[0];
  if (refused !== undefined) throw new CliError(`${displayPath(refused.path, cwd)} ${refused.why}.`);
  const configs: ConfigFile[] = [{ file, doc: doc as Record<string, unknown> }];
  for (const sibling of siblings.json) {
    const shown = displayPath(sibling, cwd);
    const parsed = parseJson(decodeText(readRegularFile(sibling, shown, limits), shown), shown, { maxDepth: MAX_NESTING, fix: "fix it or remove it from the stack directory" });
    if (!isObject(parsed)) throw new CliError(`${shown} is in the stack directory of ${file}, so Terraform reads it as configuration, but it is not a JSON object; remove it or fix it.`);
    configs.push({ file: shown, doc: parsed });
  }
  const merged = mergeConfigFiles(configs);
  return { file, kind, doc: merged.doc, stackHint: stackHintFor(absolute), files: configs.map((c) => c.file), absent: merged.absent };
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
export function loadInputs(paths: string[], cwd: string, synthDir: string = DEFAULT_SYNTH_DIR, limits: ReadLimits = {}): LoadedInput[] {
  const files = paths.length > 0 ? resolveInputPaths(paths, cwd) : synthOutputFiles(synthDir, cwd, limits);
  return files.map((file) => readInput(file, cwd, limits));
}
