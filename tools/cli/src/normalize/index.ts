import type { LoadedInput } from "../input/index.ts";
import { normalizePlan } from "./plan.ts";
import { normalizeSynth, type NormalizedInput, type NormalizeOptions } from "./synth.ts";

export { normalizePlan, planProviders } from "./plan.ts";
export { normalizeSynth, synthProviders, type NormalizedInput, type NormalizeOptions } from "./synth.ts";
export { referenceTarget, interpolations, collectTokenReferences, splitAddress, stripIndexes } from "./references.ts";
export { tierOf, groupByType, linkReferences, addressKeys, compareStrings, type EnvironmentOverrides, type ProviderConfigs } from "./common.ts";

/** Normalizes a loaded input (synthesized stack or plan) to the policy input. */
export function normalize(input: LoadedInput, options: Omit<NormalizeOptions, "stackHint">): NormalizedInput {
  const withHint = { ...options, stackHint: input.stackHint };
  return input.kind === "synth"
    ? normalizeSynth(input.doc, { ...withHint, file: input.file })
    : normalizePlan(input.doc, { ...withHint, file: input.file });
}
