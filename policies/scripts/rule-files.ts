/**
 * The layout rules of policies/rego/rules, checked by the build (scripts/catalog.ts):
 *
 *   - rules live in rules/<domain>/<rule>.rego, in package baseplate.rules.<domain>;
 *   - a rule file holds exactly one rule: one METADATA block with a custom.id, and every rule id
 *     its code writes (the "rule" of a finding, a key such as _fails("TAG-001", s)) is that id;
 *   - the other files of a domain (helpers.rego) write no rule id and define no deny.
 *
 * So a body that carries a neighbouring rule's id, or a second rule pasted into a file, fails
 * the build instead of reporting findings under the wrong id.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { REGO_DIR, ScriptError } from "./opa.ts";

/** Rego files that go into the bundle: everything under dir (default rego/) except tests, sorted. */
export function bundleSources(dir: string = REGO_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".rego") && !name.endsWith("_test.rego")) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** A string literal of Rego source, with the line it starts on (1-based). */
export interface RegoString {
  value: string;
  line: number;
}

/** Rego source split into code (comments and string contents removed, lines kept) and its string literals. */
export interface RegoLexed {
  code: string[];
  strings: RegoString[];
}

/**
 * Separates code, comments and string literals of Rego source: `#` starts a comment outside a
 * string, "..." strings take backslash escapes, `...` raw strings take none and may span lines.
 * Only lexing, no parsing: enough to find the literals a rule file writes.
 */
export function lexRego(text: string): RegoLexed {
  const code: string[] = [];
  const strings: RegoString[] = [];
  let line = 1;
  let current = "";
  let i = 0;
  const newline = (): void => {
    code.push(current);
    current = "";
    line++;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "\n") {
      newline();
      i++;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === '"' || c === "`") {
      const start = line;
      let value = "";
      i++;
      while (i < text.length && text[i] !== c) {
        if (c === '"' && text[i] === "\\" && i + 1 < text.length) {
          value += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (text[i] === "\n") {
          if (c === '"') break; // an unterminated string: opa check reports it
          newline();
        }
        value += text[i];
        i++;
      }
      if (text[i] === c) i++;
      current += `${c}${c}`;
      strings.push({ value: c === '"' ? unescape(value) : value, line: start });
    } else {
      current += c;
      i++;
    }
  }
  code.push(current);
  return { code, strings };
}

function unescape(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** A rule's METADATA as `opa inspect -a` locates it. */
export interface RuleAnnotation {
  id: string;
  /** Path of the file as opa inspect prints it. */
  file: string;
  row: number;
  /** The rule package's last segment (data.baseplate.rules.<domain>). */
  domain: string;
}

export const RULE_ID = /^[A-Z][A-Z0-9]*-[0-9]{3}$/;

/**
 * The problems of the rule files under rulesDir (every .rego except tests), given the rule
 * annotations opa inspect found. Each problem names the file and line and says what to change.
 */
export function ruleFileProblems(rulesDir: string, files: string[], rules: RuleAnnotation[], read: (file: string) => string = (f) => readFileSync(f, "utf8")): string[] {
  const problems: string[] = [];
  const show = (f: string): string => `policies/rego/rules/${relative(rulesDir, f).split(sep).join("/")}`;
  const byFile = new Map<string, RuleAnnotation[]>();
  for (const r of rules) {
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  for (const r of rules) {
    const parts = relative(rulesDir, r.file).split(sep);
    if (parts.length !== 2 || parts[0] !== r.domain) {
      problems.push(`${show(r.file)}:${r.row}: rule ${r.id} of package baseplate.rules.${r.domain} belongs in policies/rego/rules/${r.domain}/<rule>.rego`);
    }
  }
  for (const file of files) {
    const here = byFile.get(file) ?? [];
    const { code, strings } = lexRego(read(file));
    if (here.length > 1) {
      problems.push(`${show(file)}: holds the rules ${here.map((r) => `${r.id} (line ${r.row})`).join(", ")}; move each rule into a file of its own (one rule per file)`);
      continue;
    }
    const own = here[0];
    for (const s of strings) {
      if (!RULE_ID.test(s.value) || s.value === own?.id) continue;
      problems.push(
        own
          ? `${show(file)}:${s.line}: writes the rule id "${s.value}", but the file's rule is ${own.id} (METADATA custom.id, line ${own.row}); a file writes only its own rule's id`
          : `${show(file)}:${s.line}: writes the rule id "${s.value}" outside a rule file; keep rule ids in the rule's own file (for lists of ids, let each rule file add its id: 'x contains "${s.value}"')`,
      );
    }
    if (!own) {
      code.forEach((l, i) => {
        if (/^deny\b/.test(l)) problems.push(`${show(file)}:${i + 1}: defines deny without a rule METADATA block; a rule lives in its own file under a METADATA block with custom.id`);
      });
    }
  }
  return problems;
}

/** Throws a ScriptError listing every problem of the rule files; see ruleFileProblems. */
export function checkRuleFiles(rulesDir: string, files: string[], rules: RuleAnnotation[]): void {
  const problems = ruleFileProblems(rulesDir, files, rules);
  if (problems.length > 0) {
    throw new ScriptError(`policies/rego/rules breaks the one-rule-per-file layout:\n  ${problems.join("\n  ")}\nSee policies/AUTHORING.md ("Layout").`);
  }
}
