/**
 * Parser for Terraform (HCL native syntax) expressions and templates, as they appear in the
 * strings of a JSON-syntax configuration (`cdk.tf.json`, a plan's `constant_value`).
 *
 * Why hand-written: the only maintained HCL expression parser usable from Node is cdktf's own
 * `@cdktf/hcl2json` (`getExpressionAst`), a Go program compiled to WebAssembly. Measured on this
 * project's machine it takes about 3 s to start and several milliseconds per expression, behind
 * an asynchronous bridge, while `baseplate check` has to judge 10,000 resources in under a second
 * and the normalizers are synchronous; its tree also leaves object keys untyped. `hcl2json` turns
 * files into JSON and keeps expressions as `${...}` strings, so it does not help either. The
 * grammar below follows HCL's native-syntax specification (hashicorp/hcl, hclsyntax/spec.md):
 * literals, templates with interpolations, `%{if}` / `%{for}` directives, strip markers and
 * `$${` / `%%{` escapes, collections, attribute / index / splat traversals, function calls with
 * an expanded final argument, `for` expressions, unary and binary operators with HCL's
 * precedence, and conditionals. Heredocs do not occur in JSON strings and are refused.
 */

/** Offsets into the parsed text: [start, end). */
interface Span {
  s: number;
  e: number;
}

export type TemplatePart =
  | { k: "text"; text: string }
  | { k: "interp"; expr: Expr }
  | { k: "if"; cond: Expr; then: TemplatePart[]; else: TemplatePart[] }
  | { k: "for"; keyVar: string | null; valVar: string; coll: Expr; body: TemplatePart[] };

export type Expr = Span &
  (
    | { k: "literal"; value: null | boolean | number | string }
    | { k: "template"; parts: TemplatePart[] }
    | { k: "variable"; name: string }
    | { k: "attr"; obj: Expr; name: string }
    | { k: "index"; obj: Expr; key: Expr }
    | { k: "splat"; obj: Expr; each: Expr }
    | { k: "anon" }
    | { k: "call"; name: string; args: Expr[]; expand: boolean }
    | { k: "tuple"; items: Expr[] }
    | { k: "object"; items: { key: Expr; value: Expr }[] }
    | { k: "conditional"; cond: Expr; then: Expr; else: Expr }
    | { k: "unary"; op: "!" | "-"; value: Expr }
    | { k: "binary"; op: BinaryOp; left: Expr; right: Expr }
    | {
        k: "for";
        keyVar: string | null;
        valVar: string;
        coll: Expr;
        keyExpr: Expr | null;
        valExpr: Expr;
        cond: Expr | null;
        grouped: boolean;
      }
  );

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/" | "%";

/** A syntax error at an offset of the parsed text. */
export class ParseError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.offset = offset;
  }
}

const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ["||"],
  ["&&"],
  ["==", "!="],
  ["<", ">", "<=", ">="],
  ["+", "-"],
  ["*", "/", "%"],
];

/** Nesting limit: hostile input may nest arbitrarily deep. */
const MAX_DEPTH = 200;

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;

class Parser {
  readonly src: string;
  pos = 0;
  depth = 0;

  constructor(src: string) {
    this.src = src;
  }

  fail(message: string, at = this.pos): never {
    throw new ParseError(message, at);
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nested deeper than ${MAX_DEPTH} levels`);
  }

  // ---- whitespace and small tokens -------------------------------------------------------

  /** Skips spaces, newlines and comments (`#`, `//`, `/* *\/`). */
  skip(): void {
    const src = this.src;
    for (;;) {
      const c = src.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else if (c === 35 || (c === 47 && src.charCodeAt(this.pos + 1) === 47)) {
        const nl = src.indexOf("\n", this.pos);
        this.pos = nl < 0 ? src.length : nl + 1;
      } else if (c === 47 && src.charCodeAt(this.pos + 1) === 42) {
        const end = src.indexOf("*/", this.pos + 2);
        if (end < 0) this.fail("unterminated comment");
        this.pos = end + 2;
      } else return;
    }
  }

  peek(text: string): boolean {
    this.skip();
    return this.src.startsWith(text, this.pos);
  }

  eat(text: string): boolean {
    if (!this.peek(text)) return false;
    this.pos += text.length;
    return true;
  }

  expect(text: string): void {
    if (!this.eat(text)) this.fail(`expected "${text}"`);
  }

  ident(): string | null {
    this.skip();
    if (!IDENT_START.test(this.src.charAt(this.pos))) return null;
    const start = this.pos;
    this.pos++;
    while (this.pos < this.src.length && IDENT_CHAR.test(this.src.charAt(this.pos))) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Peeks at a keyword (an identifier equal to word, not a prefix of a longer one). */
  keyword(word: string): boolean {
    this.skip();
    if (!this.src.startsWith(word, this.pos)) return false;
    const after = this.src.charAt(this.pos + word.length);
    return after === "" || !IDENT_CHAR.test(after);
  }

  // ---- expressions ------------------------------------------------------------------------

  expression(): Expr {
    this.enter();
    const start = (this.skip(), this.pos);
    const cond = this.binary(0);
    let result = cond;
    if (this.eat("?")) {
      const then = this.expression();
      this.expect(":");
      const otherwise = this.expression();
      result = { k: "conditional", cond, then, else: otherwise, s: start, e: this.pos };
    }
    this.depth--;
    return result;
  }

  binary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    const start = (this.skip(), this.pos);
    let left = this.binary(level + 1);
    const ops = BINARY_LEVELS[level] as readonly BinaryOp[];
    for (;;) {
      this.skip();
      // longest operator first ("<=" before "<"); "=>" and "==" are not "=" here
      const op = [...ops].sort((a, b) => b.length - a.length).find((o) => this.src.startsWith(o, this.pos));
      if (op === undefined) return left;
      // "-" followed by ">" is not an operator in HCL, and "*" must not be a splat marker: both
      // are impossible in binary position, so no special case is needed beyond this
      this.pos += op.length;
      const right = this.binary(level + 1);
      left = { k: "binary", op, left, right, s: start, e: this.pos };
    }
  }

  unary(): Expr {
    this.skip();
    const start = this.pos;
    const c = this.src.charAt(this.pos);
    if (c === "!" && this.src.charAt(this.pos + 1) !== "=") {
      this.pos++;
      this.enter();
      const value = this.unary();
      this.depth--;
      return { k: "unary", op: "!", value, s: start, e: this.pos };
    }
    if (c === "-") {
      this.pos++;
      this.enter();
      const value = this.unary();
      this.depth--;
      if (value.k === "literal" && typeof value.value === "number") return { k: "literal", value: -value.value, s: start, e: this.pos };
      return { k: "unary", op: "-", value, s: start, e: this.pos };
    }
    return this.postfix(this.primary());
  }

  /** Attribute access, indexes and splats after a term. */
  postfix(term: Expr): Expr {
    let expr = term;
    for (;;) {
      this.skip();
      const c = this.src.charAt(this.pos);
      if (this.src.startsWith("...", this.pos)) return expr;
      if (c === "." && this.src.charAt(this.pos + 1) === "*") {
        this.pos += 2;
        expr = this.splat(expr, false);
      } else if (c === "[" && /^\[\s*\*\s*\]/.test(this.src.slice(this.pos, this.pos + 8))) {
        this.pos = this.src.indexOf("]", this.pos) + 1;
        expr = this.splat(expr, true);
      } else if (c === "." && /[0-9]/.test(this.src.charAt(this.pos + 1))) {
        // legacy index syntax: a.0
        this.pos++;
        const numStart = this.pos;
        while (/[0-9]/.test(this.src.charAt(this.pos))) this.pos++;
        const key: Expr = { k: "literal", value: Number(this.src.slice(numStart, this.pos)), s: numStart, e: this.pos };
        expr = { k: "index", obj: expr, key, s: expr.s, e: this.pos };
      } else if (c === ".") {
        this.pos++;
        const name = this.ident();
        if (name === null) this.fail("expected an attribute name after \".\"");
        expr = { k: "attr", obj: expr, name, s: expr.s, e: this.pos };
      } else if (c === "[") {
        this.pos++;
        const key = this.expression();
        this.expect("]");
        expr = { k: "index", obj: expr, key, s: expr.s, e: this.pos };
      } else return expr;
    }
  }

  /** The traversal after a splat marker, applied to each element (an `anon` placeholder). */
  splat(source: Expr, full: boolean): Expr {
    let each: Expr = { k: "anon", s: this.pos, e: this.pos };
    for (;;) {
      this.skip();
      const c = this.src.charAt(this.pos);
      if (this.src.startsWith("...", this.pos)) break;
      if (c === "." && this.src.charAt(this.pos + 1) !== "*") {
        this.pos++;
        const name = this.ident();
        if (name === null) this.fail("expected an attribute name after \".\"");
        each = { k: "attr", obj: each, name, s: each.s, e: this.pos };
      } else if (full && c === "[" && !/^\[\s*\*/.test(this.src.slice(this.pos, this.pos + 4))) {
        this.pos++;
        const key = this.expression();
        this.expect("]");
        each = { k: "index", obj: each, key, s: each.s, e: this.pos };
      } else break;
    }
    return { k: "splat", obj: source, each, s: source.s, e: this.pos };
  }

  primary(): Expr {
    this.skip();
    const start = this.pos;
    const c = this.src.charAt(this.pos);
    if (c === "") this.fail("expected an expression, found the end");
    if (c === "(") {
      this.pos++;
      const inner = this.expression();
      this.expect(")");
      // keep the parentheses in the span so the source text of the node stays well formed
      return { ...inner, s: start, e: this.pos };
    }
    if (c === '"') {
      this.pos++;
      const parts = this.templateParts('"');
      return { k: "template", parts, s: start, e: this.pos };
    }
    if (c === "<" && this.src.charAt(this.pos + 1) === "<") this.fail("heredoc templates are not supported in JSON strings");
    if (/[0-9]/.test(c)) return this.number();
    if (c === "[") return this.tupleOrFor();
    if (c === "{") return this.objectOrFor();
    const name = this.ident();
    if (name === null) this.fail(`unexpected "${c}"`);
    if (name === "true" || name === "false") return { k: "literal", value: name === "true", s: start, e: this.pos };
    if (name === "null") return { k: "literal", value: null, s: start, e: this.pos };
    if (this.peek("(")) return this.call(name, start);
    // a provider-namespaced function: provider::aws::arn_parse(...)
    if (this.src.startsWith("::", this.pos)) {
      let full = name;
      while (this.src.startsWith("::", this.pos)) {
        this.pos += 2;
        const part = this.ident();
        if (part === null) this.fail("expected a function name after \"::\"");
        full += `::${part}`;
      }
      if (!this.peek("(")) this.fail("expected \"(\" after a namespaced function name");
      return this.call(full, start);
    }
    return { k: "variable", name, s: start, e: this.pos };
  }

  number(): Expr {
    const start = this.pos;
    const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos));
    if (m === null) this.fail("expected a number");
    this.pos += m[0].length;
    return { k: "literal", value: Number(m[0]), s: start, e: this.pos };
  }

  call(name: string, start: number): Expr {
    this.expect("(");
    const args: Expr[] = [];
    let expand = false;
    while (!this.eat(")")) {
      args.push(this.expression());
      if (this.eat("...")) {
        expand = true;
        this.expect(")");
        break;
      }
      if (!this.eat(",")) {
        this.expect(")");
        break;
      }
    }
    return { k: "call", name, args, expand, s: start, e: this.pos };
  }

  /** `for k, v in coll :` after the opening bracket; null when this is not a for expression. */
  forHead(): { keyVar: string | null; valVar: string; coll: Expr } | null {
    if (!this.keyword("for")) return null;
    this.pos += 3;
    const first = this.ident();
    if (first === null) this.fail("expected a variable name after \"for\"");
    let keyVar: string | null = null;
    let valVar = first;
    if (this.eat(",")) {
      keyVar = first;
      const second = this.ident();
      if (second === null) this.fail("expected a value variable name");
      valVar = second;
    }
    if (!this.keyword("in")) this.fail("expected \"in\"");
    this.pos += 2;
    const coll = this.expression();
    this.expect(":");
    return { keyVar, valVar, coll };
  }

  forCond(): Expr | null {
    if (!this.keyword("if")) return null;
    this.pos += 2;
    return this.expression();
  }

  tupleOrFor(): Expr {
    const start = this.pos;
    this.pos++;
    this.enter();
    const head = this.forHead();
    if (head !== null) {
      const valExpr = this.expression();
      const cond = this.forCond();
      this.expect("]");
      this.depth--;
      return { k: "for", ...head, keyExpr: null, valExpr, cond, grouped: false, s: start, e: this.pos };
    }
    const items: Expr[] = [];
    while (!this.eat("]")) {
      items.push(this.expression());
      if (!this.eat(",")) {
        this.expect("]");
        break;
      }
    }
    this.depth--;
    return { k: "tuple", items, s: start, e: this.pos };
  }

  objectOrFor(): Expr {
    const start = this.pos;
    this.pos++;
    this.enter();
    const head = this.forHead();
    if (head !== null) {
      const keyExpr = this.expression();
      this.expect("=>");
      const valExpr = this.expression();
      const grouped = this.eat("...");
      const cond = this.forCond();
      this.expect("}");
      this.depth--;
      return { k: "for", ...head, keyExpr, valExpr, cond, grouped, s: start, e: this.pos };
    }
    const items: { key: Expr; value: Expr }[] = [];
    while (!this.eat("}")) {
      this.skip();
      const keyStart = this.pos;
      let key: Expr;
      // a bare identifier key is a literal name, not a variable (HCL's object-key rule)
      const name = this.ident();
      if (name !== null && (this.peek("=") || this.peek(":")) && !this.peek("==")) {
        key = { k: "literal", value: name, s: keyStart, e: this.pos };
      } else {
        this.pos = keyStart;
        key = this.expression();
      }
      if (!this.eat("=") && !this.eat(":")) this.fail("expected \"=\" or \":\" after an object key");
      const value = this.expression();
      items.push({ key, value });
      if (!this.eat(",")) {
        this.skip();
        // newlines separate items as well
        if (this.eat("}")) break;
      }
    }
    this.depth--;
    return { k: "object", items, s: start, e: this.pos };
  }

  // ---- templates -------------------------------------------------------------------------

  /**
   * Template parts up to `close` (`"` inside an expression, "" for a whole JSON string). Inside
   * quotes, backslash escapes apply; a whole JSON string has been unescaped by JSON already.
   * Directives (`%{if}`, `%{else}`, `%{endif}`, `%{for}`, `%{endfor}`) are nested into parts.
   */
  templateParts(close: '"' | ""): TemplatePart[] {
    const { parts, end } = this.templateSequence(close, []);
    if (end !== null) this.fail(`"%{${end}}" without its opening directive`);
    return parts;
  }

  /** A sequence of parts until close, or until one of the stop directives (returned as end). */
  templateSequence(close: '"' | "", stops: readonly string[]): { parts: TemplatePart[]; end: string | null } {
    this.enter();
    const parts: TemplatePart[] = [];
    let text = "";
    let stripNext = false;
    const flush = (stripBefore: boolean): void => {
      let t = text;
      if (stripNext) t = t.replace(/^\s+/, "");
      if (stripBefore) t = t.replace(/\s+$/, "");
      if (t !== "") parts.push({ k: "text", text: t });
      text = "";
      stripNext = false;
    };
    const src = this.src;
    for (;;) {
      if (this.pos >= src.length) {
        if (close === "") {
          flush(false);
          this.depth--;
          return { parts, end: null };
        }
        this.fail("unterminated string");
      }
      const c = src.charAt(this.pos);
      if (close === '"' && c === '"') {
        this.pos++;
        flush(false);
        this.depth--;
        return { parts, end: null };
      }
      if (close === '"' && c === "\\") {
        text += this.escape();
        continue;
      }
      if ((c === "$" || c === "%") && src.charAt(this.pos + 1) === c && src.charAt(this.pos + 2) === "{") {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === "$" && src.charAt(this.pos + 1) === "{") {
        this.pos += 2;
        const stripBefore = src.charAt(this.pos) === "~";
        if (stripBefore) this.pos++;
        flush(stripBefore);
        const expr = this.expression();
        this.skip();
        const stripAfter = src.charAt(this.pos) === "~";
        if (stripAfter) this.pos++;
        this.expect("}");
        parts.push({ k: "interp", expr });
        stripNext = stripAfter;
        continue;
      }
      if (c === "%" && src.charAt(this.pos + 1) === "{") {
        const at = this.pos;
        this.pos += 2;
        const stripBefore = src.charAt(this.pos) === "~";
        if (stripBefore) this.pos++;
        flush(stripBefore);
        const word = this.ident();
        if (word === null) this.fail("expected a template directive", at);
        if (stops.includes(word)) {
          this.closeDirective();
          this.depth--;
          return { parts, end: word };
        }
        if (word === "if") {
          const cond = this.expression();
          this.closeDirective();
          const first = this.templateSequence(close, ["else", "endif"]);
          let otherwise: TemplatePart[] = [];
          if (first.end === "else") {
            const second = this.templateSequence(close, ["endif"]);
            if (second.end !== "endif") this.fail("%{if} without %{endif}", at);
            otherwise = second.parts;
          } else if (first.end !== "endif") this.fail("%{if} without %{endif}", at);
          parts.push({ k: "if", cond, then: first.parts, else: otherwise });
        } else if (word === "for") {
          const first = this.ident();
          if (first === null) this.fail("expected a variable name after \"for\"");
          let keyVar: string | null = null;
          let valVar = first;
          if (this.eat(",")) {
            keyVar = first;
            const second = this.ident();
            if (second === null) this.fail("expected a value variable name");
            valVar = second;
          }
          if (!this.keyword("in")) this.fail("expected \"in\"");
          this.pos += 2;
          const coll = this.expression();
          this.closeDirective();
          const body = this.templateSequence(close, ["endfor"]);
          if (body.end !== "endfor") this.fail("%{for} without %{endfor}", at);
          parts.push({ k: "for", keyVar, valVar, coll, body: body.parts });
        } else this.fail(`unknown template directive "%{${word}}"`, at);
        stripNext = this.lastStrip;
        continue;
      }
      text += c;
      this.pos++;
    }
  }

  lastStrip = false;

  closeDirective(): void {
    this.skip();
    this.lastStrip = this.src.charAt(this.pos) === "~";
    if (this.lastStrip) this.pos++;
    this.expect("}");
  }

  escape(): string {
    const src = this.src;
    const next = src.charAt(this.pos + 1);
    this.pos += 2;
    switch (next) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u":
      case "U": {
        const len = next === "u" ? 4 : 8;
        const hex = src.slice(this.pos, this.pos + len);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail("invalid unicode escape");
        this.pos += len;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) this.fail("invalid unicode escape");
        return String.fromCodePoint(code);
      }
      default:
        this.fail(`invalid escape "\\${next}"`, this.pos - 2);
    }
  }
}

/** Parses a whole JSON-syntax string as a template (`"arn:${data.aws_partition.p.partition}:..."`). */
export function parseTemplate(text: string): TemplatePart[] {
  const parser = new Parser(text);
  return parser.templateParts("");
}

/** Parses one native-syntax expression (`aws_s3_bucket.b.arn`, `jsonencode({...})`). */
export function parseExpression(text: string): Expr {
  const parser = new Parser(text);
  const expr = parser.expression();
  parser.skip();
  if (parser.pos !== text.length) parser.fail("unexpected text after the expression");
  return expr;
}

/** True when a JSON string is a template with something to evaluate (an interpolation or a directive). */
export function isTemplate(text: string): boolean {
  return text.includes("${") || text.includes("%{");
}
