/**
 * SARIF 2.1.0 reporter: code-scanning annotations for `baseplate check`.
 *
 * What to call:
 *   renderSarif(report: CheckReport, catalog: Catalog, options?: SarifOptions): string
 *   buildSarif(report, catalog, options?): sarif.Log        // the same, as an object
 *
 * One run; tool.driver "baseplate" with the CLI version and one reportingDescriptor per
 * catalog rule (plus WAIVER-001/002 for problems with the waivers file). Each finding is a
 * result whose physical location is the TypeScript file and line that declared the resource
 * when `Finding.location` is `file.ts:line`, otherwise the stack's input file (`StackResult.file`,
 * by default `cdktf.out/stacks/<stack>/cdk.tf.json`); a logical location carries the construct
 * path and the address. Waived findings carry an accepted external suppression with the
 * waiver's justification. `partialFingerprints["baseplate/v1"]` hashes rule, stack, construct
 * path (or address) and attribute, so it is stable across runs and line moves.
 *
 * URIs are relative to the repository root (`uriBaseId: "%SRCROOT%"`). `helpUri` needs an
 * absolute URI: pass `helpBaseUri` (e.g. "https://github.com/acme/infra/blob/main/"), and it
 * becomes `<helpBaseUri>policies/README.md#<rule id in lower case>`; without it the help text
 * names the README section instead.
 */
import { createHash } from "node:crypto";
import { isAbsolute, relative } from "node:path";
import type * as sarif from "sarif";
import cliPackage from "../../package.json" with { type: "json" };
import type { Catalog, CatalogRule, CheckReport, Finding, Severity, StackResult, WaiverProblem } from "../types.ts";
import { WAIVER_RULES } from "../waivers.ts";
import { safeText } from "./safe-text.ts";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
  /** Absolute base for helpUri, ending in "/" (e.g. "https://github.com/acme/infra/blob/main/"). */
  helpBaseUri?: string;
  /** Repository root; absolute file paths under it are made relative. Default: process.cwd(). */
  root?: string;
  /** Tool version. Default: the CLI package version. */
  version?: string;
}

/** GitHub's security-severity scale (0.1–10): critical ≥ 9, high ≥ 7, medium ≥ 4, low < 4. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

function level(rule: Pick<CatalogRule, "enforcement" | "severity">): sarif.ReportingConfiguration.level {
  if (rule.enforcement === "mandatory") return "error";
  return rule.severity === "info" ? "note" : "warning";
}

/** "S3 bucket versioning is enabled" -> "S3BucketVersioningIsEnabled". */
function pascalName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w[0] ?? "").toUpperCase() + w.slice(1))
    .join("");
}

function descriptor(rule: CatalogRule, options: SarifOptions): sarif.ReportingDescriptor {
  const anchor = rule.id.toLowerCase();
  const readme = `policies/README.md#${anchor}`;
  const controls = [...rule.controls];
  const d: sarif.ReportingDescriptor = {
    id: rule.id,
    name: pascalName(rule.title) || rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: {
      text: `${rule.remediation}\n\nSee ${readme}.`,
      markdown: `**Remediation:** ${rule.remediation}\n\nControls: ${controls.join(", ") || "none"}. See \`${readme}\`.`,
    },
    defaultConfiguration: { level: level(rule), enabled: true },
    properties: {
      tags: ["security", "infrastructure", rule.enforcement, ...controls],
      controls,
      severity: rule.severity,
      enforcement: rule.enforcement,
      "security-severity": SECURITY_SEVERITY[rule.severity],
      ...(rule.risk ? { risk: rule.risk } : {}),
    },
  };
  if (options.helpBaseUri) d.helpUri = new URL(readme, options.helpBaseUri).href;
  return d;
}

/** Splits "path/to/file.ts:42" (or ":42:7") into file and line; null when it is not one. */
export function parseLocation(location: string | null): { file: string; line: number; column?: number } | null {
  if (!location) return null;
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(location);
  if (!m?.[1] || !m[2]) return null;
  const line = Number(m[2]);
  if (line < 1) return null;
  const column = m[3] ? Number(m[3]) : undefined;
  return column && column > 0 ? { file: m[1], line, column } : { file: m[1], line };
}

function repoUri(path: string, root: string): string {
  const rel = isAbsolute(path) ? relative(root, path) : path;
  return rel.split("\\").join("/").replace(/^\.\//, "");
}

function stackFile(stack: StackResult, root: string): string {
  const file = stack.file ? repoUri(stack.file, root) : "";
  return file && !file.startsWith("../") ? file : `cdktf.out/stacks/${stack.stack}/cdk.tf.json`;
}

/** Stable across runs: independent of line numbers, messages and ordering. */
export function fingerprint(f: Pick<Finding, "rule" | "stack" | "construct" | "address" | "attribute">): string {
  const key = [f.rule, f.stack, f.construct ?? f.address, f.attribute ?? ""].join("\u0000");
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

function findingResult(f: Finding, stack: StackResult, ruleIndex: Map<string, number>, root: string): sarif.Result {
  const parsed = parseLocation(f.location);
  const physicalLocation: sarif.PhysicalLocation = parsed
    ? {
        artifactLocation: { uri: repoUri(parsed.file, root), uriBaseId: "%SRCROOT%" },
        region: parsed.column ? { startLine: parsed.line, startColumn: parsed.column } : { startLine: parsed.line },
      }
    : { artifactLocation: { uri: stackFile(stack, root), uriBaseId: "%SRCROOT%" } };
  const logicalLocations: sarif.LogicalLocation[] = [
    f.construct
      ? { name: f.address, fullyQualifiedName: f.construct, kind: "resource" }
      : { name: f.address, fullyQualifiedName: f.address, kind: "resource" },
  ];
  const result: sarif.Result = {
    ruleId: f.rule,
    level: level(f),
    message: { text: safeText(f.message) },
    locations: [{ physicalLocation, logicalLocations }],
    partialFingerprints: { "baseplate/v1": fingerprint(f) },
    properties: {
      stack: f.stack,
      source: f.source,
      address: f.address,
      construct: f.construct,
      attribute: f.attribute,
      observed: f.observed ?? null,
      severity: f.severity,
      enforcement: f.enforcement,
    },
  };
  const index = ruleIndex.get(f.rule);
  if (index !== undefined) result.ruleIndex = index;
  if (f.waived) {
    const w = f.waived;
    result.suppressions = [
      {
        kind: "external",
        status: "accepted",
        justification: safeText(`${w.reason} (ticket ${w.ticket}, approved by ${w.approvedBy}, expires ${w.expires})`),
        properties: { ...w },
      },
    ];
  }
  return result;
}

function waiverResult(p: WaiverProblem, ruleIndex: Map<string, number>, root: string): sarif.Result {
  const id = p.enforcement === "mandatory" ? "WAIVER-001" : "WAIVER-002";
  const rule = WAIVER_RULES.find((r) => r.id === id);
  const file = repoUri(p.file ?? "governance/waivers.json", root);
  const result: sarif.Result = {
    ruleId: id,
    level: rule ? level(rule) : p.enforcement === "mandatory" ? "error" : "warning",
    message: { text: safeText(p.problem) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: file, uriBaseId: "%SRCROOT%" } },
        logicalLocations: [
          { name: p.index === undefined ? "waivers" : `waivers[${p.index}]`, fullyQualifiedName: `${file}#waivers[${p.index ?? ""}]`, kind: "element" },
        ],
      },
    ],
    partialFingerprints: {
      "baseplate/v1": createHash("sha256")
        .update([id, file, p.waiver ? `${p.waiver.rule}\u0000${p.waiver.stack ?? ""}\u0000${p.waiver.target}` : p.problem].join("\u0000"))
        .digest("hex")
        .slice(0, 32),
    },
  };
  const index = ruleIndex.get(id);
  if (index !== undefined) result.ruleIndex = index;
  return result;
}

/** The SARIF log as an object. Pure apart from `root` defaulting to the working directory. */
export function buildSarif(report: CheckReport, catalog: Catalog, options: SarifOptions = {}): sarif.Log {
  const root = options.root ?? process.cwd();
  const rules = [...catalog.rules].sort((a, b) => a.id.localeCompare(b.id));
  if (report.waiverProblems.length > 0) rules.push(...WAIVER_RULES);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: sarif.Result[] = [];
  const stacks = [...report.stacks].sort((a, b) => a.stack.localeCompare(b.stack));
  for (const stack of stacks) {
    const findings = [...stack.findings].sort(
      (a, b) => a.rule.localeCompare(b.rule) || a.address.localeCompare(b.address) || (a.attribute ?? "").localeCompare(b.attribute ?? ""),
    );
    for (const f of findings) results.push(findingResult(f, stack, ruleIndex, root));
  }
  for (const p of report.waiverProblems) results.push(waiverResult(p, ruleIndex, root));

  const version = options.version ?? cliPackage.version;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "baseplate",
            version,
            semanticVersion: version,
            rules: rules.map((r) => descriptor(r, options)),
          },
        },
        automationDetails: { id: "baseplate/check/" },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
        columnKind: "utf16CodeUnits",
        results,
        properties: {
          bundleSha256: report.bundle.sha256,
          opaVersion: report.bundle.opa_version,
          ruleCount: report.bundle.rules,
          generatedFor: report.generatedFor,
          summary: { ...report.summary },
        },
      },
    ],
  };
}

/** The SARIF log as JSON text (two-space indent, trailing newline). */
export function renderSarif(report: CheckReport, catalog: Catalog, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, catalog, options), null, 2)}\n`;
}
