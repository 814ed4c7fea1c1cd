/**
 * Values of partially evaluated Terraform expressions: JSON values whose parts may be `Unknown`.
 */

/** A value, or part of a value, that cannot be known before apply (or that Baseplate cannot compute). */
export class Unknown {
  /** The expression that denotes it (`aws_s3_bucket.b.arn`), when it is one; attribute access extends it. */
  readonly expr: string | null;
  /** What it reads as in the policy input's `values`: always holds a `${...}` token. */
  readonly text: string;
  /** What is not known, for people: "the arn of aws_s3_bucket.b", "var.name (no default)". */
  readonly what: readonly string[];

  constructor(expr: string | null, text: string, what: readonly string[]) {
    this.expr = expr;
    this.text = text;
    this.what = what;
  }

  /** An unknown denoted by one expression: reads `${expr}`. */
  static of(expr: string, what: string): Unknown {
    return new Unknown(expr, `\${${expr}}`, [what]);
  }
}

export type Known = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Value = Known | Unknown;
export type ValueObject = { [key: string]: Value };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObjectValue(v: unknown): v is ValueObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** A fresh object without a prototype: a key such as `__proto__` stays an ordinary key. */
export function newObject(): ValueObject {
  return Object.create(null) as ValueObject;
}

/** True when v holds no Unknown anywhere. */
export function isWhollyKnown(v: Value): boolean {
  if (v instanceof Unknown) return false;
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (isObjectValue(v)) {
    for (const key in v) if (!isWhollyKnown(v[key] as Value)) return false;
  }
  return true;
}

/** Every description of what is unknown inside v, in order, without repeats. */
export function unknownParts(v: Value, into: Set<string> = new Set()): Set<string> {
  if (v instanceof Unknown) for (const w of v.what) into.add(w);
  else if (Array.isArray(v)) for (const item of v) unknownParts(item, into);
  else if (isObjectValue(v)) for (const key in v) unknownParts(v[key] as Value, into);
  return into;
}

/** Terraform's type name of a value, for messages. */
export function typeName(v: Value): string {
  if (v === null) return "null";
  if (v instanceof Unknown) return "unknown";
  if (Array.isArray(v)) return "tuple";
  if (typeof v === "object") return "object";
  return typeof v;
}

/**
 * The plain JSON form of a value for the policy input: each Unknown becomes its `${...}` text.
 * Objects are copied into ordinary objects (own data properties only).
 */
export function toJson(v: Value): unknown {
  if (v instanceof Unknown) return v.text;
  if (Array.isArray(v)) return v.map(toJson);
  if (isObjectValue(v)) {
    const out: Record<string, unknown> = {};
    for (const key in v) {
      Object.defineProperty(out, key, { value: toJson(v[key] as Value), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/** A plain JSON value as a Value: strings holding a `${...}` token become Unknown (their text kept). */
export function fromJson(v: unknown, what: string): Value {
  if (typeof v === "string") return v.includes("${") ? new Unknown(null, v, [what]) : v;
  if (Array.isArray(v)) return v.map((item) => fromJson(item, what));
  if (typeof v === "object" && v !== null) {
    const out = newObject();
    for (const [key, item] of Object.entries(v)) out[key] = fromJson(item, what);
    return out;
  }
  if (typeof v === "number" || typeof v === "boolean" || v === null) return v;
  return null;
}

/** Deep equality of two known values (Terraform's `==` on known operands). */
export function equalValues(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalValues(x, b[i] as Value));
  if (isObjectValue(a) && isObjectValue(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equalValues(a[k] as Value, b[k] as Value));
  }
  return false;
}
