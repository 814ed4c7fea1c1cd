/** Shared helpers for the policy scripts: locating and running the pinned `opa`. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** policies/ */
export const POLICIES_DIR = resolve(here, "..");
/** Repository root. */
export const ROOT_DIR = resolve(POLICIES_DIR, "..");
export const REGO_DIR = join(POLICIES_DIR, "rego");
export const BUILD_DIR = join(POLICIES_DIR, "build");
export const CASES_DIR = join(POLICIES_DIR, "test", "cases");
/** The documented findings entrypoint (policies/CONTRACT.md). */
export const ENTRYPOINT = "baseplate/findings";
/** Findings plus whether the input parsed; what src/index.ts evaluates. */
export const RESULT_ENTRYPOINT = "baseplate/result";
export const ENTRYPOINTS = [ENTRYPOINT, RESULT_ENTRYPOINT];

/** Thrown for failures a person can act on; scripts print only the message. */
export class ScriptError extends Error {
  override name = "ScriptError";
}

/** The opa binary: .tools/bin/opa of this work tree first, then PATH. */
export function findOpa(): string {
  const candidates = [join(ROOT_DIR, ".tools", "bin", "opa")];
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir) candidates.push(join(dir, "opa"));
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new ScriptError("opa was not found in .tools/bin or on PATH; run 'bash tools/setup.sh' from the repository root.");
  }
  return found;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs opa with args; throws a ScriptError naming the command when it cannot start. */
export function opa(args: string[], options: { cwd?: string; allowFailure?: boolean } = {}): RunResult {
  const bin = findOpa();
  const res = spawnSync(bin, args, {
    cwd: options.cwd ?? POLICIES_DIR,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.error) {
    throw new ScriptError(`could not run '${bin} ${args.join(" ")}': ${res.error.message}; run 'bash tools/setup.sh'.`);
  }
  const out: RunResult = { status: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
  if (out.status !== 0 && !options.allowFailure) {
    const detail = (out.stderr || out.stdout).trim();
    throw new ScriptError(`'opa ${args.join(" ")}' failed (exit ${out.status}):\n${detail}`);
  }
  return out;
}

/** Runs opa with args without blocking (for running several opa processes at once). */
export function opaAsync(args: string[], options: { cwd?: string } = {}): Promise<RunResult> {
  const bin = findOpa();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd ?? POLICIES_DIR });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new ScriptError(`could not run '${bin} ${args.join(" ")}': ${e.message}; run 'bash tools/setup.sh'.`)));
    child.on("close", (code) => {
      resolvePromise({ status: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** The opa version string, e.g. "1.22.2". */
export function opaVersion(): string {
  const out = opa(["version"]).stdout;
  const m = /^Version:\s*(\S+)/m.exec(out);
  if (!m?.[1]) throw new ScriptError(`could not read the opa version from 'opa version':\n${out}`);
  return m[1];
}

/** Runs main and turns ScriptErrors into a one-line message and exit code 1. */
export function runMain(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((err: unknown) => {
      if (err instanceof ScriptError) {
        console.error(`error: ${err.message}`);
      } else {
        console.error(err);
      }
      process.exitCode = 1;
    });
}

/** True when the module at metaUrl is the script node was started with. */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(metaUrl);
}
