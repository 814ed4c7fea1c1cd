import { execFileSync } from "node:child_process";
import { isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError, describeThrown } from "./errors.ts";
import { EXIT } from "./types.ts";

/** What `baseplate synth` needs from a stacks app (`@baseplate/stacks` by default). */
export interface StacksApp {
  listStacks(): { name: string; environment: string; tier: string; inputs?: readonly string[] }[];
  synthesize(opts: { outdir: string; stacks?: string[] }): { stacks: { name: string; file: string }[] };
}

export interface SynthOptions {
  /** Stack names; empty means every stack (after --env). */
  stacks: string[];
  env: string | null;
  changedSince: string | null;
  outdir: string;
  list: boolean;
  /** Module specifier or file of the stacks app (default `@baseplate/stacks`). */
  app?: string;
}

interface Out {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export const DEFAULT_APP = "@baseplate/stacks";

/** Paths whose change can alter a synthesized stack. */
const SYNTH_INPUTS = [/^modules\//, /^stacks\//, /^package-lock\.json$/, /^tsconfig\.base\.json$/];

async function loadApp(specifier: string, cwd: string): Promise<StacksApp> {
  const target = specifier.startsWith(".") || isAbsolute(specifier) ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let mod: unknown;
  try {
    mod = await import(target);
  } catch (thrown) {
    throw new CliError(`Cannot load the stacks app ${specifier} (${describeThrown(thrown)}); check that it exists and type-checks.`);
  }
  const app = mod as Partial<StacksApp>;
  if (typeof app.listStacks !== "function" || typeof app.synthesize !== "function") {
    throw new CliError(`The stacks app ${specifier} does not export listStacks() and synthesize(); export both from its entry point.`);
  }
  return app as StacksApp;
}

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Files changed since a git revision (committed, staged, unstaged and untracked), relative to the repository root. */
export function changedFiles(rev: string, cwd: string): string[] {
  try {
    const root = git(["rev-parse", "--show-toplevel"], cwd).trim();
    const changed = git(["diff", "--name-only", rev, "--"], root).split("\n");
    const untracked = git(["ls-files", "--others", "--exclude-standard"], root).split("\n");
    return [...new Set([...changed, ...untracked].filter((line) => line !== ""))].sort();
  } catch (thrown) {
    const stderr = (thrown as { stderr?: unknown }).stderr;
    const detail = typeof stderr === "string" && stderr.trim() !== "" ? stderr.trim().split("\n")[0] : describeThrown(thrown);
    throw new CliError(`--changed-since ${rev}: git could not compare against that revision (${detail}); pass a revision that exists, e.g. origin/main.`);
  }
}

/**
 * Stacks a set of changed files can affect. A stack is affected when one of its declared `inputs`
 * changed, or when a shared file changed: anything under modules/, the lockfile, the base tsconfig, or
 * a file under stacks/ that no stack declares as its own input (the app, shared stack classes). A stack
 * that declares no inputs is affected by any change under modules/ or stacks/.
 */
export function affectedStacks<T extends { name: string; inputs?: readonly string[] }>(
  selected: readonly T[],
  all: readonly { inputs?: readonly string[] }[],
  changed: readonly string[],
): T[] {
  const relevant = changed.filter((file) => SYNTH_INPUTS.some((re) => re.test(file)));
  if (relevant.length === 0) return [];
  const claimed = new Set(all.flatMap((s) => s.inputs ?? []));
  const shared = relevant.some((file) => !file.startsWith("stacks/") || !claimed.has(file));
  if (shared) return [...selected];
  const touched = new Set(relevant);
  return selected.filter((s) => s.inputs === undefined || s.inputs.some((file) => touched.has(file)));
}

/** `baseplate synth`: in-process synthesis of the selected stacks. */
export async function runSynth(options: SynthOptions, io: Out): Promise<number> {
  const app = await loadApp(options.app ?? DEFAULT_APP, io.cwd);
  let all: ReturnType<StacksApp["listStacks"]>;
  try {
    all = app.listStacks();
  } catch (thrown) {
    throw new CliError(`Listing stacks failed: ${describeThrown(thrown)}.`);
  }
  const known = new Set(all.map((s) => s.name));
  const unknown = options.stacks.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CliError(`Unknown stack ${unknown.join(", ")}; known stacks: ${[...known].sort().join(", ") || "(none)"}.`);
  }
  let selected = all.filter((s) => options.stacks.length === 0 || options.stacks.includes(s.name));
  if (options.env !== null) {
    const envs = new Set(all.map((s) => s.environment));
    if (!envs.has(options.env)) {
      throw new CliError(`--env ${options.env} matches no stack; environments: ${[...envs].sort().join(", ") || "(none)"}.`);
    }
    selected = selected.filter((s) => s.environment === options.env);
  }
  if (options.list) {
    for (const s of selected) io.stdout.write(`${s.name}\t${s.environment}\t${s.tier}\n`);
    return EXIT.OK;
  }
  if (options.changedSince !== null) {
    selected = affectedStacks(selected, all, changedFiles(options.changedSince, io.cwd));
    if (selected.length === 0) {
      io.stderr.write(`baseplate synth: no selected stack is affected by changes since ${options.changedSince}; nothing synthesized.\n`);
      return EXIT.OK;
    }
  }
  if (selected.length === 0) throw new CliError("No stack selected; check the stack names and --env.");
  const outdir = resolve(io.cwd, options.outdir);
  let result: ReturnType<StacksApp["synthesize"]>;
  try {
    result = app.synthesize({ outdir, stacks: selected.map((s) => s.name) });
  } catch (thrown) {
    throw new CliError(`Synthesis failed: ${describeThrown(thrown)}`);
  }
  for (const stack of result.stacks) {
    // the app reports files relative to the process working directory (or absolute)
    const absolute = resolve(process.cwd(), stack.file);
    const rel = relative(io.cwd, absolute);
    io.stdout.write(`synthesized ${stack.name} -> ${rel === "" || rel.startsWith("..") || isAbsolute(rel) ? absolute : rel}\n`);
  }
  return EXIT.OK;
}
