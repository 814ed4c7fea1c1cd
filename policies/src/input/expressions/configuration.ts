/**
 * A JSON-syntax Terraform configuration (`cdk.tf.json`) as a scope for expressions: variables
 * with their defaults, locals, resources (their configured arguments are known, computed
 * attributes are not) and the data sources whose result is known (aws.ts). Each resource is
 * evaluated once, on demand, and memoized.
 */
import { dataSourceAttributes, type AwsEnvironment } from "./aws.ts";
import { evaluateString, type ResourceHandle, type Scope } from "./evaluate.ts";
import { isTemplate } from "./parse.ts";
import { fromJson, isObjectValue, newObject, Unknown, type Value, type ValueObject } from "./values.ts";

export type { AwsEnvironment } from "./aws.ts";

/** Arguments Terraform does not read as expressions of the resource's own values. */
const META_ARGUMENTS = new Set(["depends_on", "provider", "lifecycle", "provisioner", "connection", "//"]);

/** Deeper than this, a value is kept as written (hostile input may nest without limit). */
const MAX_TREE_DEPTH = 256;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A block body: an object, or (as hcl2json writes it) a list of objects merged in order. */
function bodyOf(v: unknown): Record<string, unknown> {
  if (isRecord(v)) return v;
  if (Array.isArray(v)) {
    const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const item of v) if (isRecord(item)) for (const [k, x] of Object.entries(item)) merged[k] = x;
    return merged;
  }
  return Object.create(null) as Record<string, unknown>;
}

/**
 * Evaluates every template string of a JSON-syntax value. A subtree without templates is
 * returned as it is (no copy): strings without `${` or `%{` cost one `includes` each.
 */
export function evaluateTree(v: unknown, scope: Scope, refs: Set<string>, depth = 0, topLevel = false): Value {
  if (typeof v === "string") return isTemplate(v) ? evaluateString(v, scope, refs).value : v;
  if (v === null || typeof v !== "object" || depth > MAX_TREE_DEPTH) return v as Value;
  if (Array.isArray(v)) {
    let out: Value[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const evaluated = evaluateTree(item, scope, refs, depth + 1);
      if (out === null && evaluated !== item) out = v.slice(0, i) as Value[];
      if (out !== null) out.push(evaluated);
    }
    return out ?? (v as Value[]);
  }
  let out: ValueObject | null = null;
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = record[key];
    const evaluated = topLevel && META_ARGUMENTS.has(key) ? (item as Value) : evaluateTree(item, scope, refs, depth + 1);
    if (out === null && evaluated !== item) {
      out = newObject();
      for (let j = 0; j < i; j++) out[keys[j] as string] = record[keys[j] as string] as Value;
    }
    if (out !== null) out[key] = evaluated;
  }
  return out ?? (record as ValueObject);
}

/** One resource or data source of the configuration, evaluated. */
export interface EvaluatedResource {
  /** Configuration values with expressions evaluated; unknown parts are Unknown. */
  values: Value;
  /** Attributes computed from configuration (data sources: `json`, `partition`, ...), else null. */
  computed: ValueObject | null;
  /** Addresses its expressions read, through locals and variables too. */
  refs: Set<string>;
}

const IN_PROGRESS = Symbol("in progress");

export interface ConfigurationOptions {
  /** The stack's environment (account and region) for `aws_caller_identity`, `aws_region`, `aws_partition`. */
  environment: AwsEnvironment;
  /** Provider configurations by config key (`aws`, `aws.us_east_1`), values as written. */
  providers?: Record<string, Record<string, unknown>>;
  /** Known values of input variables (a plan's `variables`), taking precedence over defaults. */
  variables?: Record<string, unknown>;
}

/** The scope of a JSON-syntax configuration. */
export class Configuration implements Scope {
  readonly doc: Record<string, unknown>;
  readonly options: ConfigurationOptions;
  private readonly variables: Record<string, unknown>;
  private readonly locals: Record<string, unknown>;
  private readonly localValues = new Map<string, Value | typeof IN_PROGRESS>();
  private readonly resources = new Map<string, EvaluatedResource | typeof IN_PROGRESS>();

  constructor(doc: Record<string, unknown>, options: ConfigurationOptions) {
    this.doc = doc;
    this.options = options;
    this.variables = bodyOf(doc["variable"]);
    this.locals = bodyOf(doc["locals"]);
  }

  variable(name: string): Value {
    const given = this.options.variables;
    if (given !== undefined && Object.hasOwn(given, name)) return fromJson(given[name], `var.${name}`);
    const declared = Object.hasOwn(this.variables, name) ? bodyOf(this.variables[name]) : null;
    if (declared === null) return Unknown.of(`var.${name}`, `var.${name} (not declared)`);
    if (!Object.hasOwn(declared, "default")) return Unknown.of(`var.${name}`, `var.${name} (no default: set when Terraform runs)`);
    // a variable's default is a literal value in JSON syntax, not a template
    return fromJson(declared["default"], `var.${name}`);
  }

  local(name: string): Value {
    if (!Object.hasOwn(this.locals, name)) return Unknown.of(`local.${name}`, `local.${name} (not declared)`);
    const memo = this.localValues.get(name);
    if (memo === IN_PROGRESS) return Unknown.of(`local.${name}`, `local.${name} (refers to itself)`);
    if (memo !== undefined) return memo;
    this.localValues.set(name, IN_PROGRESS);
    const value = evaluateTree(this.locals[name], this, new Set());
    this.localValues.set(name, value);
    return value;
  }

  private body(mode: "managed" | "data", type: string, name: string): Record<string, unknown> | null {
    const block = bodyOf(this.doc[mode === "data" ? "data" : "resource"]);
    if (!Object.hasOwn(block, type)) return null;
    const byName = bodyOf(block[type]);
    return Object.hasOwn(byName, name) ? bodyOf(byName[name]) : null;
  }

  /** The region of the provider configuration a resource uses, else the environment's. */
  private regionOf(config: Record<string, unknown>, type: string): string | null {
    const providers = this.options.providers ?? {};
    const given = config["provider"];
    const key =
      typeof given === "string" && given !== "" ? given.replace(/^\$\{(.*)\}$/, "$1") : type.slice(0, Math.max(0, type.indexOf("_")));
    const provider = Object.hasOwn(providers, key) ? providers[key] : undefined;
    const region = provider?.["region"];
    if (typeof region === "string" && region !== "") {
      const value = isTemplate(region) ? evaluateString(region, this).value : region;
      if (typeof value === "string") return value;
    }
    return this.options.environment.region;
  }

  /** A resource or data source evaluated (memoized); null when the configuration has none such. */
  evaluate(mode: "managed" | "data", type: string, name: string): EvaluatedResource | null {
    const key = `${mode}|${type}|${name}`;
    const memo = this.resources.get(key);
    if (memo === IN_PROGRESS) return null;
    if (memo !== undefined) return memo;
    const config = this.body(mode, type, name);
    if (config === null) return null;
    this.resources.set(key, IN_PROGRESS);
    const refs = new Set<string>();
    const values = evaluateTree(config, this, refs, 0, true);
    const computed = mode === "data" && isObjectValue(values) ? dataSourceAttributes(type, values, this.regionOf(config, type), this.options.environment) : null;
    const result: EvaluatedResource = { values, computed, refs };
    this.resources.set(key, result);
    return result;
  }

  resource(mode: "managed" | "data", type: string, name: string): ResourceHandle | null {
    if (this.body(mode, type, name) === null) return null;
    const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    return {
      address,
      attribute: (attr: string, instance: string): Value => {
        const evaluated = this.evaluate(mode, type, name);
        if (evaluated !== null) {
          if (evaluated.computed !== null && Object.hasOwn(evaluated.computed, attr)) return evaluated.computed[attr] as Value;
          const values = evaluated.values;
          // a configured argument is known at plan time when its expression is
          if (attr !== "id" && isObjectValue(values) && !META_ARGUMENTS.has(attr) && Object.hasOwn(values, attr)) return values[attr] as Value;
        }
        return Unknown.of(`${instance}.${attr}`, `the ${attr} of ${instance}`);
      },
    };
  }
}

/**
 * Where a value is not fully known, in the shape of the value (like a plan's `after_unknown`):
 * an Unknown is the description of what is unknown; an object keeps only the keys that hold
 * something unknown; a list keeps its length, with null for known elements. Undefined when the
 * value is fully known.
 */
export function symbolicOf(v: Value): unknown {
  if (v instanceof Unknown) return v.what.join("; ");
  if (Array.isArray(v)) {
    let any = false;
    const out = v.map((item) => {
      const s = symbolicOf(item);
      if (s !== undefined) any = true;
      return s ?? null;
    });
    return any ? out : undefined;
  }
  if (isObjectValue(v)) {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(v)) {
      const s = symbolicOf(v[key] as Value);
      if (s === undefined) continue;
      out ??= {};
      Object.defineProperty(out, key, { value: s, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return undefined;
}

/** The plain JSON of a value for the policy input; subtrees without Unknowns are returned as they are. */
export function plainOf(v: Value): unknown {
  if (v instanceof Unknown) return v.text;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item = v[i] as Value;
      const plain = plainOf(item);
      if (out === null && plain !== item) out = v.slice(0, i);
      if (out !== null) out.push(plain);
    }
    return out ?? v;
  }
  if (isObjectValue(v)) {
    let out: Record<string, unknown> | null = null;
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = v[key] as Value;
      const plain = plainOf(item);
      if (out === null && (plain !== item || Object.getPrototypeOf(v) === null)) {
        out = {};
        for (let j = 0; j < i; j++) Object.defineProperty(out, keys[j] as string, { value: v[keys[j] as string], enumerable: true, writable: true, configurable: true });
      }
      if (out !== null) Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
    }
    return out ?? v;
  }
  return v;
}
