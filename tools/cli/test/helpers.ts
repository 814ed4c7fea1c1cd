import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = join(CLI_ROOT, "bin", "baseplate.js");
export const FIXTURES = join(CLI_ROOT, "test", "fixtures");
export const NOW = "2026-11-24T00:00:00Z";

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function readFixtureJson(...parts: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(fixture(...parts), "utf8")) as Record<string, unknown>;
}

export function tempDir(prefix = "baseplate-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would: `node tools/cli/bin/baseplate.js ...`. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env["FORCE_COLOR"];
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? CLI_ROOT,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command line in process through the same entry point as the binary (no new Node process). */
export async function runMain(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const { main } = await import("../src/main.ts");
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd ?? CLI_ROOT,
  });
  return { code, stdout, stderr };
}
