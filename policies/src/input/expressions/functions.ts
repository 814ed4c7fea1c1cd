/**
 * Terraform's built-in functions that configurations use to build values a rule judges:
 * encoding, strings, collections and type conversions. Each follows Terraform's documented
 * behaviour on known arguments; with unknown arguments a function keeps what it can (a
 * `jsonencode` whose Resource is unknown still encodes a known Principal and Action) and
 * otherwise returns an Unknown. Functions not listed here return an Unknown: never a guess.
 */
import { equalValues, isObjectValue, isWhollyKnown, newObject, typeName, Unknown, unknownParts, fromJson, type Value, type ValueObject } from "./values.ts";

/** An error Terraform would raise while evaluating (a type error, an index out of range). */
export class EvalError extends Error {}

export interface CallHelpers {
  /** An Unknown for the whole call, with what its unknown operands are. */
  unknown(operands: readonly Value[], fallback: string): Unknown;
}

type Fn = (args: Value[], h: CallHelpers) => Value;

/** A template or string conversion of a primitive value (Terraform's automatic conversion). */
export function stringOf(v: Value, what: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  throw new EvalError(`${what} must be a string, number or bool, not ${typeName(v)}`);
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new EvalError("a number is not finite");
  return String(n);
}

function str(v: Value, fn: string): string {
  if (v instanceof Unknown) throw new EvalError(`${fn}: unexpected unknown`);
  return stringOf(v, `an argument of ${fn}()`);
}

function int(v: Value, fn: string): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new EvalError(`${fn}() needs a whole number, not ${typeName(v)}`);
  return n;
}

function list(v: Value, fn: string): Value[] {
  if (Array.isArray(v)) return v;
  throw new EvalError(`${fn}() needs a list, not ${typeName(v)}`);
}

function obj(v: Value, fn: string): ValueObject {
  if (isObjectValue(v)) return v;
  throw new EvalError(`${fn}() needs a map or object, not ${typeName(v)}`);
}

function arity(args: readonly Value[], fn: string, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new EvalError(`${fn}() takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`);
  }
}

/** JSON text of a value with each Unknown written as its `${...}` token string (cty sorts object keys). */
function encodeJson(v: Value): string {
  if (v instanceof Unknown) return JSON.stringify(v.text);
  if (v === null) return "null";
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(encodeJson).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${encodeJson(v[k] as Value)}`).join(",")}}`;
}

/** A string built from known text and unknown pieces: a string when all are known. */
function joinPieces(pieces: readonly (string | Unknown)[]): Value {
  if (pieces.every((p) => typeof p === "string")) return pieces.join("");
  const what = new Set<string>();
  let text = "";
  for (const p of pieces) {
    if (typeof p === "string") text += p;
    else {
      text += p.text;
      for (const w of p.what) what.add(w);
    }
  }
  return new Unknown(null, text, [...what]);
}

function formatVerbs(spec: string, args: readonly Value[]): (string | Unknown)[] {
  const pieces: (string | Unknown)[] = [];
  let next = 0;
  let literal = "";
  const re = /%(%|([-+ #0]*)(\d+)?(?:\.(\d+))?([sdfqvtxXeEgGbo]))/g;
  let last = 0;
  for (const m of spec.matchAll(re)) {
    literal += spec.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[1] === "%") {
      literal += "%";
      continue;
    }
    if (next >= args.length) throw new EvalError(`format(): not enough arguments for "${m[0]}"`);
    const arg = args[next++] as Value;
    if (arg instanceof Unknown) {
      pieces.push(literal, arg);
      literal = "";
      continue;
    }
    const flags = m[2] ?? "";
    const width = m[3] === undefined ? 0 : Number(m[3]);
    const precision = m[4] === undefined ? null : Number(m[4]);
    let text: string;
    switch (m[5]) {
      case "s":
        text = stringOf(arg, "format() %s");
        if (precision !== null) text = [...text].slice(0, precision).join("");
        break;
      case "q":
        text = JSON.stringify(stringOf(arg, "format() %q"));
        break;
      case "v":
        text = flags.includes("#") || !(typeof arg === "string" || typeof arg === "number" || typeof arg === "boolean") ? encodeJson(arg) : stringOf(arg, "format() %v");
        break;
      case "t":
        if (typeof arg !== "boolean") throw new EvalError("format() %t needs a bool");
        text = String(arg);
        break;
      case "d": {
        const n = int(arg, "format %d");
        text = String(Math.abs(n));
        if (n < 0) text = `-${text}`;
        else if (flags.includes("+")) text = `+${text}`;
        break;
      }
      case "f":
      case "e":
      case "E":
      case "g":
      case "G": {
        const n = typeof arg === "number" ? arg : Number(stringOf(arg, "format() %f"));
        if (Number.isNaN(n)) throw new EvalError("format() %f needs a number");
        const verb = m[5];
        text = verb === "f" ? n.toFixed(precision ?? 6) : verb === "e" || verb === "E" ? n.toExponential(precision ?? 6) : String(n);
        if (verb === "E" || verb === "G") text = text.toUpperCase();
        break;
      }
      case "x":
      case "X":
      case "b":
      case "o": {
        const n = int(arg, "format");
        text = n.toString(m[5] === "b" ? 2 : m[5] === "o" ? 8 : 16);
        if (m[5] === "X") text = text.toUpperCase();
        break;
      }
      case undefined:
      default:
        throw new EvalError(`format(): unsupported verb "${m[0]}"`);
    }
    if (text.length < width) text = flags.includes("-") ? text.padEnd(width) : text.padStart(width, flags.includes("0") && m[5] !== "s" ? "0" : " ");
    literal += text;
  }
  literal += spec.slice(last);
  if (next < args.length) throw new EvalError(`format(): too many arguments`);
  pieces.push(literal);
  return pieces;
}

/** Terraform's set semantics on a list: known duplicates removed, unknown elements kept. */
function distinctValues(items: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) {
    if (item instanceof Unknown || !out.some((o) => !(o instanceof Unknown) && equalValues(o, item))) out.push(item);
  }
  return out;
}

function flattenInto(items: readonly Value[], out: Value[], h: CallHelpers): Unknown | null {
  for (const item of items) {
    if (item instanceof Unknown) return h.unknown([item], "flatten() of an unknown list");
    if (Array.isArray(item)) {
      const u = flattenInto(item, out, h);
      if (u !== null) return u;
    } else out.push(item);
  }
  return null;
}

/** Terraform's regular-expression patterns (`/.../` in replace): RE2 syntax read as a JavaScript RegExp. */
function regexOf(pattern: string): RegExp {
  try {
    return new RegExp(pattern.slice(1, -1), "gu");
  } catch {
    throw new EvalError(`replace(): invalid regular expression ${pattern}`);
  }
}

/** Functions that need every argument known: they return an Unknown otherwise. */
const STRICT: Record<string, Fn> = {
  split(args) {
    arity(args, "split", 2);
    const sep = str(args[0] as Value, "split");
    const s = str(args[1] as Value, "split");
    if (s === "") return [];
    return sep === "" ? [...s] : s.split(sep);
  },
  lower: (args) => (arity(args, "lower", 1), str(args[0] as Value, "lower").toLowerCase()),
  upper: (args) => (arity(args, "upper", 1), str(args[0] as Value, "upper").toUpperCase()),
  title: (args) => (arity(args, "title", 1), str(args[0] as Value, "title").replace(/\b\p{L}/gu, (c) => c.toUpperCase())),
  trimspace: (args) => (arity(args, "trimspace", 1), str(args[0] as Value, "trimspace").trim()),
  chomp: (args) => (arity(args, "chomp", 1), str(args[0] as Value, "chomp").replace(/(\r\n|\n|\r)+$/, "")),
  trimprefix(args) {
    arity(args, "trimprefix", 2);
    const s = str(args[0] as Value, "trimprefix");
    const p = str(args[1] as Value, "trimprefix");
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimsuffix(args) {
    arity(args, "trimsuffix", 2);
    const s = str(args[0] as Value, "trimsuffix");
    const p = str(args[1] as Value, "trimsuffix");
    return p !== "" && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  trim(args) {
    arity(args, "trim", 2);
    const s = [...str(args[0] as Value, "trim")];
    const cut = new Set(str(args[1] as Value, "trim"));
    let a = 0;
    let b = s.length;
    while (a < b && cut.has(s[a] as string)) a++;
    while (b > a && cut.has(s[b - 1] as string)) b--;
    return s.slice(a, b).join("");
  },
  replace(args) {
    arity(args, "replace", 3);
    const s = str(args[0] as Value, "replace");
    const find = str(args[1] as Value, "replace");
    const with_ = str(args[2] as Value, "replace");
    if (find.length > 1 && find.startsWith("/") && find.endsWith("/")) return s.replace(regexOf(find), with_);
    return find === "" ? s : s.split(find).join(with_);
  },
  substr(args) {
    arity(args, "substr", 3);
    const s = [...str(args[0] as Value, "substr")];
    let offset = int(args[1] as Value, "substr");
    const length = int(args[2] as Value, "substr");
    if (offset < 0) offset = s.length + offset;
    return s.slice(offset, length < 0 ? undefined : offset + length).join("");
  },
  startswith: (args) => (arity(args, "startswith", 2), str(args[0] as Value, "startswith").startsWith(str(args[1] as Value, "startswith"))),
  endswith: (args) => (arity(args, "endswith", 2), str(args[0] as Value, "endswith").endsWith(str(args[1] as Value, "endswith"))),
  strcontains: (args) => (arity(args, "strcontains", 2), str(args[0] as Value, "strcontains").includes(str(args[1] as Value, "strcontains"))),
  tonumber(args) {
    arity(args, "tonumber", 1);
    const v = args[0] as Value;
    if (v === null || typeof v === "number") return v;
    const n = Number(str(v, "tonumber"));
    if (typeof v !== "string" || v.trim() === "" || Number.isNaN(n)) throw new EvalError(`tonumber(): cannot convert ${JSON.stringify(v)}`);
    return n;
  },
  tobool(args) {
    arity(args, "tobool", 1);
    const v = args[0] as Value;
    if (v === null || typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw new EvalError(`tobool(): cannot convert ${typeName(v)}`);
  },
  keys(args) {
    arity(args, "keys", 1);
    return Object.keys(obj(args[0] as Value, "keys")).sort();
  },
  values(args) {
    arity(args, "values", 1);
    const o = obj(args[0] as Value, "values");
    return Object.keys(o)
      .sort()
      .map((k) => o[k] as Value);
  },
  contains(args) {
    arity(args, "contains", 2);
    return list(args[0] as Value, "contains").some((item) => equalValues(item, args[1] as Value));
  },
  distinct: (args) => (arity(args, "distinct", 1), distinctValues(list(args[0] as Value, "distinct"))),
  compact: (args) => (arity(args, "compact", 1), list(args[0] as Value, "compact").filter((v) => v !== null && v !== "")),
  reverse: (args) => (arity(args, "reverse", 1), [...list(args[0] as Value, "reverse")].reverse()),
  sort: (args) => (arity(args, "sort", 1), list(args[0] as Value, "sort").map((v) => stringOf(v, "an element of sort()")).sort()),
  slice(args) {
    arity(args, "slice", 3);
    const l = list(args[0] as Value, "slice");
    const a = int(args[1] as Value, "slice");
    const b = int(args[2] as Value, "slice");
    if (a < 0 || b > l.length || a > b) throw new EvalError("slice(): index out of range");
    return l.slice(a, b);
  },
  zipmap(args) {
    arity(args, "zipmap", 2);
    const ks = list(args[0] as Value, "zipmap");
    const vs = list(args[1] as Value, "zipmap");
    if (ks.length !== vs.length) throw new EvalError("zipmap(): the lists differ in length");
    const out = newObject();
    ks.forEach((k, i) => (out[stringOf(k, "a zipmap() key")] = vs[i] as Value));
    return out;
  },
  range(args) {
    arity(args, "range", 1, 3);
    const n = args.map((a) => int(a, "range"));
    const [start, end, step] = n.length === 1 ? [0, n[0] as number, 1] : [n[0] as number, n[1] as number, n[2] ?? ((n[0] as number) <= (n[1] as number) ? 1 : -1)];
    if (step === 0) throw new EvalError("range(): step must not be zero");
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) throw new EvalError("range(): more than 1024 elements");
    }
    return out;
  },
  abs: (args) => (arity(args, "abs", 1), Math.abs(int(args[0] as Value, "abs"))),
  max: (args) => Math.max(...args.map((a) => (typeof a === "number" ? a : Number(str(a, "max"))))),
  min: (args) => Math.min(...args.map((a) => (typeof a === "number" ? a : Number(str(a, "min"))))),
  base64encode: (args) => (arity(args, "base64encode", 1), Buffer.from(str(args[0] as Value, "base64encode"), "utf8").toString("base64")),
  base64decode(args) {
    arity(args, "base64decode", 1);
    const s = str(args[0] as Value, "base64decode");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new EvalError("base64decode(): not base64");
    return Buffer.from(s, "base64").toString("utf8");
  },
  tomap: (args) => (arity(args, "tomap", 1), obj(args[0] as Value, "tomap")),
};

/** Functions that keep what they can of partly unknown arguments. */
const PARTIAL: Record<string, Fn> = {
  jsondecode(args, h) {
    arity(args, "jsondecode", 1);
    const v = args[0] as Value;
    let parsed: unknown;
    try {
      // a partly known JSON text (jsonencode of a value with unknown parts) decodes to the same
      // structure, each unknown part back as an Unknown
      parsed = JSON.parse(v instanceof Unknown ? v.text : str(v, "jsondecode"));
    } catch {
      if (v instanceof Unknown) return h.unknown([v], "jsondecode() of an unknown value");
      throw new EvalError("jsondecode(): the argument is not valid JSON");
    }
    return fromJson(parsed, v instanceof Unknown ? v.what.join("; ") : "a value decoded from JSON");
  },
  jsonencode(args) {
    arity(args, "jsonencode", 1);
    const v = args[0] as Value;
    const text = encodeJson(v);
    return isWhollyKnown(v) ? text : new Unknown(null, text, [...unknownParts(v)]);
  },
  format(args, h) {
    if (args.length === 0) throw new EvalError("format() needs a format string");
    const spec = args[0] as Value;
    if (spec instanceof Unknown) return h.unknown([spec], "format() with an unknown format");
    return joinPieces(formatVerbs(stringOf(spec, "the format of format()"), args.slice(1)));
  },
  join(args, h) {
    if (args.length < 2) throw new EvalError("join() needs a separator and at least one list");
    const sep = args[0] as Value;
    if (sep instanceof Unknown || args.some((a) => a instanceof Unknown)) return h.unknown(args, "join() of an unknown list");
    const separator = stringOf(sep, "the separator of join()");
    const pieces: (string | Unknown)[] = [];
    for (const l of args.slice(1)) {
      for (const item of list(l, "join")) {
        if (pieces.length > 0) pieces.push(separator);
        pieces.push(item instanceof Unknown ? item : stringOf(item, "an element of join()"));
      }
    }
    return joinPieces(pieces);
  },
  concat(args, h) {
    if (args.some((a) => a instanceof Unknown)) return h.unknown(args, "concat() of an unknown list");
    return args.flatMap((a) => list(a, "concat"));
  },
  merge(args, h) {
    if (args.some((a) => a instanceof Unknown)) return h.unknown(args, "merge() of an unknown map");
    const out = newObject();
    for (const a of args) {
      if (a === null) continue;
      const o = obj(a, "merge");
      for (const k of Object.keys(o)) out[k] = o[k] as Value;
    }
    return out;
  },
  lookup(args, h) {
    arity(args, "lookup", 2, 3);
    const [m, k] = args as [Value, Value];
    if (m instanceof Unknown || k instanceof Unknown) return h.unknown(args, "lookup() in an unknown map");
    const o = obj(m, "lookup");
    const key = stringOf(k, "the key of lookup()");
    if (Object.hasOwn(o, key)) return o[key] as Value;
    if (args.length === 3) return args[2] as Value;
    throw new EvalError(`lookup(): no element "${key}" and no default`);
  },
  element(args, h) {
    arity(args, "element", 2);
    const [l, i] = args as [Value, Value];
    if (l instanceof Unknown || i instanceof Unknown) return h.unknown(args, "element() of an unknown list");
    const items = list(l, "element");
    if (items.length === 0) throw new EvalError("element(): the list is empty");
    const n = int(i, "element");
    if (n < 0) throw new EvalError("element(): a negative index");
    return items[n % items.length] as Value;
  },
  tolist(args, h) {
    arity(args, "tolist", 1);
    const v = args[0] as Value;
    if (v instanceof Unknown) return h.unknown(args, "an unknown list");
    return v === null ? null : list(v, "tolist");
  },
  toset(args, h) {
    arity(args, "toset", 1);
    const v = args[0] as Value;
    if (v instanceof Unknown) return h.unknown(args, "an unknown set");
    return v === null ? null : distinctValues(list(v, "toset"));
  },
  flatten(args, h) {
    arity(args, "flatten", 1);
    const v = args[0] as Value;
    if (v instanceof Unknown) return h.unknown(args, "flatten() of an unknown list");
    const out: Value[] = [];
    return flattenInto(list(v, "flatten"), out, h) ?? out;
  },
  length(args, h) {
    arity(args, "length", 1);
    const v = args[0] as Value;
    if (v instanceof Unknown) return h.unknown(args, "length() of an unknown value");
    if (typeof v === "string") return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObjectValue(v)) return Object.keys(v).length;
    throw new EvalError(`length() of ${typeName(v)}`);
  },
  coalesce(args, h) {
    for (const a of args) {
      if (a instanceof Unknown) return h.unknown(args, "coalesce() of an unknown value");
      if (a !== null && a !== "") return a;
    }
    throw new EvalError("coalesce(): no non-null, non-empty argument");
  },
  coalescelist(args, h) {
    for (const a of args) {
      if (a instanceof Unknown) return h.unknown(args, "coalescelist() of an unknown list");
      if (list(a, "coalescelist").length > 0) return a;
    }
    throw new EvalError("coalescelist(): no non-empty list");
  },
  tostring(args, h) {
    arity(args, "tostring", 1);
    const v = args[0] as Value;
    if (v instanceof Unknown) return h.unknown(args, "an unknown string");
    return v === null ? null : stringOf(v, "the argument of tostring()");
  },
};

/** Calls a Terraform function by name on evaluated arguments. */
export function callFunction(name: string, given: Value[], expand: boolean, h: CallHelpers): Value {
  let args = given;
  if (expand) {
    const last = args[args.length - 1] as Value;
    if (last instanceof Unknown) return h.unknown([last], `${name}() of an unknown expanded argument`);
    args = [...args.slice(0, -1), ...list(last, name)];
  }
  const partial = PARTIAL[name];
  if (partial !== undefined && Object.hasOwn(PARTIAL, name)) return partial(args, h);
  const strict = STRICT[name];
  if (strict !== undefined && Object.hasOwn(STRICT, name)) {
    if (!args.every(isWhollyKnown)) return h.unknown(args, `${name}() of an unknown value`);
    return strict(args, h);
  }
  return h.unknown([], `${name}() is not evaluated by Baseplate`);
}

/** The names of the functions Baseplate evaluates (for docs and tests). */
export const EVALUATED_FUNCTIONS: readonly string[] = [...Object.keys(PARTIAL), ...Object.keys(STRICT), "try", "can"].sort();
