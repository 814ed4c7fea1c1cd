/**
 * Waivers: the one reviewed list of accepted exceptions (governance/waivers.json).
 *
 * What to call:
 *   const set = loadWaivers("governance/waivers.json", { now: input.now, catalog });
 *       // reads + validates; throws CliError (exit 2) when the file is missing or malformed
 *   const { stacks, waiverProblems } = applyWaivers(stackResults, set);
 *       // marks matching findings `waived`; waiverProblems = invalid/expired (mandatory)
 *       // + unused (advisory)
 *   (counting and the verdict are src/summary.ts's: the check runner summarizes once, after this)
 *   parseWaivers(text, file, options)   // the pure core of loadWaivers, for tests and stdin
 *
 * Rules (documented for users in governance/README.md):
 * - A malformed file (bad JSON, top level not `{ "waivers": [...] }`, an entry that is not an
 *   object) is an input error: CliError, exit 2, naming the file and the fix.
 * - An entry that is incomplete or invalid (missing or malformed field, unknown rule, trivial
 *   reason, a target that matches everything, expiry too far out) or expired is not applied
 *   and is itself a mandatory violation.
 * - Expiry: `expires` is a date; the waiver stops applying at 00:00 UTC that day. It may lie at
 *   most 90 days after `created` when `created` is given (so a waiver stays valid for the whole
 *   window it was approved for), otherwise at most 90 days after the evaluation date. `created`
 *   may not lie in the future or after `expires`.
 * - A waiver matches a finding when the rule is equal, the optional `stack` is equal, and the
 *   `target` glob matches the construct path (targets containing `/`) or the resource address
 *   (other targets). `*` matches within one path segment, `**` across segments, `?` one
 *   character. The first matching waiver (in file order) is recorded on the finding.
 * - A valid waiver that matched nothing in the stacks checked is an advisory warning.
 * - Who: `requestedBy` (the person who asked) and `approvedBy` (the person who approved) are
 *   GitHub logins; the approver is a member of a team in governance/teams.json (an unknown
 *   handle or a team handle makes the entry invalid) and not the requester (case-insensitive).
 *   When a waiver matches a finding, the approver must hold the role decision-rights.json
 *   requires for the finding's stack tier and the rule's risk category (src/authority.ts);
 *   otherwise the waiver is not applied to that finding and a mandatory problem says who must
 *   approve instead.
 * - A target that matches every resource it could be compared with (every construct of a
 *   stack, every resource of a type the rule checks, every address) is invalid; see
 *   matchesEverything().
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseJsonStrict } from "@baseplate/policies/json";
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { loadAuthority } from "./authority.ts";
import type { Authority, RoleNeed } from "./authority.ts";
import { CliError } from "./errors.ts";
import { displayPath } from "./paths.ts";
import type { Catalog, CatalogRule, Finding, StackResult, WaiverProblem, WaiverRef } from "./types.ts";

/** Longest window a waiver may cover. */
export const MAX_WAIVER_DAYS = 90;
const DAY_MS = 86_400_000;

/** Synthetic rules for problems with waivers, so SARIF and JUnit can reference them. */
export const WAIVER_RULES: readonly CatalogRule[] = [
  {
    id: "WAIVER-001",
    title: "Waivers are complete, valid and current",
    description:
      "Every entry of the waivers file names a known rule, a target, a non-trivial reason, a ticket, an approver and an expiry at most 90 days out, and has not expired.",
    severity: "high",
    enforcement: "mandatory",
    controls: ["SOC 2 CC3.4", "SOC 2 CC8.1"],
    remediation:
      "Fix the entry as the message says, renew an expired waiver with a fresh approval and a new expiry at most 90 days out, or remove it and fix the finding.",
    message: "{observed}",
    package: "baseplate.waivers",
    resource_types: [],
    sources: "both",
  },
  {
    id: "WAIVER-002",
    title: "Waivers are in use",
    description: "A waiver that matches no finding is stale: the finding was fixed or the target is wrong.",
    severity: "low",
    enforcement: "advisory",
    controls: [],
    remediation: "Remove the waiver when the finding is fixed, or correct its rule, stack or target.",
    message: "{observed}",
    package: "baseplate.waivers",
    resource_types: [],
    sources: "both",
  },
];

/** A valid waiver, in force at the evaluation date. */
export interface Waiver extends WaiverRef {
  /** Zero-based position in the file's `waivers` list. */
  index: number;
}

/** Result of loading a waivers file. */
export interface WaiverSet {
  /** The file as shown in messages (relative to the working directory when inside it). */
  file: string;
  /** Valid waivers in force, in file order. */
  waivers: Waiver[];
  /** Invalid, incomplete or expired entries: mandatory problems. */
  problems: WaiverProblem[];
  /** Who holds which role, to check each approval against the finding it waives. */
  authority: Authority;
  /** Risk category of each change rule (the catalog's `risk`). */
  riskOf: ReadonlyMap<string, string>;
}

export interface WaiverOptions {
  /** Evaluation time (RFC 3339 string or Date), normally the policy input's `now`. */
  now: string | Date;
  /** Known rule ids come from the catalog. */
  catalog: Catalog | readonly CatalogRule[];
  /** Teams and decision rights; default: the repository's governance/ files. */
  authority?: Authority;
}

const SCHEMA_FILE = fileURLToPath(new URL("../../../governance/waivers.schema.json", import.meta.url));
let validator: ValidateFunction | undefined;

/** Compiles governance/waivers.schema.json once. */
function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
  } catch (error) {
    throw new CliError(
      `${displayPath(SCHEMA_FILE)}: cannot load the waivers schema (${(error as Error).message}); restore the file from version control.`,
    );
  }
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormatsModule.default(ajv, ["date"]);
  validator = ajv.compile(schema as object);
  return validator;
}


/** Reads and validates a waivers file. Throws CliError (exit 2) when it is missing or malformed. */
export function loadWaivers(path: string, options: WaiverOptions): WaiverSet {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new CliError(
      `${file}: cannot read the waivers file (${code}); create it with {"waivers": []} or pass the right path.`,
    );
  }
  return parseWaivers(text, file, options);
}

/** Validates the text of a waivers file. Pure apart from the cached schema. */
export function parseWaivers(text: string, file: string, options: WaiverOptions): WaiverSet {
  const now = toDate(options.now, file);
  const rules: readonly CatalogRule[] = "rules" in options.catalog ? options.catalog.rules : options.catalog;
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  // Loaded only when an entry needs it: an empty waivers file costs no schema compilation.
  let loaded = options.authority;
  const authority = (): Authority => (loaded ??= loadAuthority());
  const riskOf = new Map<string, string>();
  for (const r of rules) if (r.risk) riskOf.set(r.id, r.risk);
  let doc: unknown;
  try {
    doc = parseJsonStrict(text, file);
  } catch (error) {
    throw new CliError(`${(error as Error).message} (the waivers file must be strict JSON without repeated keys).`);
  }
  const validate = schemaValidator();
  validate(doc);
  const errorsByEntry = new Map<number, ErrorObject[]>();
  for (const error of validate.errors ?? []) {
    const match = /^\/waivers\/(\d+)(\/.*)?$/.exec(error.instancePath);
    if (!match || (match[2] === undefined && error.keyword === "type")) {
      throw new CliError(`${file}: ${fileShapeProblem(error)}; the file must be {"waivers": [ {rule, target, reason, ticket, approvedBy, expires}, ... ]} (see governance/README.md).`);
    }
    const index = Number(match[1]);
    const list = errorsByEntry.get(index) ?? [];
    list.push(error);
    errorsByEntry.set(index, list);
  }

  const entries = (doc as { waivers: unknown[] }).waivers;
  const waivers: Waiver[] = [];
  const problems: WaiverProblem[] = [];
  entries.forEach((raw, index) => {
    const entry = raw as Record<string, unknown>;
    const ref = toRef(entry);
    const label = `${file} waivers[${index}] (${ref.rule || "no rule"} on ${ref.target || "no target"})`;
    const schemaErrors = errorsByEntry.get(index) ?? [];
    const badFields = new Set(schemaErrors.map((e) => e.instancePath.split("/")[3] ?? String(e.params["missingProperty"])));
    const issues = [...schemaErrors.map(describeEntryError), ...semanticIssues(ref, ruleById, now, badFields, authority)];
    if (issues.length > 0) {
      problems.push({
        waiver: ref,
        problem: `${label}: ${issues.join("; ")}.`,
        enforcement: "mandatory",
        file,
        index,
      });
    } else {
      waivers.push({ ...ref, index });
    }
  });
  return {
    file,
    waivers,
    problems,
    riskOf,
    get authority() {
      return authority();
    },
  };
}

function fileShapeProblem(error: ErrorObject): string {
  const where = error.instancePath === "" ? "the top level" : error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (error.keyword === "required") return `${where} has no "${String(error.params["missingProperty"])}" list`;
  if (error.keyword === "additionalProperties") {
    return `${where} has an unknown key "${String(error.params["additionalProperty"])}"`;
  }
  return `${where} ${error.message ?? "is malformed"}`;
}

/** Copies the known fields, as strings, into a fresh object (no prototype-bearing keys survive). */
function toRef(entry: Record<string, unknown>): WaiverRef {
  const str = (key: string): string => {
    const value = Object.hasOwn(entry, key) ? entry[key] : undefined;
    return typeof value === "string" ? value : "";
  };
  const ref: WaiverRef = {
    rule: str("rule"),
    target: str("target"),
    reason: str("reason"),
    ticket: str("ticket"),
    approvedBy: str("approvedBy"),
    expires: str("expires"),
  };
  if (str("requestedBy")) ref.requestedBy = str("requestedBy");
  if (str("stack")) ref.stack = str("stack");
  if (str("created")) ref.created = str("created");
  return ref;
}

const FIELD_FIX: Record<string, string> = {
  rule: "use a catalog rule id such as S3-001 (see policies/README.md)",
  target: "use a resource address or a construct-path glob such as payments-prod/data/*",
  stack: "use a stack name",
  reason: "say why the exception is acceptable and what mitigates it, in at least 20 characters",
  ticket: "use a ticket key like SEC-123 or an https URL",
  approvedBy: "use the GitHub login of the person who approved, e.g. @jdoe, a member of a team in governance/teams.json",
  requestedBy: "use the GitHub login of the person who asked for the waiver, e.g. @jdoe",
  created: "use an ISO date YYYY-MM-DD",
  expires: "use an ISO date YYYY-MM-DD at most 90 days out",
};

function describeEntryError(error: ErrorObject): string {
  const field = error.instancePath.split("/")[3];
  switch (error.keyword) {
    case "required": {
      const missing = String(error.params["missingProperty"]);
      return `missing "${missing}" (${FIELD_FIX[missing] ?? "add it"})`;
    }
    case "additionalProperties":
      return `unknown field "${String(error.params["additionalProperty"])}" (allowed: rule, target, stack, reason, ticket, requestedBy, approvedBy, created, expires)`;
    case "type":
      return `"${field ?? "?"}" must be a string`;
    case "minLength":
      return `"${field ?? "?"}" is too short (${FIELD_FIX[field ?? ""] ?? error.message ?? ""})`;
    case "maxLength":
      return `"${field ?? "?"}" is too long (${error.message ?? ""})`;
    case "pattern":
    case "format":
      return `"${field ?? "?"}" is malformed (${FIELD_FIX[field ?? ""] ?? error.message ?? ""})`;
    default:
      return `"${field ?? "?"}" ${error.message ?? "is invalid"}`;
  }
}

/** Checks the schema cannot express. Returns the issues, empty when the waiver is valid. */
function semanticIssues(
  ref: WaiverRef,
  rules: ReadonlyMap<string, CatalogRule>,
  now: Date,
  badFields: ReadonlySet<string>,
  authority: () => Authority,
): string[] {
  const issues: string[] = [];
  const rule = rules.get(ref.rule);
  if (!badFields.has("rule") && !rule) issues.push(`unknown rule "${ref.rule}" (${FIELD_FIX["rule"] ?? ""})`);
  const reason = ref.reason.trim();
  const words = reason.split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w));
  if (!badFields.has("reason") && words.length < 4) {
    issues.push(`reason "${reason}" is not an explanation (${FIELD_FIX["reason"] ?? ""}, in at least 4 words)`);
  }
  if (!badFields.has("target")) {
    const everything = matchesEverything(ref.target, rule);
    if (everything) issues.push(`target "${ref.target}" matches ${everything} (name the construct path or resource address of the finding)`);
    else if (!/[^*?/.\s]/.test(ref.target)) issues.push(`target "${ref.target}" is only wildcards and names nothing (name the construct path or resource address of the finding)`);
  }
  issues.push(...approvalIssues(ref, badFields, authority));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const expires = Date.parse(`${ref.expires}T00:00:00Z`);
  const created = ref.created && !badFields.has("created") ? Date.parse(`${ref.created}T00:00:00Z`) : undefined;
  if (badFields.has("expires") || Number.isNaN(expires)) return issues;
  if (now.getTime() >= expires) {
    issues.push(
      `expired on ${ref.expires} (renew it with a fresh approval and a new expiry at most ${MAX_WAIVER_DAYS} days out, or remove it and fix the finding)`,
    );
  } else if (created !== undefined) {
    if (created > today) issues.push(`created ${ref.created ?? ""} is in the future (use the date the waiver was approved)`);
    else if (expires - created > MAX_WAIVER_DAYS * DAY_MS) {
      issues.push(
        `expires ${ref.expires} is more than ${MAX_WAIVER_DAYS} days after created ${ref.created ?? ""} (set expires to ${isoDate(created + MAX_WAIVER_DAYS * DAY_MS)} or earlier)`,
      );
    }
  } else if (expires - today > MAX_WAIVER_DAYS * DAY_MS) {
    issues.push(
      `expires ${ref.expires} is more than ${MAX_WAIVER_DAYS} days after ${isoDate(today)} (set expires to ${isoDate(today + MAX_WAIVER_DAYS * DAY_MS)} or earlier, or record "created")`,
    );
  }
  return issues;
}

/** Who asked and who approved: declared people, and never the same person. */
function approvalIssues(ref: WaiverRef, badFields: ReadonlySet<string>, authorityOf: () => Authority): string[] {
  const authority = authorityOf();
  const issues: string[] = [];
  const approver = ref.approvedBy;
  if (!badFields.has("approvedBy") && approver) {
    if (authority.isTeam(approver)) {
      issues.push(`approvedBy ${approver} is a team; a person approves: name the member of ${approver} who approved (governance/teams.json)`);
    } else if (authority.holds(approver).length === 0) {
      issues.push(`approvedBy ${approver} is not a member of any team in governance/teams.json (unknown approver); name a declared approver, or add the person to their team in a reviewed change`);
    }
  }
  const requester = ref.requestedBy;
  if (!badFields.has("requestedBy") && requester) {
    if (!badFields.has("approvedBy") && approver && requester.toLowerCase() === approver.toLowerCase()) {
      issues.push(`approvedBy ${approver} is also the requester (requestedBy ${requester}); self-approval is not allowed: another person holding the required role must approve`);
    }
  }
  return issues;
}

/**
 * Whether a target matches every resource it could ever be compared with, decided on what it
 * matches, not on how it is spelled. Probes are addresses and construct paths with names that
 * share no character with any literal part of a target ("a", "7"), in every shape Terraform
 * and cdktf produce: a target that matches all probes of one resource type of the rule (or of
 * one stack) matches every such resource. Returns what it matches, or null.
 */
export function matchesEverything(target: string, rule: CatalogRule | undefined): string | null {
  const re = globToRegExp(target);
  const all = (probes: readonly string[]): boolean => probes.every((p) => re.test(p));
  if (target.includes("/")) {
    // Construct paths: <stack>/<id>/<id>...; the stack is the first segment. Instantiate the
    // first segment (wildcards filled) so `p*/**` is tried on a stack it matches.
    const first = target.split("/")[0] ?? "";
    const stack = /[*?]/.test(first) ? first.replace(/\*+/g, "a").replace(/\?/g, "a") : first;
    // Resources sit directly under the stack (raw provider resources) or deeper (constructs);
    // matching every path of either depth is matching everything.
    const names = ["a", "7", "Ab-7_x"];
    const direct = names.map((n) => `${stack}/${n}`);
    const nested = names.flatMap((n) => [`${stack}/${n}/${n}`, `${stack}/${n}/7/a`, `${stack}/7/${n}/a/7`]);
    const what = /[*?]/.test(first) ? `every stack named like "${first}"` : `stack ${first}`;
    if (all(direct)) return `every construct of ${what}`;
    if (all(nested)) return `every nested construct of ${what}`;
    return null;
  }
  const types = rule && rule.resource_types.length > 0 ? rule.resource_types : ["aws_s3_bucket", "aws_iam_role", "aws_instance"];
  for (const type of types) {
    const root = [`${type}.a`, `${type}.7`, `${type}.a[0]`, `${type}.7["a"]`];
    const nested = [`module.a.${type}.7`, `module.7.module.a.${type}.a[0]`];
    if (all(root)) return `every ${type} resource`;
    if (all(nested)) return `every ${type} resource in a module`;
  }
  if (all(["aws_a.7", "module.a.aws_7.a", "data.aws_a.a"])) return "every resource address";
  return null;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function toDate(now: string | Date, file: string): Date {
  const date = typeof now === "string" ? new Date(now) : now;
  if (Number.isNaN(date.getTime())) {
    throw new CliError(`${file}: the evaluation time "${String(now)}" is not a valid RFC 3339 timestamp; pass --now as e.g. 2026-11-24T00:00:00Z.`);
  }
  return date;
}

const globCache = new Map<string, RegExp>();

/** Compiles a target glob: `**` any characters, `*` any except `/`, `?` one character except `/`. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? "";
    if (ch === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[\\^$.|+()[\]{}-]/g, "\\$&");
  }
  const re = new RegExp(`^${source}$`, "s");
  globCache.set(glob, re);
  return re;
}

/** Whether a waiver applies to a finding (rule, optional stack, target glob). */
export function waiverMatches(waiver: WaiverRef, finding: Pick<Finding, "rule" | "stack" | "address" | "construct">): boolean {
  if (waiver.rule !== finding.rule) return false;
  if (waiver.stack !== undefined && waiver.stack !== finding.stack) return false;
  const re = globToRegExp(waiver.target);
  if (waiver.target.includes("/")) return finding.construct !== null && re.test(finding.construct);
  return re.test(finding.address);
}

/**
 * Marks findings matched by a valid waiver as waived (new objects; inputs are not mutated) and
 * returns every waiver problem: the set's invalid/expired entries and unused waivers.
 */
export function applyWaivers<S extends Pick<StackResult, "stack" | "findings" | "environment">>(
  stackResults: readonly S[],
  set: WaiverSet,
): { stacks: S[]; waiverProblems: WaiverProblem[] } {
  const used = new Set<number>();
  // Index by rule and by what a waiver is bound to (explicit `stack`, or the literal first
  // segment of a construct-path target), so each finding tests only plausible waivers.
  const byKey = new Map<string, Waiver[]>();
  for (const w of set.waivers) {
    const root = constructRoot(w.target);
    const key = w.stack !== undefined ? `s\u0000${w.rule}\u0000${w.stack}` : root !== undefined ? `c\u0000${w.rule}\u0000${root}` : `*\u0000${w.rule}`;
    const list = byKey.get(key) ?? [];
    list.push(w);
    byKey.set(key, list);
  }
  const candidates = (f: Finding): Waiver[] => {
    const root = f.construct?.split("/")[0];
    const lists = [
      byKey.get(`s\u0000${f.rule}\u0000${f.stack}`),
      root === undefined ? undefined : byKey.get(`c\u0000${f.rule}\u0000${root}`),
      byKey.get(`*\u0000${f.rule}`),
    ].filter((l): l is Waiver[] => l !== undefined);
    if (lists.length <= 1) return lists[0] ?? [];
    return lists.flat().sort((a, b) => a.index - b.index);
  };
  // Approvals without the authority the finding needs: one problem per waiver, tier and role.
  const refused = new Map<string, { waiver: Waiver; tier: string; need: RoleNeed; findings: string[] }>();
  const needs = new Map<string, RoleNeed>();
  const stacks = stackResults.map((stack) => {
    const tier = stack.environment.tier ?? "unknown";
    return {
      ...stack,
      findings: stack.findings.map((finding) => {
        for (const waiver of candidates(finding)) {
          if (!waiverMatches(waiver, finding)) continue;
          const category = set.riskOf.get(finding.rule) ?? null;
          const needKey = `${tier}\u0000${category ?? ""}`;
          let need = needs.get(needKey);
          if (!need) {
            need = set.authority.required(tier, category);
            needs.set(needKey, need);
          }
          if (!set.authority.satisfies(waiver.approvedBy, need)) {
            const key = `${waiver.index}\u0000${tier}\u0000${need.role}`;
            const entry = refused.get(key) ?? { waiver, tier, need, findings: [] };
            entry.findings.push(finding.address);
            refused.set(key, entry);
            continue;
          }
          used.add(waiver.index);
          const { index: _index, ...ref } = waiver;
          return { ...finding, waived: ref };
        }
        return finding;
      }),
    };
  });
  const unauthorized: WaiverProblem[] = [];
  for (const { waiver: w, tier, need, findings } of refused.values()) {
    const { index, ...ref } = w;
    const held = set.authority.holds(w.approvedBy).map((r) => r.role);
    const handle = set.authority.rights.approvers[need.role]?.handle;
    const shown = findings.length > 3 ? `${findings.slice(0, 3).join(", ")} and ${findings.length - 3} more` : findings.join(", ");
    unauthorized.push({
      waiver: ref,
      problem:
        `${set.file} waivers[${index}] (${w.rule} on ${w.target}): approvedBy ${w.approvedBy} (${held.length > 0 ? `role ${held.join(", ")}` : "no role"}) cannot waive it in tier ${tier}: ` +
        `governance/decision-rights.json requires the ${need.role} role${handle ? ` (${handle})` : ""} (${need.reasons.join(" ")}); not applied to ${shown}. ` +
        `Have a member of ${handle ?? `the ${need.role} role`} approve and put their login in approvedBy.`,
      enforcement: "mandatory",
      file: set.file,
      index,
    });
  }
  const checked = new Set(stackResults.map((s) => s.stack));
  const refusedIndexes = new Set([...refused.values()].map((r) => r.waiver.index));
  const unused: WaiverProblem[] = [];
  for (const w of set.waivers) {
    if (used.has(w.index) || refusedIndexes.has(w.index) || !inScope(w, checked)) continue;
    const { index, ...ref } = w;
    unused.push({
      waiver: ref,
      problem: `${set.file} waivers[${index}] (${w.rule} on ${w.target}) matched no finding in the stacks checked; remove it if the finding is fixed, or correct its rule, stack or target.`,
      enforcement: "advisory",
      file: set.file,
      index,
    });
  }
  return { stacks, waiverProblems: [...set.problems, ...unauthorized, ...unused] };
}

/** The literal first segment of a construct-path target (the stack's construct), if any. */
function constructRoot(target: string): string | undefined {
  if (!target.includes("/")) return undefined;
  const first = target.split("/")[0] ?? "";
  return /[*?]/.test(first) ? undefined : first;
}

/** A waiver is only judged unused when it could have matched one of the stacks checked. */
function inScope(w: WaiverRef, checked: ReadonlySet<string>): boolean {
  const bound = w.stack ?? constructRoot(w.target);
  return bound === undefined || checked.has(bound);
}
