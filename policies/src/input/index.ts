/**
 * The policy input's producer: the synthesized-stack and plan normalizers (policies/CONTRACT.md),
 * reference extraction and the input types. Failures are InputErrors naming the file and the fix.
 */
import { normalizePlan } from "./plan.ts";
import { normalizeSynth, type NormalizedInput, type NormalizeOptions } from "./synth.ts";
import type { Source } from "./types.ts";

export { POLICY_INPUT_SCHEMA, type EnvironmentInfo, type PolicyInput, type PolicyResource, type RawFinding, type Source, type Tier } from "./types.ts";
export { InputError } from "./errors.ts";
export { normalizePlan, planProviders } from "./plan.ts";
export { normalizeSynth, synthProviders, type NormalizedInput, type NormalizeOptions } from "./synth.ts";
export { referenceTarget, interpolations, collectTokenReferences, splitAddress, stripIndexes } from "./references.ts";
export { isObject, tierOf, groupByType, linkReferences, addressKeys, compareStrings, type EnvironmentOverrides, type ProviderConfigs } from "./common.ts";

/** A parsed input document and what it is: a synthesized stack or a plan (`terraform show -json`). */
export interface SourceDocument {
  /** The file as shown to people, for messages. */
  file: string;
  kind: Source;
  doc: Record<string, unknown>;
  /** Stack name suggested by the file's location, if any. */
  stackHint: string | null;
}

/** Normalizes a document (synthesized stack or plan) to the policy input. */
export function normalize(input: SourceDocument, options: Omit<NormalizeOptions, "stackHint">): NormalizedInput {
  const withHint = { ...options, stackHint: input.stackHint };
  return input.kind === "synth"
    ? normalizeSynth(input.doc, { ...withHint, file: input.file })
    : normalizePlan(input.doc, { ...withHint, file: input.file });
}
