/**
 * Mandatory tags. Every taggable resource carries all of them, with validated values:
 * the provider's `default_tags` reach most resources; {@link TagEnforcer} covers the rest.
 */

/** Data classification levels, from least to most sensitive. */
export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** Tag keys, in the order they are written. */
export const MANDATORY_TAG_KEYS = [
  "Owner",
  "CostCenter",
  "Environment",
  "Service",
  "DataClassification",
  "ManagedBy",
  "Repository",
] as const;
export type MandatoryTagKey = (typeof MANDATORY_TAG_KEYS)[number];
export type MandatoryTags = Record<MandatoryTagKey, string>;

/** Value written to `ManagedBy`. */
export const MANAGED_BY = "baseplate";

const OWNER = /^(?:[a-z0-9][a-z0-9-]{1,62}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})$/;
const COST_CENTER = /^CC-\d{4,6}$/;
const SLUG = /^[a-z][a-z0-9-]{0,39}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Validation of each mandatory tag: a predicate and the fix shown when it fails. */
export const TAG_RULES: Record<MandatoryTagKey, { valid: (v: string) => boolean; fix: string }> = {
  Owner: { valid: (v) => OWNER.test(v), fix: "set owner to a team slug (e.g. 'payments-team') or an email address" },
  CostCenter: { valid: (v) => COST_CENTER.test(v), fix: "set costCenter to the finance code, 'CC-' and 4-6 digits, e.g. 'CC-1042'" },
  Environment: { valid: (v) => /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/.test(v), fix: "use the environment name from the environment context" },
  Service: { valid: (v) => SLUG.test(v), fix: "set service to a lowercase slug, e.g. 'payments-api'" },
  DataClassification: {
    valid: (v) => (DATA_CLASSIFICATIONS as readonly string[]).includes(v),
    fix: `set dataClassification to one of ${DATA_CLASSIFICATIONS.join(", ")}`,
  },
  ManagedBy: { valid: (v) => v === MANAGED_BY, fix: `ManagedBy is always '${MANAGED_BY}'` },
  Repository: { valid: (v) => REPOSITORY.test(v), fix: "set repository to 'owner/name'" },
};

/** Returns `[problem, fix]` pairs for a candidate tag set; empty when valid. */
export function tagProblems(tags: Partial<Record<string, unknown>>): [string, string][] {
  const problems: [string, string][] = [];
  for (const key of MANDATORY_TAG_KEYS) {
    const value = tags[key];
    if (value === undefined || value === null || value === "") {
      problems.push([`mandatory tag ${key} is missing`, TAG_RULES[key].fix]);
    } else if (typeof value !== "string" || !TAG_RULES[key].valid(value)) {
      problems.push([`tag ${key}=${JSON.stringify(value)} is invalid`, TAG_RULES[key].fix]);
    }
  }
  return problems;
}
