import { InputError } from "./errors.ts";
import { POLICY_INPUT_SCHEMA, type EnvironmentInfo, type PolicyInput, type PolicyResource } from "./types.ts";
import {
  defaultAwsProvider,
  environmentFromProvider,
  groupByType,
  isObject,
  linkReferences,
  literalString,
  mergeEnvironment,
  sortedUnique,
  tierOf,
  type EnvironmentOverrides,
  type ProviderConfigs,
} from "./common.ts";
import { collectTokenReferences } from "./references.ts";

export interface NormalizeOptions {
  /** RFC 3339 evaluation time. */
  now: string;
  /** Stack name override (else from the input, else `stackHint`). */
  stack?: string | null;
  /** Stack name suggested by the file location. */
  stackHint?: string | null;
  environment?: EnvironmentOverrides;
  /** The input file as shown to the user, for error messages. */
  file?: string;
}

/** Policy input plus the provider configurations (`providers`: config key -> configuration). */
export type NormalizedInput = PolicyInput & { providers: ProviderConfigs };

function withoutMetadata(config: Record<string, unknown>): Record<string, unknown> {
  // Object rest copies with CreateDataProperty: a "__proto__" key stays an own data property.
  const { "//": _metadata, ...values } = config;
  return values;
}

function constructPath(config: Record<string, unknown>): string | null {
  const meta = config["//"];
  if (isObject(meta) && isObject(meta["metadata"]) && typeof meta["metadata"]["path"] === "string") {
    return meta["metadata"]["path"];
  }
  return null;
}

function providerKey(config: Record<string, unknown>, type: string): string {
  const given = config["provider"];
  if (typeof given === "string" && given !== "") {
    const match = /^\$\{(.+)\}$/.exec(given);
    return match?.[1] ?? given;
  }
  const underscore = type.indexOf("_");
  return underscore > 0 ? type.slice(0, underscore) : type;
}

/** `provider.aws[]` entries -> `aws` / `aws.<alias>`. */
export function synthProviders(doc: Record<string, unknown>): ProviderConfigs {
  const providers = Object.create(null) as ProviderConfigs;
  const block = doc["provider"];
  if (!isObject(block)) return providers;
  for (const [name, entries] of Object.entries(block)) {
    const list: unknown[] = Array.isArray(entries) ? entries : [entries];
    for (const entry of list) {
      if (!isObject(entry)) continue;
      const alias = literalString(entry["alias"]);
      providers[alias === null ? name : `${name}.${alias}`] = withoutMetadata(entry);
    }
  }
  return providers;
}

interface BaseplateMetadata {
  environment: Record<string, unknown> | null;
  sources: Map<string, string>;
}

/** The stack-level `"//".baseplate` block Baseplate stacks write: environment and construct source locations. */
function baseplateMetadata(doc: Record<string, unknown>): BaseplateMetadata {
  const result: BaseplateMetadata = { environment: null, sources: new Map() };
  const meta = doc["//"];
  const baseplate = isObject(meta) ? meta["baseplate"] : undefined;
  if (!isObject(baseplate)) return result;
  if (isObject(baseplate["environment"])) result.environment = baseplate["environment"];
  if (isObject(baseplate["sources"])) {
    for (const [path, location] of Object.entries(baseplate["sources"])) {
      if (typeof location === "string") result.sources.set(path, location);
    }
  }
  return result;
}

/**
 * Where a construct was declared: its own entry in `sources`, else that of its nearest recorded
 * ancestor (Baseplate records the constructs people write, not every resource inside them).
 */
function sourceOf(construct: string, sources: ReadonlyMap<string, string>): string | null {
  let path = construct;
  for (;;) {
    const found = sources.get(path);
    if (found !== undefined) return found;
    const slash = path.lastIndexOf("/");
    if (slash <= 0) return null;
    path = path.slice(0, slash);
  }
}

function synthStackName(doc: Record<string, unknown>): string | null {
  const meta = doc["//"];
  if (!isObject(meta)) return null;
  const fromBaseplate = isObject(meta["baseplate"]) ? literalString(meta["baseplate"]["stack"]) : null;
  const fromCdktf = isObject(meta["metadata"]) ? literalString(meta["metadata"]["stackName"]) : null;
  return fromBaseplate ?? fromCdktf;
}

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : `a ${typeof v}`;
}

/** A cdktf synthesized stack (cdk.tf.json) -> the policy input (policies/CONTRACT.md). */
export function normalizeSynth(doc: Record<string, unknown>, options: NormalizeOptions): NormalizedInput {
  const metadata = baseplateMetadata(doc);
  const providers = synthProviders(doc);
  const resources: PolicyResource[] = [];
  const file = options.file ?? "the synthesized stack";
  const malformed = (where: string, what: string): InputError =>
    new InputError(`${file}: ${where} is ${what}, not an object; a synthesized stack holds objects there. Regenerate it with \`baseplate synth\`.`);
  for (const mode of ["managed", "data"] as const) {
    const key = mode === "managed" ? "resource" : "data";
    const block = doc[key];
    if (block === undefined) continue;
    if (!isObject(block)) throw malformed(`"${key}"`, kindOf(block));
    for (const [type, byName] of Object.entries(block)) {
      if (type === "") throw new InputError(`${file}: "${key}" has a resource type with an empty name; regenerate the stack with \`baseplate synth\`.`);
      if (!isObject(byName)) throw malformed(`"${key}.${type}"`, kindOf(byName));
      for (const [name, config] of Object.entries(byName)) {
        if (name === "") throw new InputError(`${file}: "${key}.${type}" has a resource with an empty name; regenerate the stack with \`baseplate synth\`.`);
        if (!isObject(config)) throw malformed(`"${key}.${type}.${name}"`, kindOf(config));
        const values = withoutMetadata(config);
        const references = new Set<string>();
        collectTokenReferences(values, references);
        const construct = constructPath(config);
        resources.push({
          address: mode === "data" ? `data.${type}.${name}` : `${type}.${name}`,
          mode,
          type,
          name,
          values,
          before: null,
          unknown: {},
          sensitive: {},
          actions: [],
          replace: false,
          references: sortedUnique(references),
          construct,
          source_location: construct === null ? null : sourceOf(construct, metadata.sources),
          provider: providerKey(config, type),
        });
      }
    }
  }
  // Baseplate's own metadata wins; the default AWS provider fills what it leaves out.
  const fromProvider = environmentFromProvider(defaultAwsProvider(providers));
  const declared = metadata.environment ?? {};
  const found: EnvironmentInfo = {
    name: literalString(declared["name"]) ?? fromProvider.name,
    tier: tierOf(declared["tier"]) ?? fromProvider.tier,
    account: literalString(declared["account"]) ?? fromProvider.account,
    region: literalString(declared["region"]) ?? fromProvider.region,
  };
  const stack = options.stack ?? synthStackName(doc) ?? options.stackHint ?? "stack";
  const grouped = groupByType(resources);
  const index = linkReferences(grouped);
  return {
    schema: POLICY_INPUT_SCHEMA,
    source: "synth",
    stack,
    environment: mergeEnvironment(found, options.environment),
    now: options.now,
    resources: grouped,
    index,
    providers,
  };
}
