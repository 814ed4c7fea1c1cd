/**
 * The CLI's door to the policy input normalizers (@baseplate/policies/input): their InputErrors
 * become CliErrors (exit 2) with the same message, as the bundle loader's errors do.
 */
import { InputError, normalize as normalizeDocument, normalizeSynth as normalizeSynthDocument, type NormalizedInput, type NormalizeOptions } from "@baseplate/policies/input";
import { CliError } from "./errors.ts";
import type { LoadedInput } from "./input/index.ts";

export type { EnvironmentOverrides, NormalizedInput, NormalizeOptions } from "@baseplate/policies/input";

function wrapped<T>(run: () => T): T {
  try {
    return run();
  } catch (thrown) {
    if (thrown instanceof InputError) throw new CliError(thrown.message);
    throw thrown;
  }
}

/** Normalizes a loaded input (synthesized stack or plan) to the policy input; a malformed one is a CliError. */
export function normalize(input: LoadedInput, options: Omit<NormalizeOptions, "stackHint">): NormalizedInput {
  return wrapped(() => normalizeDocument(input, options));
}

/** A synthesized stack's document -> the policy input; a malformed one is a CliError. */
export function normalizeSynth(doc: Record<string, unknown>, options: NormalizeOptions): NormalizedInput {
  return wrapped(() => normalizeSynthDocument(doc, options));
}
