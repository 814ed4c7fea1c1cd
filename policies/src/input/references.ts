/**
 * Reference extraction: resource addresses named in Terraform interpolations (`${...}`) and in plan
 * `configuration` reference strings.
 */

/** Roots of Terraform expressions that never name a resource. */
const NON_RESOURCE_ROOTS = new Set(["var", "local", "each", "count", "path", "terraform", "self"]);

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+$/;

/**
 * Address of the resource or module a reference traversal points at, or null:
 * `aws_kms_key.k.arn` -> `aws_kms_key.k`, `data.aws_iam_policy_document.p.json` ->
 * `data.aws_iam_policy_document.p`, `aws_subnet.s[0].id` -> `aws_subnet.s[0]`,
 * `module.vpc.vpc_id` -> `module.vpc`, `var.x` -> null.
 */
export function referenceTarget(traversal: string): string | null {
  const parts: string[] = [];
  let i = 0;
  // read up to three dot-separated identifiers, keeping an index right after the resource name
  const readIdent = (): string | null => {
    IDENT.lastIndex = i;
    const m = IDENT.exec(traversal);
    if (m === null) return null;
    i = IDENT.lastIndex;
    return m[0];
  };
  const first = readIdent();
  if (first === null || NON_RESOURCE_ROOTS.has(first)) return null;
  parts.push(first);
  const want = first === "data" ? 3 : first === "module" ? 2 : 2;
  while (parts.length < want) {
    if (traversal[i] !== ".") return null;
    i++;
    const next = readIdent();
    if (next === null) return null;
    parts.push(next);
  }
  // a resource type is `<provider>_<kind>`: a letter first, an underscore after the provider name
  if (first !== "data" && first !== "module" && !RESOURCE_TYPE.test(first)) return null;
  if (first === "data" && !RESOURCE_TYPE.test(parts[1] ?? "")) return null;
  let address = parts.join(".");
  if (traversal[i] === "[") {
    const close = indexClose(traversal, i);
    if (close > i) {
      const key = traversal.slice(i, close + 1);
      if (/^\[(\d+|"(?:[^"\\]|\\.)*")\]$/.test(key)) address += key;
    }
  }
  return address;
}

function indexClose(text: string, open: number): number {
  let inString = false;
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === "\\") j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "]") return j;
  }
  return -1;
}

/** Bodies of the `${...}` interpolations in a string (nested braces and quoted strings respected; `$${` is a literal). */
export function interpolations(text: string): string[] {
  const bodies: string[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf("${", from);
    if (start < 0) break;
    if (start > 0 && text[start - 1] === "$") {
      from = start + 2;
      continue;
    }
    let depth = 1;
    let j = start + 2;
    let quote = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (quote) {
        if (c === "\\") j++;
        else if (c === '"') quote = false;
      } else if (c === '"') quote = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    bodies.push(text.slice(start + 2, depth === 0 ? j - 1 : j));
    from = j;
  }
  return bodies;
}

/** Start of a traversal: an identifier not preceded by `.`, `]`, a word character or a quote. */
const TRAVERSAL_START = /(?<![\w.\]"'-])(?:data\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*|[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/g;

/** Resource and module addresses referenced in one interpolation body. */
export function referencesInExpression(body: string, into: Set<string>): void {
  // blank out quoted strings so literals such as "a.b" are not read as references
  const code = body.replace(/"(?:[^"\\]|\\.)*"/g, (literal: string, offset: number) =>
    body[offset - 1] === "[" ? literal : " ".repeat(literal.length),
  );
  for (const match of code.matchAll(TRAVERSAL_START)) {
    // keep quoted index keys from the original text
    const raw = body.slice(match.index, match.index + match[0].length);
    const target = referenceTarget(raw);
    if (target !== null) into.add(target);
  }
}

/** Every reference in `${...}` tokens anywhere in a JSON value (strings, arrays, object values). */
export function collectTokenReferences(value: unknown, into: Set<string>): void {
  // An explicit stack instead of recursion: hostile input may nest arbitrarily deep.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === "string") {
      if (v.includes("${")) for (const body of interpolations(v)) referencesInExpression(body, into);
    } else if (Array.isArray(v)) {
      for (const item of v) pending.push(item);
    } else if (typeof v === "object" && v !== null) {
      for (const item of Object.values(v)) pending.push(item);
    }
  }
}

/**
 * Splits a Terraform address into its steps, keeping each index with its step:
 * `module.a["x"].aws_s3_bucket.b[0]` -> [`module`, `a["x"]`, `aws_s3_bucket`, `b[0]`].
 */
export function splitAddress(address: string): string[] {
  const steps: string[] = [];
  let current = "";
  let inBracket = false;
  let inString = false;
  for (let i = 0; i < address.length; i++) {
    const c = address.charAt(i);
    if (inString) {
      current += c;
      if (c === "\\") {
        current += address.charAt(i + 1);
        i++;
      } else if (c === '"') inString = false;
    } else if (inBracket) {
      current += c;
      if (c === '"') inString = true;
      else if (c === "]") inBracket = false;
    } else if (c === "[") {
      current += c;
      inBracket = true;
    } else if (c === ".") {
      steps.push(current);
      current = "";
    } else current += c;
  }
  steps.push(current);
  return steps;
}

/** An address with every instance key removed: `module.a["x"].aws_s3_bucket.b[0]` -> `module.a.aws_s3_bucket.b`. */
export function stripIndexes(address: string): string {
  return splitAddress(address)
    .map((step) => {
      const bracket = step.indexOf("[");
      return bracket < 0 ? step : step.slice(0, bracket);
    })
    .join(".");
}
