// Reads and edits the estate's TypeScript sources (environment configs, the environment registry)
// as syntax trees: values are read only from plain literals, and edits insert text at exact
// positions, so everything a person wrote around them (comments, order, formatting) stays.
import ts from "typescript";

/** A generator refusing its input or the workspace it runs on; the message says what to fix. */
export class GeneratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GeneratorError";
  }
}

/** A JSON-like value read from a literal. */
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true, ts.ScriptKind.TS);
}

function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function unwrap(node: ts.Expression): ts.Expression {
  let e = node;
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function propertyName(name: ts.PropertyName, file: string): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  throw new GeneratorError(`${file}:${lineOf(name)}: a computed property name cannot be read; write the key literally.`);
}

/**
 * Evaluates a literal expression: objects, arrays, strings, numbers, booleans, null, and spreads
 * of identifiers that `resolve` knows (e.g. `...ORG`). Anything else is refused with its line.
 */
export function evaluateLiteral(node: ts.Expression, file: string, resolve: (name: string) => Literal | undefined = () => undefined): Literal {
  const e = unwrap(node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(e)) return e.elements.map((x) => evaluateLiteral(x, file, resolve));
  if (ts.isObjectLiteralExpression(e)) {
    const out: { [key: string]: Literal } = {};
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) out[propertyName(p.name, file)] = evaluateLiteral(p.initializer, file, resolve);
      else if (ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression)) {
        const spread = resolve(p.expression.text);
        if (spread === undefined || typeof spread !== "object" || spread === null || Array.isArray(spread)) {
          throw new GeneratorError(`${file}:${lineOf(p)}: cannot read the spread ...${p.expression.text}; only the organisation settings (ORG) can be spread here.`);
        }
        Object.assign(out, spread);
      } else {
        throw new GeneratorError(`${file}:${lineOf(p)}: only plain 'key: value' properties can be read here; write the value as a literal.`);
      }
    }
    return out;
  }
  throw new GeneratorError(`${file}:${lineOf(e)}: '${e.getText()}' is not a literal value; the generators read environment configs only when they are plain literals.`);
}

/** The object literal passed to `defineEnvironment(...)` in the file's default export. */
function environmentObject(sf: ts.SourceFile): ts.ObjectLiteralExpression {
  for (const stmt of sf.statements) {
    if (!ts.isExportAssignment(stmt) || stmt.isExportEquals) continue;
    const call = unwrap(stmt.expression);
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === "defineEnvironment") {
      const arg = call.arguments[0] && unwrap(call.arguments[0]);
      if (arg && ts.isObjectLiteralExpression(arg)) return arg;
    }
  }
  throw new GeneratorError(`${sf.fileName}: no 'export default defineEnvironment({ ... })' with an object literal found; an environment config must have that shape.`);
}

/** `export const <name> = { ... }` in a file, evaluated. */
export function readConstObject(file: string, text: string, name: string): { [key: string]: Literal } {
  const sf = parse(file, text);
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
        const value = evaluateLiteral(d.initializer, file);
        if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
      }
    }
  }
  throw new GeneratorError(`${file}: no 'export const ${name} = { ... }' object literal found.`);
}

/** The config literal of an environment config file (`...ORG` resolved with `org`). */
export function readEnvironmentConfig(file: string, text: string, org: { [key: string]: Literal }): { [key: string]: Literal } {
  const obj = environmentObject(parse(file, text));
  const value = evaluateLiteral(obj, file, (name) => (name === "ORG" ? org : undefined));
  return value as { [key: string]: Literal };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A literal as TypeScript source in the estate's style, indented for column `indent`. */
export function renderLiteral(value: Literal, indent: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${renderLiteral(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const key = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));
  const flat = entries.every(([, v]) => v === null || typeof v !== "object");
  const oneLine = `{ ${entries.map(([k, v]) => `${key(k)}: ${renderLiteral(v, inner)}`).join(", ")} }`;
  if (flat && entries.length <= 3 && indent.length + oneLine.length <= 100) return oneLine;
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${renderLiteral(v, inner)},`).join("\n")}\n${indent}}`;
}

function indentationAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
}

/**
 * Appends `element` to the array literal `node`, one element per line, keeping what surrounds
 * it. Refuses when something other than whitespace and a comma follows the last element.
 */
function appendToArray(file: string, text: string, node: ts.ArrayLiteralExpression, render: (indent: string) => string): string {
  const close = node.getEnd() - 1;
  const closingIndent = indentationAt(text, close);
  const elementIndent = `${closingIndent}  `;
  const last = node.elements[node.elements.length - 1];
  if (last === undefined) {
    return `${text.slice(0, node.getStart())}[\n${elementIndent}${render(elementIndent)},\n${closingIndent}]${text.slice(node.getEnd())}`;
  }
  const between = text.slice(last.getEnd(), close);
  if (between.replace(/[\s,]/g, "") !== "") {
    throw new GeneratorError(`${file}:${lineOf(node)}: a comment follows the last element of the list; move it so the generator can append to the list.`);
  }
  const multiline = between.includes("\n");
  if (!multiline) {
    const sep = ", ";
    return `${text.slice(0, last.getEnd())}${sep}${render(closingIndent)}${text.slice(close)}`;
  }
  return `${text.slice(0, last.getEnd())},\n${elementIndent}${render(elementIndent)},\n${closingIndent}]${text.slice(node.getEnd())}`;
}

/** The environment config text with `service` appended to its `services` list. */
export function addServiceToConfig(file: string, text: string, service: Literal): string {
  const obj = environmentObject(parse(file, text));
  const prop = obj.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name, file) === "services");
  const list = prop && unwrap(prop.initializer);
  if (!list || !ts.isArrayLiteralExpression(list)) {
    throw new GeneratorError(`${file}: the environment has no 'services: [ ... ]' list; add 'services: []' to its config.`);
  }
  return appendToArray(file, text, list, (indent) => renderLiteral(service, indent));
}

/** One environment in the registry: the imported identifier and the config file it imports. */
export interface RegistryEntry {
  readonly identifier: string;
  readonly specifier: string;
}

/** The entries of `ENVIRONMENTS` in the registry, in order. */
export function readRegistry(file: string, text: string): RegistryEntry[] {
  const sf = parse(file, text);
  const imports = new Map<string, string>();
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier) && stmt.importClause?.name) {
      imports.set(stmt.importClause.name.text, stmt.moduleSpecifier.text);
    }
  }
  return registryArray(sf).elements.map((el) => {
    const specifier = ts.isIdentifier(el) ? imports.get(el.text) : undefined;
    if (!ts.isIdentifier(el) || specifier === undefined) {
      throw new GeneratorError(`${file}:${lineOf(el)}: every ENVIRONMENTS entry must be a default import of an environment config.`);
    }
    return { identifier: el.text, specifier };
  });
}

function registryArray(sf: ts.SourceFile): ts.ArrayLiteralExpression {
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === "ENVIRONMENTS" && d.initializer) {
        const init = unwrap(d.initializer);
        if (ts.isArrayLiteralExpression(init)) return init;
      }
    }
  }
  throw new GeneratorError(`${sf.fileName}: no 'export const ENVIRONMENTS = [ ... ]' list found; the environment registry must declare one.`);
}

/**
 * The registry text with `import <identifier> from "<specifier>";` added after the last
 * environment import and `identifier` inserted into `ENVIRONMENTS` at `position`.
 */
export function addToRegistry(file: string, text: string, entry: RegistryEntry, position: number): string {
  const sf = parse(file, text);
  const names = new Set<string>();
  let lastEnvImport: ts.ImportDeclaration | undefined;
  let lastImport: ts.ImportDeclaration | undefined;
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt)) continue;
    lastImport = stmt;
    const clause = stmt.importClause;
    if (clause?.name) names.add(clause.name.text);
    if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const el of clause.namedBindings.elements) names.add(el.name.text);
    if (clause?.name && ts.isStringLiteral(stmt.moduleSpecifier) && stmt.moduleSpecifier.text.endsWith("/config.ts")) lastEnvImport = stmt;
  }
  if (names.has(entry.identifier)) {
    throw new GeneratorError(`${file}: the name '${entry.identifier}' is already imported; the environment seems registered already.`);
  }
  const array = registryArray(sf);
  const elements = array.elements;
  const at = Math.max(0, Math.min(position, elements.length));
  // edit from the end of the file backwards so earlier positions stay valid
  let out: string;
  if (elements.length === 0) {
    out = `${text.slice(0, array.getStart())}[${entry.identifier}]${text.slice(array.getEnd())}`;
  } else if (at === elements.length) {
    const last = elements[elements.length - 1]!;
    out = `${text.slice(0, last.getEnd())}, ${entry.identifier}${text.slice(last.getEnd())}`;
  } else {
    const before = elements[at]!;
    out = `${text.slice(0, before.getStart())}${entry.identifier}, ${text.slice(before.getStart())}`;
  }
  const anchor = lastEnvImport ?? lastImport;
  const importLine = `import ${entry.identifier} from ${JSON.stringify(entry.specifier)};`;
  if (anchor === undefined) return `${importLine}\n${out}`;
  return `${out.slice(0, anchor.getEnd())}\n${importLine}${out.slice(anchor.getEnd())}`;
}
