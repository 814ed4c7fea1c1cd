/**
 * Partial evaluation of Terraform expressions: what is known from configuration is computed, what
 * is not stays an `Unknown` that keeps its `${...}` form, so a rule still sees the structure
 * around it (a policy whose Resource is unknown keeps its known Principal and Action).
 */
import { callFunction, EvalError, stringOf } from "./functions.ts";
import { parseTemplate, ParseError, type Expr, type TemplatePart } from "./parse.ts";
import { equalValues, isObjectValue, isUnknown, newObject, typeName, Unknown, unknownParts, type Value } from "./values.ts";

export { EvalError } from "./functions.ts";

/** A resource or data source as an expression sees it: `aws_s3_bucket.b` then `.arn`. */
export interface ResourceHandle {
  /** `aws_s3_bucket.b`, `data.aws_partition.p`, with an instance key when indexed. */
  readonly address: string;
  /**
   * The value of one of its attributes (an Unknown when it is not known before apply);
   * `instance` is the address as written, with its instance key (`aws_s3_bucket.b[0]`).
   */
  attribute(name: string, instance: string): Value;
}

/** Where names come from. Every method may return an Unknown. */
export interface Scope {
  /** `var.<name>` */
  variable(name: string): Value;
  /** `local.<name>` */
  local(name: string): Value;
  /** `<type>.<name>` (managed) or `data.<type>.<name>`; null when the configuration has no such resource. */
  resource(mode: "managed" | "data", type: string, name: string): ResourceHandle | null;
}

/** Roots that name something known only while Terraform runs. */
const RUNTIME_ROOTS: ReadonlyMap<string, string> = new Map([
  ["count", "count.index (known per instance at plan time)"],
  ["each", "each.key / each.value (known per instance at plan time)"],
  ["path", "a filesystem path (known when Terraform runs)"],
  ["terraform", "terraform.workspace (known when Terraform runs)"],
  ["self", "self (known per instance at apply time)"],
  ["module", "a module output"],
]);

class Instance implements ResourceHandle {
  readonly address: string;
  readonly base: ResourceHandle;
  constructor(base: ResourceHandle, address: string) {
    this.base = base;
    this.address = address;
  }
  attribute(name: string): Value {
    return this.base.attribute(name, this.address);
  }
}

interface Ctx {
  src: string;
  scope: Scope;
  /** Variables bound by `for` expressions and directives, innermost last. */
  bound: Map<string, Value>[];
  /** Addresses of the resources and data sources the evaluation read (through locals too). */
  refs: Set<string>;
  depth: number;
}

const MAX_EVAL_DEPTH = 200;

function srcOf(ctx: Ctx, node: Expr): string {
  return ctx.src.slice(node.s, node.e).trim();
}

/** An Unknown for a whole node whose operands hold unknowns. */
function unknownNode(ctx: Ctx, node: Expr, operands: readonly Value[], fallback: string): Unknown {
  const what = new Set<string>();
  for (const op of operands) unknownParts(op, what);
  return new Unknown(null, `\${${srcOf(ctx, node)}}`, what.size > 0 ? [...what] : [fallback]);
}

function lookupBound(ctx: Ctx, name: string): Value | undefined {
  for (let i = ctx.bound.length - 1; i >= 0; i--) {
    const frame = ctx.bound[i] as Map<string, Value>;
    if (frame.has(name)) return frame.get(name);
  }
  return undefined;
}

type Traversed = Value | ResourceHandle | { partial: "data" | "var" | "local" | "resource-type"; parts: string[] };

function isHandle(v: Traversed): v is ResourceHandle {
  return typeof v === "object" && v !== null && "attribute" in v && typeof (v as ResourceHandle).attribute === "function";
}

function isPartial(v: Traversed): v is { partial: "data" | "var" | "local" | "resource-type"; parts: string[] } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && "partial" in v && Array.isArray((v as { parts?: unknown }).parts);
}

/** Evaluates a root name or a traversal step that may still be a partial address. */
function traverse(ctx: Ctx, node: Expr): Traversed {
  if (node.k === "variable") {
    const bound = lookupBound(ctx, node.name);
    if (bound !== undefined) return bound;
    if (node.name === "var" || node.name === "local" || node.name === "data") {
      return { partial: node.name, parts: [node.name] };
    }
    const runtime = RUNTIME_ROOTS.get(node.name);
    if (runtime !== undefined) return Unknown.of(node.name, runtime);
    return { partial: "resource-type", parts: [node.name] };
  }
  if (node.k === "attr") {
    const base = traverse(ctx, node.obj);
    if (isPartial(base)) {
      const parts = [...base.parts, node.name];
      if (base.partial === "var") return ctx.scope.variable(node.name);
      if (base.partial === "local") return ctx.scope.local(node.name);
      if (base.partial === "resource-type") return resourceHandle(ctx, "managed", parts[0] as string, node.name, srcOf(ctx, node));
      // data.<type> then data.<type>.<name>
      if (parts.length === 2) return { partial: "data", parts };
      return resourceHandle(ctx, "data", parts[1] as string, node.name, srcOf(ctx, node));
    }
    if (isHandle(base)) {
      ctx.refs.add(base.address);
      return base.attribute(node.name, base.address);
    }
    return getAttr(ctx, node, base, node.name);
  }
  if (node.k === "index") {
    const base = traverse(ctx, node.obj);
    const key = evaluate(ctx, node.key);
    if (isPartial(base)) throw new EvalError(`"${srcOf(ctx, node.obj)}" is not a value that can be indexed`);
    if (isHandle(base)) {
      if (isUnknown(key)) return unknownNode(ctx, node, [key], `an instance of ${base.address}`);
      if (typeof key !== "number" && typeof key !== "string") throw new EvalError(`an instance key of ${base.address} must be a number or a string`);
      return new Instance(base, `${base.address}[${JSON.stringify(key)}]`);
    }
    return index(ctx, node, base, key);
  }
  return evaluate(ctx, node);
}

function resourceHandle(ctx: Ctx, mode: "managed" | "data", type: string, name: string, text: string): Traversed {
  const handle = ctx.scope.resource(mode, type, name);
  const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
  ctx.refs.add(address);
  if (handle !== null) return handle;
  return Unknown.of(text, `${address} (not in this configuration)`);
}

/** The value of a traversal (attribute / index chain), resources and partial addresses resolved. */
function settle(ctx: Ctx, node: Expr, v: Traversed): Value {
  if (isPartial(v)) throw new EvalError(`"${srcOf(ctx, node)}" is not a complete reference`);
  if (isHandle(v)) {
    // a whole resource used as a value (rare): its attributes are not all known
    ctx.refs.add(v.address);
    return Unknown.of(srcOf(ctx, node), `the object ${v.address}`);
  }
  return v;
}

function getAttr(ctx: Ctx, node: Expr, base: Value, name: string): Value {
  if (base instanceof Unknown) {
    if (base.expr !== null) return new Unknown(`${base.expr}.${name}`, `\${${base.expr}.${name}}`, base.what);
    return unknownNode(ctx, node, [base], "an attribute of an unknown value");
  }
  if (isObjectValue(base)) {
    if (!Object.hasOwn(base, name)) throw new EvalError(`the object has no attribute "${name}"`);
    return base[name] as Value;
  }
  throw new EvalError(`cannot read attribute "${name}" of a ${typeName(base)}`);
}

function index(ctx: Ctx, node: Expr, base: Value, key: Value): Value {
  if (base instanceof Unknown || key instanceof Unknown) {
    if (base instanceof Unknown && base.expr !== null && !(key instanceof Unknown)) {
      const step = `${base.expr}[${JSON.stringify(key)}]`;
      return new Unknown(step, `\${${step}}`, base.what);
    }
    return unknownNode(ctx, node, [base, key], "an element of an unknown value");
  }
  if (Array.isArray(base)) {
    const i = typeof key === "number" ? key : typeof key === "string" && /^-?\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(i)) throw new EvalError(`a list index must be a whole number, not ${typeName(key)}`);
    if (i < 0 || i >= base.length) throw new EvalError(`index ${i} is out of range for a list of ${base.length}`);
    return base[i] as Value;
  }
  if (isObjectValue(base)) {
    const k = typeof key === "string" ? key : typeof key === "number" || typeof key === "boolean" ? String(key) : null;
    if (k === null) throw new EvalError(`a map key must be a string, not ${typeName(key)}`);
    if (!Object.hasOwn(base, k)) throw new EvalError(`the map has no element "${k}"`);
    return base[k] as Value;
  }
  throw new EvalError(`cannot index a ${typeName(base)}`);
}

function truth(v: Value, what: string): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new EvalError(`${what} must be a bool, not ${typeName(v)}`);
}

function num(v: Value, op: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new EvalError(`"${op}" needs numbers, not ${typeName(v)}`);
}

function binary(ctx: Ctx, node: Extract<Expr, { k: "binary" }>): Value {
  const left = evaluate(ctx, node.left);
  const right = evaluate(ctx, node.right);
  const unknown = isUnknown(left) || isUnknown(right);
  switch (node.op) {
    case "==":
    case "!=": {
      if (unknown || !isKnownDeep(left) || !isKnownDeep(right)) return unknownNode(ctx, node, [left, right], "a comparison");
      const eq = equalValues(left, right);
      return node.op === "==" ? eq : !eq;
    }
    case "&&":
    case "||": {
      // a known deciding operand decides, as in Terraform (false && x, true || x)
      const l = isUnknown(left) ? null : truth(left, `the left of "${node.op}"`);
      const r = isUnknown(right) ? null : truth(right, `the right of "${node.op}"`);
      if (node.op === "&&" && (l === false || r === false)) return false;
      if (node.op === "||" && (l === true || r === true)) return true;
      if (l === null || r === null) return unknownNode(ctx, node, [left, right], "a condition");
      return node.op === "&&" ? l && r : l || r;
    }
    case "<":
    case ">":
    case "<=":
    case ">=":
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      if (unknown) return unknownNode(ctx, node, [left, right], "arithmetic");
      return arithmetic(node.op, num(left, node.op), num(right, node.op));
    }
  }
}

function arithmetic(op: "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/" | "%", a: number, b: number): Value {
  switch (op) {
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) throw new EvalError("division by zero");
      return a / b;
    case "%":
      if (b === 0) throw new EvalError("modulo by zero");
      return a % b;
  }
}

function isKnownDeep(v: Value): boolean {
  if (v instanceof Unknown) return false;
  if (Array.isArray(v)) return v.every(isKnownDeep);
  if (isObjectValue(v)) return Object.values(v).every(isKnownDeep);
  return true;
}

function forExpr(ctx: Ctx, node: Extract<Expr, { k: "for" }>): Value {
  const coll = evaluate(ctx, node.coll);
  if (coll instanceof Unknown) return unknownNode(ctx, node, [coll], "a for expression over an unknown collection");
  const entries: [Value, Value][] = Array.isArray(coll)
    ? coll.map((v, i) => [i, v])
    : isObjectValue(coll)
      ? Object.keys(coll)
          .sort()
          .map((k) => [k, coll[k] as Value])
      : (() => {
          throw new EvalError(`a for expression needs a list, set or map, not ${typeName(coll)}`);
        })();
  const tuple: Value[] = [];
  const object = newObject();
  const grouped = new Map<string, Value[]>();
  for (const [k, v] of entries) {
    const frame = new Map<string, Value>([[node.valVar, v]]);
    if (node.keyVar !== null) frame.set(node.keyVar, k);
    ctx.bound.push(frame);
    try {
      if (node.cond !== null) {
        const c = evaluate(ctx, node.cond);
        if (c instanceof Unknown) return unknownNode(ctx, node, [c], "a for expression's condition");
        if (!truth(c, "a for expression's condition")) continue;
      }
      const value = evaluate(ctx, node.valExpr);
      if (node.keyExpr === null) tuple.push(value);
      else {
        const key = evaluate(ctx, node.keyExpr);
        if (key instanceof Unknown) return unknownNode(ctx, node, [key], "a for expression's key");
        const ks = stringOf(key, "a for expression's key");
        if (typeof ks !== "string") return unknownNode(ctx, node, [key], "a for expression's key");
        if (node.grouped) {
          const list = grouped.get(ks);
          if (list === undefined) grouped.set(ks, [value]);
          else list.push(value);
        } else {
          if (Object.hasOwn(object, ks)) throw new EvalError(`duplicate key "${ks}" in a for expression`);
          object[ks] = value;
        }
      }
    } finally {
      ctx.bound.pop();
    }
  }
  if (node.keyExpr === null) return tuple;
  if (node.grouped) for (const [k, list] of grouped) object[k] = list;
  return object;
}

function splat(ctx: Ctx, node: Extract<Expr, { k: "splat" }>): Value {
  const traversed = traverse(ctx, node.obj);
  if (isHandle(traversed)) {
    // every instance of a resource: known only once Terraform has expanded count / for_each
    ctx.refs.add(traversed.address);
    return Unknown.of(srcOf(ctx, node), `every instance of ${traversed.address}`);
  }
  const source = settle(ctx, node.obj, traversed);
  if (source instanceof Unknown) return unknownNode(ctx, node, [source], "a splat of an unknown value");
  const items: Value[] = source === null ? [] : Array.isArray(source) ? source : [source];
  return items.map((item) => {
    ctx.bound.push(new Map([["\u0000anon", item]]));
    try {
      return evaluate(ctx, node.each);
    } finally {
      ctx.bound.pop();
    }
  });
}

function template(ctx: Ctx, parts: readonly TemplatePart[]): Value {
  // a template that is one interpolation alone keeps the value's type: "${true}" is a bool
  if (parts.length === 1 && parts[0]?.k === "interp") return evaluate(ctx, parts[0].expr);
  const pieces: (string | Unknown)[] = [];
  appendParts(ctx, parts, pieces);
  if (pieces.every((p) => typeof p === "string")) return pieces.join("");
  // partly known: known text kept, each unknown piece as its ${...} token
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

function appendParts(ctx: Ctx, parts: readonly TemplatePart[], out: (string | Unknown)[]): void {
  for (const part of parts) {
    switch (part.k) {
      case "text":
        out.push(part.text);
        break;
      case "interp": {
        const v = evaluate(ctx, part.expr);
        out.push(v instanceof Unknown ? v : stringOf(v, "an interpolated value"));
        break;
      }
      case "if": {
        const c = evaluate(ctx, part.cond);
        if (c instanceof Unknown) {
          // the directive's output depends on the condition: keep the condition as the token
          out.push(new Unknown(null, `\${${srcOf(ctx, part.cond)}}`, [...unknownParts(c)]));
          break;
        }
        appendParts(ctx, truth(c, "a template %{if} condition") ? part.then : part.else, out);
        break;
      }
      case "for": {
        const coll = evaluate(ctx, part.coll);
        if (coll instanceof Unknown) {
          out.push(new Unknown(null, `\${${srcOf(ctx, part.coll)}}`, [...unknownParts(coll)]));
          break;
        }
        const entries: [Value, Value][] = Array.isArray(coll)
          ? coll.map((v, i) => [i, v])
          : isObjectValue(coll)
            ? Object.keys(coll)
                .sort()
                .map((k) => [k, coll[k] as Value])
            : [];
        for (const [k, v] of entries) {
          const frame = new Map<string, Value>([[part.valVar, v]]);
          if (part.keyVar !== null) frame.set(part.keyVar, k);
          ctx.bound.push(frame);
          try {
            appendParts(ctx, part.body, out);
          } finally {
            ctx.bound.pop();
          }
        }
        break;
      }
    }
  }
}

/**
 * `try(a, b, ...)`: the first argument that evaluates without an error; an unknown first success
 * keeps the result unknown (Terraform decides only once it is known). `can(x)`: whether x
 * evaluates without an error; unknown when x is unknown.
 */
function tryOrCan(ctx: Ctx, node: Extract<Expr, { k: "call" }>): Value {
  if (node.expand) throw new EvalError(`${node.name}() does not take an expanded argument`);
  if (node.args.length === 0) throw new EvalError(`${node.name}() needs at least one argument`);
  if (node.name === "can") {
    if (node.args.length !== 1) throw new EvalError("can() takes exactly one argument");
    try {
      const v = evaluate(ctx, node.args[0] as Expr);
      return isKnownDeep(v) ? true : unknownNode(ctx, node, [v], "can() of an unknown value");
    } catch (error) {
      if (error instanceof EvalError) return false;
      throw error;
    }
  }
  let last: EvalError | null = null;
  for (const arg of node.args) {
    try {
      const v = evaluate(ctx, arg);
      return isKnownDeep(v) ? v : unknownNode(ctx, node, [v], "try() of an unknown value");
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      last = error;
    }
  }
  throw new EvalError(`no argument of try() evaluated: ${last?.message ?? ""}`);
}

function evaluate(ctx: Ctx, node: Expr): Value {
  if (++ctx.depth > MAX_EVAL_DEPTH) throw new EvalError("expression nested too deeply");
  try {
    return evaluateNode(ctx, node);
  } finally {
    ctx.depth--;
  }
}

function evaluateNode(ctx: Ctx, node: Expr): Value {
  switch (node.k) {
    case "literal":
      return node.value;
    case "template":
      return template(ctx, node.parts);
    case "anon": {
      const v = lookupBound(ctx, "\u0000anon");
      if (v === undefined) throw new EvalError("a splat placeholder outside a splat");
      return v;
    }
    case "variable":
    case "attr":
    case "index":
      return settle(ctx, node, traverse(ctx, node));
    case "splat":
      return splat(ctx, node);
    case "call": {
      if (node.name === "try" || node.name === "can") return tryOrCan(ctx, node);
      const args = node.args.map((a) => evaluate(ctx, a));
      return callFunction(node.name, args, node.expand, {
        unknown: (operands, fallback) => unknownNode(ctx, node, operands, fallback),
      });
    }
    case "tuple":
      return node.items.map((item) => evaluate(ctx, item));
    case "object": {
      const out = newObject();
      for (const item of node.items) {
        const key = evaluate(ctx, item.key);
        const value = evaluate(ctx, item.value);
        if (key instanceof Unknown) return unknownNode(ctx, node, [key], "an object with an unknown key");
        const ks = stringOf(key, "an object key");
        if (typeof ks !== "string") return unknownNode(ctx, node, [key], "an object key");
        out[ks] = value;
      }
      return out;
    }
    case "conditional": {
      const cond = evaluate(ctx, node.cond);
      if (cond instanceof Unknown) {
        const a = evaluate(ctx, node.then);
        const b = evaluate(ctx, node.else);
        if (isKnownDeep(a) && isKnownDeep(b) && equalValues(a, b)) return a;
        return unknownNode(ctx, node, [cond], "a conditional");
      }
      return truth(cond, "a condition") ? evaluate(ctx, node.then) : evaluate(ctx, node.else);
    }
    case "unary": {
      const v = evaluate(ctx, node.value);
      if (v instanceof Unknown) return unknownNode(ctx, node, [v], "an operation");
      return node.op === "!" ? !truth(v, `the operand of "!"`) : -num(v, "-");
    }
    case "binary":
      return binary(ctx, node);
    case "for":
      return forExpr(ctx, node);
  }
}

/** The result of evaluating one JSON-syntax string. */
export interface Evaluated {
  value: Value;
  /** Addresses the string read (`aws_s3_bucket.b`, `data.aws_iam_policy_document.p`), through locals too. */
  refs: Set<string>;
}

/**
 * Evaluates a JSON-syntax string (a template) in a scope. A string that cannot be parsed or
 * evaluated (a syntax error, a type error Terraform would reject) becomes an Unknown holding the
 * string as written, with the reason: never a guess.
 */
export function evaluateString(text: string, scope: Scope, refs: Set<string> = new Set()): Evaluated {
  const ctx: Ctx = { src: text, scope, bound: [], refs, depth: 0 };
  try {
    return { value: template(ctx, parseTemplate(text)), refs };
  } catch (error) {
    if (error instanceof EvalError || error instanceof ParseError) {
      return { value: new Unknown(null, text.includes("${") ? text : `\${${JSON.stringify(text)}}`, [`not evaluated: ${error.message}`]), refs };
    }
    throw error;
  }
}
