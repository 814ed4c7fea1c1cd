import { EXIT } from "./types.ts";

/**
 * An error a person can act on: one sentence naming what is wrong, where, and how to fix it.
 * `exitCode` is the process exit code the CLI uses for it (usage and input errors exit 2).
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.USAGE) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Text of anything thrown: OPA-Wasm throws strings and plain objects as well as Errors. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === "string") return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
