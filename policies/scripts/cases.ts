/**
 * Loads and validates the shared policy test cases: policies/test/cases/<domain>/<set>.json.
 * The same cases run under `opa test` (scripts/test-rego.ts) and under Vitest through the
 * compiled WebAssembly bundle (test/cases.test.ts). Format: policies/AUTHORING.md.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CASES_DIR, POLICIES_DIR, ScriptError } from "./opa.ts";
import { isObject } from "../src/input/common.ts";

export interface ExpectedFinding {
  rule: string;
  address: string;
}

export interface PolicyCase {
  /** Unique within its file. */
  name: string;
  /** Rule ids under test; findings of other rules are ignored. */
  rules: string[];
  /** The policy input; may be partial or deliberately broken. */
  input: unknown;
  /** Exactly the findings (of `rules`) the input must produce. */
  expect: ExpectedFinding[];
  /**
   * Optional: the policy-library forms (`<kind>:<form>`, keys of data.baseplate.lib.policy.forms)
   * this case proves; policies/README.md lists them per form.
   */
  forms?: string[];
}

export interface CaseFile {
  domain: string;
  /** File name without .json. */
  set: string;
  /** Path relative to policies/. */
  file: string;
  description: string;
  cases: PolicyCase[];
}

function fail(file: string, what: string): never {
  throw new ScriptError(`${file}: ${what}; see policies/AUTHORING.md ("Test cases").`);
}


function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === "string" && s !== "");
}

/** Parses and validates one case file's text. */
export function parseCaseFile(text: string, file: string, domain: string, set: string): CaseFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) fail(file, "must hold a JSON object with a 'cases' array");
  const description = doc.description ?? "";
  if (typeof description !== "string") fail(file, "'description' must be a string");
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) fail(file, "'cases' must be a non-empty array");
  const names = new Set<string>();
  const cases = doc.cases.map((c: unknown, i: number): PolicyCase => {
    if (!isObject(c)) fail(file, `case #${i + 1} must be an object`);
    const { name, rules, input, expect, forms } = c;
    if (typeof name !== "string" || name === "") fail(file, `case #${i + 1} needs a non-empty 'name'`);
    if (names.has(name)) fail(file, `case name '${name}' is used twice`);
    names.add(name);
    if (!isStringArray(rules) || rules.length === 0) fail(file, `case '${name}' needs 'rules', a non-empty array of rule ids`);
    if (!("input" in c)) fail(file, `case '${name}' needs an 'input' (use {} or null for an empty one)`);
    if (!Array.isArray(expect)) fail(file, `case '${name}' needs 'expect', an array of {rule, address}`);
    const expected = expect.map((e: unknown): ExpectedFinding => {
      if (!isObject(e) || typeof e.rule !== "string" || typeof e.address !== "string") {
        fail(file, `case '${name}': every 'expect' entry must be {"rule": string, "address": string}`);
      }
      if (!rules.includes(e.rule)) fail(file, `case '${name}' expects rule ${e.rule}, which is not in its 'rules'`);
      return { rule: e.rule, address: e.address };
    });
    if (forms !== undefined && !isStringArray(forms)) fail(file, `case '${name}': 'forms' must be an array of '<kind>:<form>' strings`);
    return forms === undefined ? { name, rules, input, expect: expected } : { name, rules, input, expect: expected, forms };
  });
  return { domain, set, file, description, cases };
}

/** Every case file under dir (default policies/test/cases), sorted by domain and set. */
export function loadCaseFiles(dir: string = CASES_DIR): CaseFile[] {
  let domains: string[];
  try {
    domains = readdirSync(dir).sort();
  } catch {
    throw new ScriptError(`the case directory ${dir} is missing; create policies/test/cases/<domain>/<set>.json.`);
  }
  const out: CaseFile[] = [];
  for (const domain of domains) {
    const domainDir = join(dir, domain);
    if (!statSync(domainDir).isDirectory()) continue;
    if (!/^[a-z][a-z0-9_]*$/.test(domain)) {
      throw new ScriptError(`${relative(POLICIES_DIR, domainDir)}: case directories are named after a rule package (lowercase, e.g. 's3').`);
    }
    for (const name of readdirSync(domainDir).sort()) {
      if (!name.endsWith(".json")) continue;
      const path = join(domainDir, name);
      const file = relative(POLICIES_DIR, path);
      out.push(parseCaseFile(readFileSync(path, "utf8"), file, domain, name.slice(0, -".json".length)));
    }
  }
  return out;
}

/** The data document opa test reads: {"cases": {domain: {set: {"cases": [...]}}}}. */
export function casesData(files: CaseFile[]): { cases: Record<string, Record<string, { cases: PolicyCase[] }>> } {
  const cases: Record<string, Record<string, { cases: PolicyCase[] }>> = {};
  for (const f of files) {
    const domain = (cases[f.domain] ??= {});
    domain[f.set] = { cases: f.cases };
  }
  return { cases };
}
