/**
 * Builds the rules catalog from the METADATA annotations of the Rego sources
 * (`opa inspect -a --format json rego`) and validates it. Shape: `Catalog` in
 * src/types.ts.
 */
import { SEVERITY_ORDER, type Catalog, type CatalogRule, type Enforcement, type Severity } from "../src/types.ts";
import { join } from "node:path";
import { REGO_DIR, ScriptError, opa } from "./opa.ts";
import { type RuleAnnotation, RULE_ID, bundleSources, checkRuleFiles } from "./rule-files.ts";

const ENFORCEMENTS: readonly Enforcement[] = ["mandatory", "advisory"];
const SOURCES = ["both", "plan", "synth"] as const;
const RISKS = ["stateful-delete", "iam", "network-boundary", "compliance-posture"];
const PLACEHOLDERS = new Set(["address", "attribute", "observed", "stack"]);

interface InspectAnnotation {
  annotations?: {
    scope?: string;
    title?: string;
    description?: string;
    custom?: Record<string, unknown>;
  };
  location?: { file?: string; row?: number };
  path?: { type: string; value: string }[];
}

interface InspectOutput {
  annotations?: InspectAnnotation[];
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === "string" && s.trim() !== "");
}

function nonEmpty(x: unknown): x is string {
  return typeof x === "string" && x.trim() !== "";
}

/** Converts `opa inspect -a --format json` output into catalog rules; throws on any invalid rule. */
export function catalogFromInspect(inspect: InspectOutput, opaVersion: string): Catalog {
  const rules: CatalogRule[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const a of inspect.annotations ?? []) {
    const path = (a.path ?? []).map((p) => p.value);
    // data.baseplate.rules.<domain>.deny
    if (path[1] !== "baseplate" || path[2] !== "rules" || path.length !== 5) continue;
    if (a.annotations?.scope !== "rule") continue;
    const where = `${a.location?.file ?? "?"}:${a.location?.row ?? "?"}`;
    const pkg = path.slice(1, 4).join(".");
    if (path[4] !== "deny") {
      problems.push(`${where}: rule METADATA belongs on 'deny contains finding if' definitions, not on '${path[4]}'`);
      continue;
    }
    const ann = a.annotations;
    const c = ann.custom ?? {};
    const bad = (what: string): void => {
      problems.push(`${where}: ${what}`);
    };
    const id = c.id;
    if (!nonEmpty(id) || !RULE_ID.test(id)) {
      bad(`custom.id must look like 'S3-001', got ${JSON.stringify(id)}`);
      continue;
    }
    const prior = seen.get(id);
    if (prior) bad(`rule id ${id} is already used at ${prior}`);
    seen.set(id, where);
    if (!nonEmpty(ann.title)) bad(`${id}: title is missing`);
    if (!nonEmpty(ann.description)) bad(`${id}: description is missing`);
    if (!SEVERITY_ORDER.includes(c.severity as Severity)) bad(`${id}: custom.severity must be one of ${SEVERITY_ORDER.join("|")}`);
    if (!ENFORCEMENTS.includes(c.enforcement as Enforcement)) bad(`${id}: custom.enforcement must be one of ${ENFORCEMENTS.join("|")}`);
    if (!isStringList(c.controls) || c.controls.length === 0) bad(`${id}: custom.controls must be a non-empty list`);
    if (!nonEmpty(c.remediation)) bad(`${id}: custom.remediation is missing`);
    if (!nonEmpty(c.message)) bad(`${id}: custom.message is missing`);
    else {
      for (const m of c.message.matchAll(/\{([a-z_]+)\}/g)) {
        if (!PLACEHOLDERS.has(m[1] ?? "")) bad(`${id}: custom.message uses unknown placeholder {${m[1]}}`);
      }
    }
    if (!isStringList(c.resource_types) || c.resource_types.length === 0) bad(`${id}: custom.resource_types must be a non-empty list`);
    const sources = c.sources ?? "both";
    if (!SOURCES.includes(sources as (typeof SOURCES)[number])) bad(`${id}: custom.sources must be one of ${SOURCES.join("|")}`);
    if (c.risk !== undefined && !RISKS.includes(c.risk as string)) bad(`${id}: custom.risk must be one of ${RISKS.join("|")}`);
    const rule: CatalogRule = {
      id,
      title: ann.title ?? "",
      description: (ann.description ?? "").trim(),
      severity: c.severity as Severity,
      enforcement: c.enforcement as Enforcement,
      controls: isStringList(c.controls) ? c.controls : [],
      remediation: typeof c.remediation === "string" ? c.remediation.trim() : "",
      message: typeof c.message === "string" ? c.message.trim() : "",
      package: pkg,
      resource_types: isStringList(c.resource_types) ? c.resource_types : [],
      sources: sources as CatalogRule["sources"],
    };
    if (typeof c.risk === "string") rule.risk = c.risk;
    rules.push(rule);
  }
  if (problems.length > 0) {
    throw new ScriptError(`invalid rule METADATA in policies/rego:\n  ${problems.join("\n  ")}\nSee policies/AUTHORING.md.`);
  }
  rules.sort((x, y) => x.id.localeCompare(y.id, "en", { numeric: true }));
  return { schema: "baseplate/catalog@1", opa_version: opaVersion, rules };
}

/** The rule METADATA blocks of the inspect output, with their files. */
export function ruleAnnotations(inspect: InspectOutput): RuleAnnotation[] {
  const out: RuleAnnotation[] = [];
  for (const a of inspect.annotations ?? []) {
    const path = (a.path ?? []).map((p) => p.value);
    const id = a.annotations?.custom?.id;
    if (path[1] !== "baseplate" || path[2] !== "rules" || a.annotations?.scope !== "rule" || typeof id !== "string") continue;
    out.push({ id, file: a.location?.file ?? "?", row: a.location?.row ?? 0, domain: path[3] ?? "" });
  }
  return out;
}

/**
 * Runs `opa inspect -a` on the Rego sources (default policies/rego) and returns the validated
 * catalog; the rule files must keep one rule each (scripts/rule-files.ts).
 */
export function buildCatalog(opaVersion: string, regoDir: string = REGO_DIR): Catalog {
  const out = opa(["inspect", "-a", "--format", "json", regoDir]);
  let inspect: InspectOutput;
  try {
    inspect = JSON.parse(out.stdout) as InspectOutput;
  } catch {
    throw new ScriptError("'opa inspect -a --format json' did not print JSON; check the opa installation with 'bash tools/setup.sh'.");
  }
  const catalog = catalogFromInspect(inspect, opaVersion);
  const rulesDir = join(regoDir, "rules");
  checkRuleFiles(rulesDir, bundleSources(rulesDir), ruleAnnotations(inspect));
  return catalog;
}

/** The catalog of the current sources (opa version left empty). */
export function readCatalog(): Catalog {
  return buildCatalog("");
}
