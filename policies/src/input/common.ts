import type { EnvironmentInfo, PolicyResource, Tier } from "./types.ts";

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

/**
 * The steps of an address that name it in a reference: the address itself and each prefix
 * ending before an instance key (`aws_subnet.s` and `module.m` for `module.m["x"].aws_subnet.s[0]`),
 * as the rules' `ref_matches` reads them.
 */
export function addressKeys(address: string): string[] {
  const keys = [address];
  for (let at = address.indexOf("["); at > 0; at = address.indexOf("[", at + 1)) keys.push(address.slice(0, at));
  return keys;
}

/**
 * Adds each resource's `referenced_by` (sorted unique addresses of the resources whose
 * `references` name it) and returns the input's `index` (address -> [type, position in
 * resources[type]]), in one pass over the references: O(resources + references).
 */
export function linkReferences(groups: Record<string, PolicyResource[]>): Record<string, [string, number]> {
  const index = Object.create(null) as Record<string, [string, number]>;
  const named = new Map<string, PolicyResource[]>();
  for (const type of Object.keys(groups)) {
    const list = groups[type] as PolicyResource[];
    list.forEach((resource, position) => {
      index[resource.address] = [type, position];
      for (const key of addressKeys(resource.address)) {
        const targets = named.get(key);
        if (targets === undefined) named.set(key, [resource]);
        else targets.push(resource);
      }
    });
  }
  const referrers = new Map<PolicyResource, Set<string>>();
  for (const list of Object.values(groups)) {
    for (const resource of list) {
      for (const ref of resource.references) {
        for (const target of named.get(ref) ?? []) {
          if (target === resource) continue;
          const from = referrers.get(target);
          if (from === undefined) referrers.set(target, new Set([resource.address]));
          else from.add(resource.address);
        }
      }
    }
  }
  for (const list of Object.values(groups)) {
    for (const resource of list) {
      const from = referrers.get(resource);
      resource.referenced_by = from === undefined ? [] : [...from].sort(compareStrings);
    }
  }
  return index;
}
