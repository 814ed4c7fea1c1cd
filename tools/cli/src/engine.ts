import { CliError, describeThrown } from "./errors.ts";
import { SEVERITY_ORDER } from "@baseplate/policies";
import { compareStrings } from "@baseplate/policies/input";
import type { CatalogRule, Finding, PolicyInput, PolicyResource, RawFinding } from "./types.ts";

/** A compiled policy bundle, loaded once per process. */
export interface PolicyBundle {
  /** sha256 (hex) of policy.wasm, verified at load. */
  sha256: string;
  opaVersion: string;
  rules: CatalogRule[];
  /** Raw findings of entrypoint `baseplate/findings` for the JSON bytes of one policy input. */
  evaluate(input: ArrayBuffer): RawFinding[];
}

export { SEVERITY_ORDER };
const SEVERITY_RANK = new Map<string, number>(SEVERITY_ORDER.map((s, i) => [s, i]));

export function severityRank(severity: string): number {
  return SEVERITY_RANK.get(severity) ?? SEVERITY_ORDER.length;
}

/** Stable order: stack, severity, rule id, address, attribute. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.stack, b.stack) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.address, b.address) ||
    compareStrings(a.attribute ?? "", b.attribute ?? "")
  );
}

/** An observed value as shown in a message: strings bare, everything else as compact JSON. */
export function formatObserved(observed: unknown): string {
  if (observed === undefined || observed === null) return "(none)";
  if (typeof observed === "string") return observed;
  try {
    return JSON.stringify(observed) ?? "(none)";
  } catch {
    return "(unprintable)";
  }
}

/** Fills a catalog message template: {address} {attribute} {observed} {stack}. */
export function formatMessage(template: string, values: { address: string; attribute: string | null; observed: unknown; stack: string }): string {
  return template.replace(/\{(address|attribute|observed|stack)\}/g, (_all, key: string) => {
    switch (key) {
      case "address":
        return values.address;
      case "attribute":
        return values.attribute ?? "(resource)";
      case "observed":
        return formatObserved(values.observed);
      default:
        return values.stack;
    }
  });
}

/**
 * JSON bytes of a policy input as the ArrayBuffer the loader takes (no second stringify inside).
 * TextEncoder gives a buffer of exactly the encoded length, so nothing is copied a second time.
 */
export function inputBytes(input: PolicyInput): ArrayBuffer {
  return new TextEncoder().encode(JSON.stringify(input)).buffer;
}

function isRawFinding(value: unknown): value is RawFinding {
  if (typeof value !== "object" || value === null) return false;
  const f = value as Record<string, unknown>;
  return typeof f["rule"] === "string" && typeof f["address"] === "string";
}

/** `aws_s3_bucket.b[0]` -> `aws_s3_bucket.b` (a count or for_each instance -> its configuration). */
function withoutInstanceKey(address: string): string {
  return address.endsWith("]") ? address.slice(0, address.lastIndexOf("[")) : address;
}

/** Catalog entries by rule id. */
export function catalogIndex(rules: CatalogRule[]): Map<string, CatalogRule> {
  return new Map(rules.map((rule) => [rule.id, rule]));
}

/**
 * Evaluates one normalized stack and turns raw findings into catalog findings. Fails closed on a rule
 * erroring at runtime, on a malformed result and on a rule id missing from the catalog.
 */
/** Where a resource was declared, when the input itself does not say (a plan of a synthesized stack). */
export type DeclaredAt = ReadonlyMap<string, { construct: string | null; location: string | null }>;

export function evaluateStack(
  bundle: PolicyBundle,
  catalog: Map<string, CatalogRule>,
  input: PolicyInput,
  file: string,
  declaredAt?: DeclaredAt,
): Finding[] {
  let raw: unknown;
  let bytes: ArrayBuffer | undefined;
  try {
    bytes = inputBytes(input);
    raw = bundle.evaluate(bytes);
  } catch (thrown) {
    const reason = describeThrown(thrown).replace(/^Policy evaluation failed:\s*/, "").replace(/\.$/, "");
    if (bytes === undefined || /memory|malloc|allocation|Invalid string length|out of bounds/i.test(reason)) {
      // Size, not a rule: say so, and how to get under it.
      const size = bytes === undefined ? "" : ` (${(bytes.byteLength / (1024 * 1024)).toFixed(0)} MiB of policy input)`;
      throw new CliError(
        `${file} (stack ${input.stack}) is too large for the policy engine${size}: ${reason}; split the stack into smaller stacks, or check that the file is the stack or plan you meant.`,
      );
    }
    throw new CliError(
      `Policy evaluation failed for ${file} (stack ${input.stack}): ${reason}; this is a defect in a rule or the bundle, so the gate cannot pass until it is fixed.`,
    );
  }
  if (!Array.isArray(raw)) {
    throw new CliError(`The policy bundle returned ${typeof raw} instead of a list of findings for ${file}; rebuild it with \`node policies/scripts/build.ts\`.`);
  }
  const byAddress = new Map<string, PolicyResource>();
  for (const list of Object.values(input.resources)) for (const resource of list) byAddress.set(resource.address, resource);

  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    if (!isRawFinding(item)) {
      throw new CliError(`The policy bundle returned a malformed finding for ${file}: ${formatObserved(item)}; every finding needs a rule id and an address.`);
    }
    const rule = catalog.get(item.rule);
    if (rule === undefined) {
      throw new CliError(`A policy returned rule id ${item.rule}, which is not in the catalog (policies/build/catalog.json); rebuild the bundle with \`node policies/scripts/build.ts\`.`);
    }
    const attribute = typeof item.attribute === "string" ? item.attribute : null;
    const observed = item.observed ?? null;
    const key = JSON.stringify([item.rule, item.address, attribute, observed]);
    if (seen.has(key)) continue;
    seen.add(key);
    const resource = byAddress.get(item.address);
    const declared = resource?.construct === undefined || resource.construct === null ? declaredAt?.get(item.address) ?? declaredAt?.get(withoutInstanceKey(item.address)) : undefined;
    findings.push({
      rule: rule.id,
      title: rule.title,
      severity: rule.severity,
      enforcement: rule.enforcement,
      stack: input.stack,
      source: input.source,
      address: item.address,
      attribute,
      observed,
      message: formatMessage(rule.message, { address: item.address, attribute, observed, stack: input.stack }),
      remediation: rule.remediation,
      controls: [...rule.controls],
      construct: resource?.construct ?? declared?.construct ?? null,
      location: resource?.source_location ?? declared?.location ?? null,
      waived: null,
    });
  }
  return findings.sort(compareFindings);
}
