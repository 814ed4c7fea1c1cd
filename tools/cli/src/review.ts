/**
 * `baseplate review`: what a plan changes, how risky each change is, and who must approve it.
 *
 * What to call:
 *   const rights = loadDecisionRights(DECISION_RIGHTS_FILE);      // CliError (exit 2) if malformed
 *   const review = buildReview(planInputs, stackResults, rights, catalog);
 *       // planInputs: normalized plan inputs, one per stack (source "plan"; a synth input is a
 *       //   CliError, exit 2); stackResults: `check` results for the same plans (findings of
 *       //   change rules, i.e. catalog rules with a `risk`, drive risk and approvers)
 *   renderReview(format, review)   // reporters/: markdown (PR comment), terminal or json
 *   reviewExitCode(review)         // EXIT.SENIOR_APPROVAL (3) when a senior must approve, else 0
 *
 * Decisions:
 * - Risk categories come from the decision rights' attribute-level change predicates
 *   (routing.ts: a bucket policy changed is `iam`, deletion protection turned off is
 *   `compliance-posture`, ...) and from policy findings (the catalog's `risk` field); the plan
 *   supplies the action counts. A resource is `high`/`medium`/`low` by the highest level of its
 *   categories (governance/decision-rights.json `categories`); a resource with no category is
 *   `medium` when deleted, replaced or forgotten, else `low`.
 * - Waived change findings still count: a waiver accepts a violation, it does not remove the
 *   need for the right approver.
 * - A tier with no `change` requirement, or a risk category without a requirement, falls back
 *   to the highest-ranked senior role (fail closed), saying so.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseJsonStrict } from "@baseplate/policies/json";
import { Ajv } from "ajv";
import { CliError } from "./errors.ts";
import { EXIT } from "./types.ts";
import type { Catalog, EnvironmentInfo, Finding, PolicyInput, PolicyResource, StackResult, Tier } from "./types.ts";
import { displayPath } from "./paths.ts";
import { compileRouting } from "./routing.ts";
import type { ChangePredicate, RoutedCategory } from "./routing.ts";

export const REVIEW_SCHEMA = "baseplate/review@1";
/** The repository's decision-rights table. */
export const DECISION_RIGHTS_FILE = fileURLToPath(new URL("../../../governance/decision-rights.json", import.meta.url));
const SCHEMA_FILE = fileURLToPath(new URL("../../../governance/decision-rights.schema.json", import.meta.url));

export type RiskLevel = "high" | "medium" | "low";
export type ChangeAction = "create" | "update" | "delete" | "replace" | "forget" | "no-op" | "read";

export interface ApproverRole {
  handle?: string | null;
  description: string;
  senior: boolean;
  rank?: number;
}

export interface DecisionRights {
  approvers: Record<string, ApproverRole>;
  categories: Record<string, { level: RiskLevel; description: string; changes?: ChangePredicate[] }>;
  requirements: { tier: Tier | "unknown" | "*"; risk: string; approver: string; reason: string }[];
}

export interface ActionCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  "no-op": number;
  read: number;
  forget: number;
}

export interface ResourceChange {
  address: string;
  type: string;
  action: ChangeAction;
  risk: RiskLevel;
  /** Why this risk level, one entry per category or action. */
  reasons: string[];
  categories: string[];
  findings: { rule: string; title: string; category: string; waived: boolean }[];
  /** Categories from the decision rights' change predicates (routing.ts), with why. */
  routed: RoutedCategory[];
}

export interface RequiredApprover {
  role: string;
  handle: string | null;
  senior: boolean;
  rank: number;
  /** Why, one entry per matching requirement. */
  reasons: string[];
}

export interface StackReview {
  stack: string;
  environment: EnvironmentInfo;
  counts: ActionCounts;
  /** Changed resources (and any resource a change rule flagged), highest risk first. */
  changes: ResourceChange[];
  approvers: RequiredApprover[];
  seniorRequired: boolean;
}

export interface Review {
  schema: typeof REVIEW_SCHEMA;
  stacks: StackReview[];
  seniorRequired: boolean;
}

let validator: ReturnType<Ajv["compile"]> | undefined;

/** Reads and validates governance/decision-rights.json (or another path). */
export function loadDecisionRights(path: string = DECISION_RIGHTS_FILE): DecisionRights {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `${file}: cannot read the decision-rights table (${(error as NodeJS.ErrnoException).code ?? "read error"}); restore governance/decision-rights.json or pass the right path.`,
    );
  }
  return parseDecisionRights(text, file);
}

/** Validates the text of a decision-rights table (schema, then cross-references). */
export function parseDecisionRights(text: string, file: string): DecisionRights {
  let doc: unknown;
  try {
    doc = parseJsonStrict(text, file);
  } catch (error) {
    throw new CliError(`${(error as Error).message} (the decision-rights table must be strict JSON without repeated keys).`);
  }
  if (!validator) {
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    } catch (error) {
      throw new CliError(`${displayPath(SCHEMA_FILE)}: cannot load the schema (${(error as Error).message}); restore it from version control.`);
    }
    validator = new Ajv({ allErrors: true, strict: true }).compile(schema as object);
  }
  if (!validator(doc)) {
    const what = (validator.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || "top level"} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? ` (${String(e.params["additionalProperty"])})` : ""}`)
      .join("; ");
    throw new CliError(`${file}: ${what}; see governance/README.md for the format.`);
  }
  const rights = doc as DecisionRights;
  const roles = new Map(Object.entries(rights.approvers));
  const categories = new Map(Object.entries(rights.categories));
  for (const [i, r] of rights.requirements.entries()) {
    if (!roles.has(r.approver)) {
      throw new CliError(`${file}: requirements[${i}] names approver "${r.approver}", which is not in "approvers"; add the role or fix the name.`);
    }
    if (r.risk !== "change" && r.risk !== "*" && !categories.has(r.risk)) {
      throw new CliError(`${file}: requirements[${i}] names risk "${r.risk}", which is not "change", "*" or a key of "categories"; add the category or fix the name.`);
    }
  }
  for (const [name, def] of categories) {
    for (const [i, p] of (def.changes ?? []).entries()) {
      if (p.when !== "changed" && p.when !== "deleted" && p.attribute === undefined) {
        throw new CliError(`${file}: categories.${name}.changes[${i}] ("when": "${p.when}") names no "attribute"; add the attribute path it tests.`);
      }
      if (p.when === "became" && !Object.hasOwn(p, "value")) {
        throw new CliError(`${file}: categories.${name}.changes[${i}] ("when": "became") names no "value"; add the value the attribute takes.`);
      }
    }
  }
  if (![...roles.values()].some((r) => r.senior)) {
    throw new CliError(`${file}: no approver role has "senior": true; mark the senior role so unmatched risks can fail closed.`);
  }
  return rights;
}

const LEVEL_ORDER: Record<RiskLevel, number> = { high: 0, medium: 1, low: 2 };

function actionOf(r: PolicyResource): ChangeAction {
  if (r.replace) return "replace";
  const a = r.actions;
  if (a.includes("delete") && a.includes("create")) return "replace";
  if (a.includes("delete")) return "delete";
  if (a.includes("create")) return "create";
  if (a.includes("update")) return "update";
  if (a.includes("forget")) return "forget";
  if (a.includes("read")) return "read";
  if (a.length === 0 || a.every((x) => x === "no-op")) return "no-op";
  return "update";
}

const isChange = (a: ChangeAction): boolean => a !== "no-op" && a !== "read";

/** Why a resource without a risk category gets its level. */
const ACTION_REASON: Record<ChangeAction, string> = {
  delete: "deleted; no change rule classifies it as stateful",
  replace: "replaced (destroyed and re-created); no change rule classifies it as stateful",
  forget: "removed from Terraform state without being destroyed; nothing will manage it afterwards",
  create: "new resource; no change rule flagged it",
  update: "updated in place; no change rule flagged it",
  "no-op": "unchanged",
  read: "data source read",
};

function seniorRole(rights: DecisionRights): [string, ApproverRole] {
  const seniors = Object.entries(rights.approvers)
    .filter(([, r]) => r.senior)
    .sort((a, b) => (b[1].rank ?? 0) - (a[1].rank ?? 0) || a[0].localeCompare(b[0]));
  const first = seniors[0];
  if (!first) throw new CliError("decision rights: no approver role has \"senior\": true.");
  return first;
}

function reviewStack(
  input: PolicyInput,
  findings: readonly Finding[],
  rights: DecisionRights,
  riskOf: ReadonlyMap<string, string>,
  route: (r: PolicyResource, action: ChangeAction) => RoutedCategory[],
): StackReview {
  const counts: ActionCounts = { create: 0, update: 0, delete: 0, replace: 0, "no-op": 0, read: 0, forget: 0 };
  const changes = new Map<string, ResourceChange>();
  for (const list of Object.values(input.resources)) {
    for (const r of list) {
      const action = actionOf(r);
      counts[action]++;
      if (isChange(action) && r.mode === "managed") {
        const routed = route(r, action);
        const categories = [...new Set(routed.map((x) => x.category))];
        changes.set(r.address, { address: r.address, type: r.type, action, risk: "low", reasons: [], categories, findings: [], routed });
      }
    }
  }
  for (const f of findings) {
    const category = riskOf.get(f.rule);
    if (!category) continue;
    let change = changes.get(f.address);
    if (!change) {
      const type = /(?:^|\.)(aws_[a-z0-9_]+)\.[^.]+$/.exec(f.address.replace(/\[[^\]]*\]$/, ""))?.[1] ?? "";
      change = { address: f.address, type, action: "no-op", risk: "low", reasons: [], categories: [], findings: [], routed: [] };
      changes.set(f.address, change);
    }
    change.findings.push({ rule: f.rule, title: f.title, category, waived: f.waived !== null });
    if (!change.categories.includes(category)) change.categories.push(category);
  }
  for (const c of changes.values()) {
    c.categories.sort();
    if (c.categories.length > 0) {
      let level: RiskLevel = "low";
      for (const cat of c.categories) {
        const def = Object.hasOwn(rights.categories, cat) ? rights.categories[cat] : undefined;
        const catLevel = def?.level ?? "high";
        if (LEVEL_ORDER[catLevel] < LEVEL_ORDER[level]) level = catLevel;
        const rules = c.findings.filter((f) => f.category === cat).map((f) => `${f.rule}${f.waived ? " (waived)" : ""}`);
        const whys = c.routed.filter((x) => x.category === cat).map((x) => x.why);
        c.reasons.push(`${cat} (${[...new Set([...whys, ...rules])].join(", ")})${def ? "" : ": category not in decision-rights.json, treated as high"}`);
      }
      c.risk = level;
    } else if (c.action === "delete" || c.action === "replace" || c.action === "forget") {
      c.risk = "medium";
      c.reasons.push(ACTION_REASON[c.action]);
    } else {
      c.risk = "low";
      c.reasons.push(ACTION_REASON[c.action]);
    }
  }
  const sorted = [...changes.values()].sort((a, b) => LEVEL_ORDER[a.risk] - LEVEL_ORDER[b.risk] || a.address.localeCompare(b.address));

  // Who must approve.
  const tier = input.environment.tier ?? "unknown";
  const required = new Map<string, RequiredApprover>();
  const need = (role: string, reason: string): void => {
    const def = rights.approvers[role];
    if (!def) return;
    const entry = required.get(role) ?? { role, handle: def.handle ?? null, senior: def.senior, rank: def.rank ?? 0, reasons: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    required.set(role, entry);
  };
  const tierMatches = (t: string): boolean => t === tier || t === "*";
  if (sorted.some((c) => isChange(c.action))) {
    const base = rights.requirements.filter((r) => r.risk === "change" && tierMatches(r.tier));
    if (base.length === 0) need(seniorRole(rights)[0], `tier "${tier}" has no "change" requirement in decision-rights.json, so a senior approves (fail closed).`);
    for (const r of base) need(r.approver, r.reason);
  }
  const categories = [...new Set(sorted.flatMap((c) => c.categories))].sort();
  for (const cat of categories) {
    const reqs = rights.requirements.filter((r) => (r.risk === cat || r.risk === "*") && tierMatches(r.tier));
    const where = sorted.filter((c) => c.categories.includes(cat)).map((c) => c.address);
    const shown = where.length > 3 ? `${where.slice(0, 3).join(", ")} and ${where.length - 3} more` : where.join(", ");
    if (reqs.length === 0) {
      need(seniorRole(rights)[0], `${cat}: no requirement in decision-rights.json for tier "${tier}", so a senior approves (fail closed) [${shown}]`);
    }
    for (const r of reqs) need(r.approver, `${cat}: ${r.reason} [${shown}]`);
  }
  const approvers = [...required.values()].sort((a, b) => b.rank - a.rank || a.role.localeCompare(b.role));
  return {
    stack: input.stack,
    environment: input.environment,
    counts,
    changes: sorted,
    approvers,
    seniorRequired: approvers.some((a) => a.senior),
  };
}

/**
 * Builds the review. `checked` are the `check` results (or bare findings) for the same plans;
 * only findings of catalog rules with a `risk` are used.
 */
export function buildReview(
  inputs: readonly PolicyInput[],
  checked: readonly StackResult[] | readonly Finding[],
  rights: DecisionRights,
  catalog: Catalog,
): Review {
  for (const input of inputs) {
    if (input.source !== "plan") {
      throw new CliError(
        `review needs a Terraform plan, but stack "${input.stack}" was read from ${input.source}; pass the JSON of 'terraform show -json <planfile>'.`,
      );
    }
  }
  const riskOf = new Map<string, string>();
  for (const r of catalog.rules) if (r.risk) riskOf.set(r.id, r.risk);
  const findings: Finding[] = checked.flatMap((x: StackResult | Finding) => ("findings" in x ? x.findings : [x]));
  const byStack = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byStack.get(f.stack) ?? [];
    list.push(f);
    byStack.set(f.stack, list);
  }
  const route = compileRouting(rights);
  const stacks = [...inputs]
    .sort((a, b) => a.stack.localeCompare(b.stack))
    .map((input) => reviewStack(input, byStack.get(input.stack) ?? [], rights, riskOf, route));
  return { schema: REVIEW_SCHEMA, stacks, seniorRequired: stacks.some((s) => s.seniorRequired) };
}

/** EXIT.SENIOR_APPROVAL (3) when a senior must approve, else EXIT.OK (0). */
export function reviewExitCode(review: Review): number {
  return review.seniorRequired ? EXIT.SENIOR_APPROVAL : EXIT.OK;
}
