/**
 * Strict JSON for reviewed inputs (waivers, decision rights, the environment registry, stack
 * files): standard JSON only (no comments, no trailing commas, no empty document) and no
 * duplicate keys. JSON.parse keeps the last of two equal keys while a reviewer reads the first,
 * so a duplicate is refused with the file, line and column of both.
 *
 * Keys are compared after unescaping, so `"a"` and `"\u0061"` are the same key.
 * JSON.parse checks the syntax and builds the value (fast, native); jsonc-parser's scanner then
 * finds repeated keys, and its visitor locates a syntax error by line and column.
 *
 * Speed (stacks and plans are large: a 10,000-resource plan is 14 MB): the scanner runs only when
 * a key may repeat. Every colon outside a string follows a key, so the colons written equal the
 * keys of the parsed objects unless a key repeated (JSON.parse keeps one of them); counting both
 * is a plain loop over the text and one walk of the value, several times faster than the scanner.
 */
import { createScanner, printParseErrorCode, visit } from "jsonc-parser";
import type { ParseErrorCode } from "jsonc-parser";

/** A strict-JSON problem, with the 1-based line and column where it is. */
export class JsonSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** What is wrong: the syntax, a key written twice, or nesting deeper than allowed. */
  readonly kind: "syntax" | "duplicate" | "depth";

  constructor(file: string, line: number, column: number, problem: string, kind: "syntax" | "duplicate" | "depth" = "syntax") {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = "JsonSyntaxError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.kind = kind;
  }
}

export interface StrictJsonOptions {
  /** Refuse values nested deeper than this many objects and arrays (default: no limit). */
  maxDepth?: number;
}

const ERROR_TEXT: Partial<Record<string, string>> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "malformed number",
  PropertyNameExpected: "a quoted property name was expected",
  ValueExpected: "a value was expected",
  ColonExpected: "':' was expected",
  CommaExpected: "',' was expected",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  EndOfFileExpected: "nothing may follow the top-level value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "comments are not allowed in JSON",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unterminated number",
  InvalidUnicode: "malformed \\u escape",
  InvalidEscapeCharacter: "malformed escape",
  InvalidCharacter: "control character in a string (escape it)",
};

/**
 * Parses `text` as strict JSON. Throws JsonSyntaxError naming `file`, the line and the column of
 * the first problem: a syntax error, a comment, a trailing comma, or a duplicate key (with the
 * line of the first occurrence).
 */
export function parseJsonStrict(text: string, file: string, options: StrictJsonOptions = {}): unknown {
  // A byte-order mark is not JSON; editors hide it, so say so rather than "unexpected character".
  if (text.charCodeAt(0) === 0xfeff) throw new JsonSyntaxError(file, 1, 1, "the file starts with a byte-order mark; save it as UTF-8 without BOM");
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw syntaxError(text, file, error as Error);
  }
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const { keys, depth } = keysAndDepth(value, maxDepth);
  if (depth > maxDepth) {
    throw new JsonSyntaxError(file, 1, 1, `values nest more than ${maxDepth} levels deep, which no file of this kind needs`, "depth");
  }
  if (typeof value !== "object" || value === null || countKeysWritten(text) === keys) return value;
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    const [line, column] = lineColumn(text, duplicate.offset);
    const [firstLine, firstColumn] = lineColumn(text, duplicate.firstOffset);
    throw new JsonSyntaxError(
      file,
      line,
      column,
      `duplicate key ${JSON.stringify(duplicate.key)} (first at line ${firstLine}, column ${firstColumn}); JSON readers keep only one of them, so remove or rename one`,
      "duplicate",
    );
  }
  return value;
}

/** Colons outside strings in text JSON.parse accepted: one per key written. */
function countKeysWritten(text: string): number {
  let count = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip the string: from quote to quote, stepping over escaped quotes.
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return count;
        let backslashes = 0;
        for (let k = q - 1; k >= i && text.charCodeAt(k) === 92; k--) backslashes++;
        i = q + 1;
        if (backslashes % 2 === 0) break;
      }
      continue;
    }
    if (c === 58 /* : */) count++;
    i++;
  }
  return count;
}

/** Keys of every object in a parsed value, and its nesting depth; no recursion; stops past maxDepth. */
function keysAndDepth(value: unknown, maxDepth: number): { keys: number; depth: number } {
  // Two parallel stacks rather than a tuple per object: this walks every object of every input.
  const values: object[] = [];
  const depths: number[] = [];
  if (typeof value === "object" && value !== null) {
    values.push(value);
    depths.push(1);
  }
  let keys = 0;
  let deepest = 0;
  while (values.length > 0) {
    const v = values.pop() as object;
    const d = depths.pop() as number;
    if (d > deepest) {
      deepest = d;
      if (deepest > maxDepth) return { keys, depth: deepest };
    }
    if (Array.isArray(v)) {
      for (const child of v as unknown[]) {
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(d + 1);
        }
      }
    } else {
      for (const key in v) {
        keys++;
        const child = (v as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(d + 1);
        }
      }
    }
  }
  return { keys, depth: deepest };
}

// jsonc-parser's SyntaxKind values (a const enum, which erasable TypeScript cannot import).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const STRING = 10;
const EOF = 17;

/**
 * The first key that repeats within one object, in text that JSON.parse accepted. A string is a
 * key when it follows `{` or `,` inside an object. Only the scanner runs: no tree, no values.
 */
function findDuplicateKey(text: string): { key: string; offset: number; firstOffset: number } | undefined {
  const scanner = createScanner(text, true);
  // One entry per open container: the keys seen so far (objects) or null (arrays).
  const stack: (Map<string, number> | null)[] = [];
  let top: Map<string, number> | null = null;
  let previous: number = EOF;
  for (let kind: number = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === STRING && top !== null && (previous === OPEN_BRACE || previous === COMMA)) {
      const key = scanner.getTokenValue();
      const offset = scanner.getTokenOffset();
      const firstOffset = top.get(key);
      if (firstOffset !== undefined) return { key, offset, firstOffset };
      top.set(key, offset);
    } else if (kind === OPEN_BRACE) {
      stack.push(top);
      top = new Map();
    } else if (kind === OPEN_BRACKET) {
      stack.push(top);
      top = null;
    } else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) {
      top = stack.pop() ?? null;
    }
    previous = kind;
  }
  return undefined;
}

/** The first syntax problem JSON.parse found, located by jsonc-parser's strict visitor. */
function syntaxError(text: string, file: string, parseError: Error): JsonSyntaxError {
  let first: JsonSyntaxError | undefined;
  visit(
    text,
    {
      onComment: (_offset, _length, line, character) => {
        first ??= new JsonSyntaxError(file, line + 1, character + 1, "comments are not allowed in JSON");
      },
      onError: (error: ParseErrorCode, _offset, _length, line, character) => {
        const code = printParseErrorCode(error);
        first ??= new JsonSyntaxError(file, line + 1, character + 1, `${ERROR_TEXT[code] ?? code}; fix the syntax`);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (first) return first;
  // JSON.parse refused what the scanner accepts (it is the stricter of the two on a few
  // spellings): report JSON.parse's own words and position.
  const at = /position (\d+)/.exec(parseError.message);
  const [line, column] = at ? lineColumn(text, Number(at[1])) : [1, 1];
  return new JsonSyntaxError(file, line, column, `${parseError.message}; fix the syntax`);
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): [number, number] {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return [line, offset - start + 1];
}
