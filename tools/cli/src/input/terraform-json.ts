/**
 * A stack directory read as Terraform reads it: every `*.tf.json` file in it (not only
 * cdk.tf.json), block bodies in either JSON form (an object, or an array of objects as hcl2json
 * writes them), merged into the one document shape the synth normalizer reads
 * (`resource.<type>.<name>` objects, `provider.<name>` arrays). What Terraform would refuse (the
 * same resource declared twice) is refused, naming both files; what the gate cannot read the way
 * Terraform does (HCL `.tf` files, override files) is refused rather than skipped.
 *
 * Resources whose `count` is 0 or whose `for_each` is an empty collection do not exist: they are
 * removed here, so no rule, companion or exemption counts them.
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "../errors.ts";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One parsed `*.tf.json` file of a stack directory. */
export interface ConfigFile {
  /** Path as shown to people. */
  file: string;
  doc: Record<string, unknown>;
}

/** Files of a stack directory Terraform reads besides `primary`, and those the gate refuses. */
export function siblingConfigFiles(primary: string): { json: string[]; refused: { path: string; why: string }[] } {
  const dir = dirname(primary);
  const json: string[] = [];
  const refused: { path: string; why: string }[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { json, refused };
  }
  for (const entry of entries) {
    const name = entry.name;
    const path = join(dir, name);
    if (path === primary || name.startsWith(".")) continue;
    if (name === "override.tf.json" || name.endsWith("_override.tf.json") || name === "override.tf" || name.endsWith("_override.tf")) {
      refused.push({ path, why: "is a Terraform override file, which replaces attributes of the stack's resources at plan time; the gate does not apply overrides, so write the change in the stack itself" });
    } else if (name.endsWith(".tf.json")) {
      json.push(path);
    } else if (name.endsWith(".tf")) {
      refused.push({ path, why: "is an HCL file that Terraform reads together with the synthesized stack; the gate reads only JSON configuration, so express it in cdktf (or as .tf.json)" });
    }
  }
  return { json: json.sort(), refused };
}

/** Body objects of a block written as an object or as an array of objects (hcl2json). */
function bodies(value: unknown, where: string, file: string): Record<string, unknown>[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value) && value.every(isObject)) return value;
  throw new CliError(`${file}: ${where} must be an object or an array of objects, as Terraform JSON requires; found ${Array.isArray(value) ? "an array holding other values" : value === null ? "null" : typeof value}.`);
}

/** Numbers Terraform would read from a count: a number, a numeric string, or `${<number>}`. */
function literalCount(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  const match = /^\s*(?:\$\{\s*([0-9]+)\s*\}|([0-9]+))\s*$/.exec(value);
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? null : Number(digits);
}

/** Whether a for_each is an empty collection known from configuration. */
function emptyForEach(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  if (typeof value !== "string") return false;
  // `${[]}`, `${{}}`, `${toset([])}`, `${tomap({})}`, `${tolist([])}` with any spacing.
  return /^\s*\$\{\s*(?:(?:toset|tolist|tomap)\s*\(\s*)?(?:\[\s*\]|\{\s*\})\s*\)?\s*\}\s*$/.test(value) && (value.match(/\(/g)?.length ?? 0) === (value.match(/\)/g)?.length ?? 0);
}

/** Whether a resource body declares no instance at all (count 0, or for_each over nothing). */
export function declaresNoInstance(body: Record<string, unknown>): boolean {
  if ("count" in body && literalCount(body["count"]) === 0) return true;
  return "for_each" in body && emptyForEach(body["for_each"]);
}

/** Blocks with two labels (resource, data): merged per type and name; a name declared twice is refused. */
function mergeLabelled2(
  target: Record<string, Record<string, unknown>>,
  origin: Map<string, string>,
  value: unknown,
  block: "resource" | "data",
  file: string,
  dropped: string[],
): void {
  for (const byType of bodies(value, `"${block}"`, file)) {
    for (const [type, names] of Object.entries(byType)) {
      for (const byName of bodies(names, `"${block}"."${type}"`, file)) {
        for (const [name, body] of Object.entries(byName)) {
          const list = bodies(body, `"${block}"."${type}"."${name}"`, file);
          const address = `${block === "data" ? "data." : ""}${type}.${name}`;
          if (list.length !== 1) {
            throw new CliError(`${file}: ${address} is declared ${list.length} times (an array of ${list.length} bodies); Terraform refuses a duplicate ${block}, so keep one.`);
          }
          const previous = origin.get(address);
          if (previous !== undefined) {
            throw new CliError(`${file}: ${address} is declared again (first in ${previous}); Terraform refuses a duplicate ${block}, so remove one of them.`);
          }
          origin.set(address, file);
          const only = list[0] as Record<string, unknown>;
          if (declaresNoInstance(only)) {
            dropped.push(address);
            continue;
          }
          const byTypeTarget = (target[type] ??= Object.create(null) as Record<string, unknown>);
          byTypeTarget[name] = only;
        }
      }
    }
  }
}

/** Blocks with one label (variable, output, module): a name declared twice is refused. */
function mergeLabelled1(target: Record<string, unknown>, origin: Map<string, string>, value: unknown, block: string, file: string): void {
  for (const byName of bodies(value, `"${block}"`, file)) {
    for (const [name, body] of Object.entries(byName)) {
      const list = bodies(body, `"${block}"."${name}"`, file);
      const key = `${block}.${name}`;
      const previous = origin.get(key);
      if (list.length !== 1 || previous !== undefined) {
        throw new CliError(`${file}: ${block} "${name}" is declared ${previous === undefined ? "more than once" : `again (first in ${previous})`}; Terraform refuses duplicate ${block} blocks, so keep one.`);
      }
      origin.set(key, file);
      target[name] = list[0];
    }
  }
}

/** Blocks with no label merged key by key (locals; terraform settings): a key set twice is refused. */
function mergeUnlabelled(target: Record<string, unknown>, origin: Map<string, string>, value: unknown, block: string, file: string): void {
  for (const body of bodies(value, `"${block}"`, file)) {
    for (const [key, item] of Object.entries(body)) {
      const id = `${block}.${key}`;
      const previous = origin.get(id);
      if (previous !== undefined) {
        if (block === "terraform" && isObject(item) && isObject(target[key])) {
          // required_providers, backend settings...: merge one level further, still refusing clashes.
          mergeUnlabelled(target[key], origin, item, `${block}.${key}`, file);
          continue;
        }
        throw new CliError(`${file}: ${block} "${key}" is set again (first in ${previous}); Terraform refuses it, so set it once.`);
      }
      origin.set(id, file);
      target[key] = item;
    }
  }
}

const KNOWN_BLOCKS = new Set(["//", "resource", "data", "provider", "variable", "output", "module", "locals", "terraform", "moved", "import", "removed", "check"]);

/** The result of reading a stack directory's configuration. */
export interface MergedConfig {
  doc: Record<string, unknown>;
  /** Addresses with count 0 or an empty for_each: declared, but Terraform creates nothing. */
  absent: string[];
}

/**
 * Merges the `*.tf.json` files of one stack (the first is the synthesized cdk.tf.json, whose `"//"`
 * metadata is kept) into one document in the shape cdk.tf.json has, as Terraform merges a module's
 * files: blocks from every file, each resource, data source, variable, output and module once.
 */
export function mergeConfigFiles(files: readonly ConfigFile[]): MergedConfig {
  const resource = Object.create(null) as Record<string, Record<string, unknown>>;
  const data = Object.create(null) as Record<string, Record<string, unknown>>;
  const provider = Object.create(null) as Record<string, unknown[]>;
  const labelled1: Record<string, Record<string, unknown>> = { variable: {}, output: {}, module: {} };
  const unlabelled: Record<string, Record<string, unknown>> = { locals: {}, terraform: {} };
  const lists: Record<string, unknown[]> = { moved: [], import: [], removed: [], check: [] };
  const origin = new Map<string, string>();
  const absent: string[] = [];
  let metadata: unknown;
  const present = new Set<string>();
  const others = Object.create(null) as Record<string, unknown>;

  for (const [index, { file, doc }] of files.entries()) {
    for (const [key, value] of Object.entries(doc)) {
      if (!KNOWN_BLOCKS.has(key)) {
        // Not a block the gate reads (Terraform itself refuses to plan it): kept as the first file wrote it.
        if (!Object.hasOwn(others, key)) Object.defineProperty(others, key, { value, enumerable: true, writable: true, configurable: true });
        continue;
      }
      present.add(key);
      switch (key) {
        case "//":
          if (index === 0) metadata = value;
          break;
        case "resource":
        case "data":
          mergeLabelled2(key === "resource" ? resource : data, origin, value, key, file, absent);
          break;
        case "provider":
          for (const byName of bodies(value, '"provider"', file)) {
            for (const [name, configs] of Object.entries(byName)) {
              (provider[name] ??= []).push(...bodies(configs, `"provider"."${name}"`, file));
            }
          }
          break;
        case "variable":
        case "output":
        case "module":
          mergeLabelled1(labelled1[key] as Record<string, unknown>, origin, value, key, file);
          break;
        case "locals":
        case "terraform":
          mergeUnlabelled(unlabelled[key] as Record<string, unknown>, origin, value, key, file);
          break;
        default:
          (lists[key] as unknown[]).push(...bodies(value, `"${key}"`, file));
      }
    }
  }
  const doc = Object.create(null) as Record<string, unknown>;
  if (metadata !== undefined) doc["//"] = metadata;
  if (present.has("terraform")) doc["terraform"] = unlabelled["terraform"];
  if (present.has("provider")) doc["provider"] = provider;
  if (present.has("resource")) doc["resource"] = resource;
  if (present.has("data")) doc["data"] = data;
  for (const key of ["variable", "output", "module"]) if (present.has(key)) doc[key] = labelled1[key];
  if (present.has("locals")) doc["locals"] = unlabelled["locals"];
  for (const key of ["moved", "import", "removed", "check"]) if (present.has(key)) doc[key] = lists[key];
  for (const key of Object.keys(others)) doc[key] = others[key];
  return { doc: { ...doc }, absent: absent.sort() };
}

/** `cdk.tf.json` of a stack directory: its name for messages. */
export function stackDirectoryOf(file: string): string {
  return basename(dirname(file));
}
