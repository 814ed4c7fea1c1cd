import { InputError } from "./errors.ts";
import { POLICY_INPUT_SCHEMA, type PolicyResource } from "./types.ts";
import {
  defaultAwsProvider,
  environmentFromProvider,
  groupByType,
  isObject,
  linkReferences,
  mergeEnvironment,
  sortedUnique,
  type ProviderConfigs,
} from "./common.ts";
import { referenceTarget, stripIndexes } from "./references.ts";
import type { NormalizedInput, NormalizeOptions } from "./synth.ts";

const EMPTY: readonly unknown[] = [];

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}

function objectOr(value: unknown, fallback: Record<string, unknown>): Record<string, unknown> {
  return isObject(value) ? value : fallback;
}

/** Every `references` string inside a configuration expression tree. */
function collectExpressionReferences(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectExpressionReferences(item, into);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "references" && Array.isArray(value)) {
      for (const ref of value) if (typeof ref === "string") into.add(ref);
    } else if (key !== "constant_value") {
      collectExpressionReferences(value, into);
    }
  }
}

interface ConfiguredResource {
  references: Set<string>;
  /** `provider_config_key`, e.g. `aws`, `aws.us_east_1`, `net:aws`. */
  providerKey: string | null;
}

/**
 * Configuration index: "<module path>|<address in module>" -> raw reference strings and provider
 * config key, where the module path has no instance keys (`module.net.module.sub`, "" for the root).
 */
function indexConfiguration(configuration: unknown): Map<string, ConfiguredResource> {
  const index = new Map<string, ConfiguredResource>();
  const visit = (module: unknown, path: string, depth: number): void => {
    if (!isObject(module) || depth > 100) return;
    for (const resource of asArray(module["resources"])) {
      if (!isObject(resource) || typeof resource["address"] !== "string") continue;
      const refs = new Set<string>();
      collectExpressionReferences(resource["expressions"], refs);
      collectExpressionReferences(resource["count_expression"], refs);
      collectExpressionReferences(resource["for_each_expression"], refs);
      const providerKey = typeof resource["provider_config_key"] === "string" ? resource["provider_config_key"] : null;
      index.set(`${path}|${resource["address"]}`, { references: refs, providerKey });
    }
    const calls = module["module_calls"];
    if (isObject(calls)) {
      for (const [name, call] of Object.entries(calls)) {
        if (isObject(call)) visit(call["module"], path === "" ? `module.${name}` : `${path}.module.${name}`, depth + 1);
      }
    }
  };
  if (isObject(configuration)) visit(configuration["root_module"], "", 0);
  return index;
}

const OMIT = Symbol("not a constant");

/** Expression tree of a provider block -> plain values; attributes that are not constants are omitted. */
function expressionValues(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(expressionValues).filter((v) => v !== OMIT);
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k) => k === "constant_value" || k === "references")) {
    return "constant_value" in node ? node["constant_value"] : OMIT;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const converted = expressionValues(value);
    if (converted === OMIT) continue;
    Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `configuration.provider_config` -> provider config key -> configuration values. */
export function planProviders(doc: Record<string, unknown>): ProviderConfigs {
  const providers = Object.create(null) as ProviderConfigs;
  const configuration = doc["configuration"];
  const configs = isObject(configuration) ? configuration["provider_config"] : undefined;
  if (!isObject(configs)) return providers;
  for (const [key, config] of Object.entries(configs)) {
    if (!isObject(config)) continue;
    const values = expressionValues(config["expressions"] ?? {});
    providers[key] = isObject(values) ? values : {};
  }
  return providers;
}

interface Instance {
  address: string;
  moduleAddress: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  provider: string;
  values: Record<string, unknown>;
  before: Record<string, unknown> | null;
  unknown: Record<string, unknown>;
  sensitive: Record<string, unknown>;
  actions: string[];
}

/** Resources of a planned_values / prior_state module tree, depth first. */
function* moduleResources(module: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!isObject(module) || depth > 100) return;
  for (const resource of asArray(module["resources"])) if (isObject(resource)) yield resource;
  for (const child of asArray(module["child_modules"])) yield* moduleResources(child, depth + 1);
}

function moduleOf(address: string, mode: string, type: string): string {
  const marker = mode === "data" ? `data.${type}.` : `${type}.`;
  const at = address.startsWith(marker) ? 0 : address.lastIndexOf(`.${marker}`);
  return at <= 0 ? "" : address.slice(0, at);
}

function fromChange(change: Record<string, unknown>, file: string): Instance | null {
  if (typeof change["deposed"] === "string") return null; // a deposed object: its current instance is reported separately
  const address = change["address"];
  const type = change["type"];
  const name = change["name"];
  const mode = change["mode"] === "data" ? "data" : "managed";
  const body = change["change"];
  if (typeof address !== "string" || typeof type !== "string" || typeof name !== "string" || address === "" || type === "" || name === "" || !isObject(body)) {
    throw new InputError(`${file} has a resource_changes entry without address, type, name or change (or with an empty one); regenerate it with \`terraform show -json <planfile>\`.`);
  }
  const actions = asArray(body["actions"]).filter((a): a is string => typeof a === "string");
  const before = isObject(body["before"]) ? body["before"] : null;
  const after = isObject(body["after"]) ? body["after"] : null;
  const removing = actions.length === 1 && (actions[0] === "delete" || actions[0] === "forget");
  return {
    address,
    moduleAddress: typeof change["module_address"] === "string" ? change["module_address"] : moduleOf(address, mode, type),
    mode,
    type,
    name,
    provider: typeof change["provider_name"] === "string" ? change["provider_name"] : "",
    values: (removing ? before : (after ?? before)) ?? {},
    before,
    unknown: objectOr(body["after_unknown"], {}),
    sensitive: objectOr(body["after_sensitive"], {}),
    actions,
  };
}

function fromValues(resource: Record<string, unknown>, actions: string[]): Instance | null {
  const address = resource["address"];
  const type = resource["type"];
  const name = resource["name"];
  if (typeof address !== "string" || typeof type !== "string" || typeof name !== "string") return null;
  const mode = resource["mode"] === "data" ? "data" : "managed";
  return {
    address,
    moduleAddress: moduleOf(address, mode, type),
    mode,
    type,
    name,
    provider: typeof resource["provider_name"] === "string" ? resource["provider_name"] : "",
    values: objectOr(resource["values"], {}),
    before: null,
    unknown: {},
    sensitive: objectOr(resource["sensitive_values"], {}),
    actions,
  };
}

/**
 * The key of `providers` a resource uses: its `provider_config_key` when the plan configures that
 * provider (`module:aws` falls back to `aws`, the configuration a module inherits), else null.
 */
function providerKeyFor(key: string | null, providers: ProviderConfigs): string | null {
  if (key === null) return null;
  if (Object.hasOwn(providers, key)) return key;
  const colon = key.lastIndexOf(":");
  if (colon >= 0 && Object.hasOwn(providers, key.slice(colon + 1))) return key.slice(colon + 1);
  return key;
}

/** The default configuration of a resource type's provider: `aws_s3_bucket` -> `aws`. */
function defaultProviderKey(type: string): string {
  const underscore = type.indexOf("_");
  return underscore > 0 ? type.slice(0, underscore) : type;
}

/** A plan from `terraform show -json` -> the policy input (policies/CONTRACT.md). */
export function normalizePlan(doc: Record<string, unknown>, options: NormalizeOptions & { file: string }): NormalizedInput {
  if (doc["errored"] === true) {
    throw new InputError(
      `${options.file} is the plan of a failed \`terraform plan\` (errored: true), so it does not show every change; fix the planning error and pass the new plan.`,
    );
  }
  if (doc["complete"] === false) {
    throw new InputError(
      `${options.file} is an incomplete plan (complete: false, some changes deferred), so it does not show every change; apply in steps and check each complete plan.`,
    );
  }
  const instances = new Map<string, Instance>();
  const changes = doc["resource_changes"];
  if (changes !== undefined && changes !== null && !Array.isArray(changes)) {
    throw new InputError(`${options.file} has a "resource_changes" that is not a list; regenerate it with \`terraform show -json <planfile>\`.`);
  }
  for (const change of asArray(changes)) {
    if (!isObject(change)) continue;
    const instance = fromChange(change, options.file);
    if (instance !== null) instances.set(instance.address, instance);
  }
  // Data sources read while planning, and (old formats) unchanged resources, appear only in the values trees.
  const planned = objectOr(doc["planned_values"], {});
  const prior = objectOr(doc["prior_state"], {});
  const priorValues = objectOr(prior["values"], {});
  for (const tree of [planned["root_module"], priorValues["root_module"]]) {
    for (const resource of moduleResources(tree)) {
      const address = resource["address"];
      if (typeof address !== "string" || instances.has(address)) continue;
      const instance = fromValues(resource, resource["mode"] === "data" ? ["read"] : ["no-op"]);
      if (instance !== null) instances.set(address, instance);
    }
  }

  // "<module instance>.<type>.<name>" -> every instance address (count / for_each expand).
  const byConfigAddress = new Map<string, string[]>();
  for (const instance of instances.values()) {
    const local = instance.mode === "data" ? `data.${instance.type}.${instance.name}` : `${instance.type}.${instance.name}`;
    const key = instance.moduleAddress === "" ? local : `${instance.moduleAddress}.${local}`;
    const list = byConfigAddress.get(key);
    if (list === undefined) byConfigAddress.set(key, [instance.address]);
    else list.push(instance.address);
  }

  const configIndex = indexConfiguration(doc["configuration"]);
  const providers = planProviders(doc);
  const resources: PolicyResource[] = [];
  for (const instance of instances.values()) {
    const local = instance.mode === "data" ? `data.${instance.type}.${instance.name}` : `${instance.type}.${instance.name}`;
    const configured = configIndex.get(`${stripIndexes(instance.moduleAddress)}|${local}`);
    const references = new Set<string>();
    if (configured !== undefined) {
      for (const ref of configured.references) {
        const target = referenceTarget(ref);
        if (target === null) continue;
        const full = instance.moduleAddress === "" ? target : `${instance.moduleAddress}.${target}`;
        const expanded = target.endsWith("]") ? undefined : byConfigAddress.get(full);
        if (expanded === undefined) references.add(full);
        else for (const address of expanded) references.add(address);
      }
    }
    references.delete(instance.address);
    resources.push({
      address: instance.address,
      mode: instance.mode,
      type: instance.type,
      name: instance.name,
      values: instance.values,
      before: instance.before,
      unknown: instance.unknown,
      sensitive: instance.sensitive,
      actions: instance.actions,
      replace: instance.actions.includes("delete") && instance.actions.includes("create"),
      references: sortedUnique(references),
      construct: null,
      source_location: null,
      provider: providerKeyFor(configured?.providerKey ?? null, providers) ?? defaultProviderKey(instance.type),
    });
  }

  const found = environmentFromProvider(defaultAwsProvider(providers));
  const grouped = groupByType(resources);
  const index = linkReferences(grouped);
  return {
    schema: POLICY_INPUT_SCHEMA,
    source: "plan",
    stack: options.stack ?? options.stackHint ?? "plan",
    environment: mergeEnvironment(found, options.environment),
    now: options.now,
    resources: grouped,
    index,
    providers,
  };
}
