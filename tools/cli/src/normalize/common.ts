import type { EnvironmentInfo, PolicyResource, Tier } from "../types.ts";

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Code-point order: locale-independent, so output is byte-for-byte stable across machines. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

const TIERS: ReadonlyMap<string, Tier> = new Map<string, Tier>([
  ["dev", "dev"],
  ["development", "dev"],
  ["stage", "stage"],
  ["staging", "stage"],
  ["prod", "prod"],
  ["production", "prod"],
]);

/** A tier from a name as people write it (`production` -> `prod`), or null. */
export function tierOf(value: unknown): Tier | null {
  return typeof value === "string" ? (TIERS.get(value.trim().toLowerCase()) ?? null) : null;
}

/** A usable literal string: not empty and not an unresolved `${...}` token. */
export function literalString(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" || trimmed.includes("${") ? null : trimmed;
}

/** Caller-supplied values that take precedence over what the input says. */
export interface EnvironmentOverrides {
  name?: string | null;
  tier?: Tier | null;
  account?: string | null;
  region?: string | null;
}

export function mergeEnvironment(found: EnvironmentInfo, overrides: EnvironmentOverrides | undefined): EnvironmentInfo {
  const env: EnvironmentInfo = {
    name: overrides?.name ?? found.name,
    tier: overrides?.tier ?? found.tier,
    account: overrides?.account ?? found.account,
    region: overrides?.region ?? found.region,
  };
  if (env.tier === null) env.tier = tierOf(env.name);
  return env;
}

/**
 * Groups resources by type in one pass; each list sorted by address. The map has no prototype, so a
 * resource type such as `__proto__` or `constructor` is only ever a key.
 */
export function groupByType(resources: PolicyResource[]): Record<string, PolicyResource[]> {
  const groups = Object.create(null) as Record<string, PolicyResource[]>;
  const sorted = [...resources].sort((a, b) => compareStrings(a.address, b.address));
  for (const resource of sorted) {
    const list = groups[resource.type];
    if (list === undefined) groups[resource.type] = [resource];
    else list.push(resource);
  }
  // emit keys in sorted order so the JSON is stable
  const ordered = Object.create(null) as Record<string, PolicyResource[]>;
  for (const type of Object.keys(groups).sort(compareStrings)) ordered[type] = groups[type] as PolicyResource[];
  return ordered;
}

/** Provider config key -> its configuration (`aws`, `aws.us_east_1`). */
export type ProviderConfigs = Record<string, Record<string, unknown>>;

/** The environment suggested by a provider configuration: account, region and the `Environment` default tag. */
export function environmentFromProvider(config: Record<string, unknown> | undefined): EnvironmentInfo {
  const env: EnvironmentInfo = { name: null, tier: null, account: null, region: null };
  if (config === undefined) return env;
  env.region = literalString(config["region"]);
  const accounts = config["allowed_account_ids"];
  if (Array.isArray(accounts) && accounts.length === 1) env.account = literalString(accounts[0]);
  const tags = defaultTags(config);
  env.name = literalString(tags["Environment"] ?? tags["environment"]);
  return env;
}

function defaultTags(config: Record<string, unknown>): Record<string, unknown> {
  const block = config["default_tags"];
  const first: unknown = Array.isArray(block) ? block[0] : block;
  if (isObject(first) && isObject(first["tags"])) return first["tags"];
  return {};
}

/** The default (un-aliased) AWS provider configuration, if any. */
export function defaultAwsProvider(providers: ProviderConfigs): Record<string, unknown> | undefined {
  return Object.hasOwn(providers, "aws") ? providers["aws"] : undefined;
}
