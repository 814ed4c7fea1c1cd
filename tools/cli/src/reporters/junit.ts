/**
 * JUnit XML reporter: `baseplate check` results for CI test dashboards.
 *
 * What to call:
 *   renderJUnit(report: CheckReport, catalog: Catalog): string
 *
 * Layout:
 * - one <testsuite> per stack (name = stack), one <testcase> per catalog rule in it
 *   (classname = stack, name = "<rule id> <rule title>");
 * - a rule with unwaived mandatory findings on the stack: <failure> (message = count, type =
 *   rule id, body = one line per finding with address, message and fix);
 * - advisory findings and waived findings do not fail: the testcase passes and lists them in
 *   <system-out>, so dashboards keep "skipped" for rules that did not run;
 * - a rule that does not apply to the stack's source (a plan-only rule on a synthesized stack,
 *   or the reverse): <skipped message="...">;
 * - when the waivers file has problems, a final suite "waivers" with WAIVER-001 (failure listing
 *   invalid or expired waivers) and WAIVER-002 (unused waivers in <system-out>).
 * Attribute and text values are escaped; characters XML 1.0 forbids are dropped.
 */
import type { Catalog, CatalogRule, CheckReport, Finding, StackResult, WaiverProblem } from "../types.ts";
import { findingStatus } from "../summary.ts";
import { WAIVER_RULES } from "../waivers.ts";
import { safeText as t } from "./safe-text.ts";

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
      .replace(/\r/g, "&#13;")
  );
}

/** Attribute values additionally keep line breaks and tabs as character references. */
function attr(value: string): string {
  return escapeXml(value).replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

interface Case {
  name: string;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  systemOut?: string;
}

/** One finding on one line: every value from the estate through safeText, so no value starts a line. */
function findingLine(f: Finding): string {
  const where = f.location ? ` (${t(f.location)})` : f.construct ? ` (${t(f.construct)})` : "";
  if (f.waived) {
    return `WAIVED ${t(f.address)}${where}: ${t(f.message)} [waiver: ${t(f.waived.reason)}; ticket ${t(f.waived.ticket)}; approved by ${t(f.waived.approvedBy)}; expires ${t(f.waived.expires)}]`;
  }
  const tag = findingStatus(f) === "mandatory" ? "FAIL" : "ADVISORY";
  return `${tag} ${t(f.address)}${where}: ${t(f.message)} Fix: ${t(f.remediation)}`;
}

function applies(rule: CatalogRule, stack: StackResult): boolean {
  return rule.sources === "both" || rule.sources === stack.source;
}

function stackCases(stack: StackResult, rules: readonly CatalogRule[]): Case[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of stack.findings) {
    const list = byRule.get(f.rule) ?? [];
    list.push(f);
    byRule.set(f.rule, list);
  }
  const known = new Set(rules.map((r) => r.id));
  // Findings of a rule missing from the catalog still surface (as their own testcase).
  const orphans = [...byRule.keys()].filter((id) => !known.has(id)).sort();
  const all: { id: string; title: string; rule?: CatalogRule }[] = [
    ...rules.map((r) => ({ id: r.id, title: r.title, rule: r })),
    ...orphans.map((id) => ({ id, title: byRule.get(id)?.[0]?.title ?? "" })),
  ];
  return all.map(({ id, title, rule }) => {
    const findings = [...(byRule.get(id) ?? [])].sort((a, b) => a.address.localeCompare(b.address));
    const c: Case = { name: `${id} ${title}`.trim() };
    const failing = findings.filter((f) => findingStatus(f) === "mandatory");
    const other = findings.filter((f) => findingStatus(f) !== "mandatory");
    if (failing.length > 0) {
      c.failure = {
        message: `${failing.length} mandatory violation${failing.length === 1 ? "" : "s"} of ${id} in ${t(stack.stack)}`,
        type: id,
        body: failing.map(findingLine).join("\n"),
      };
    } else if (rule && findings.length === 0 && !applies(rule, stack)) {
      c.skipped = `${id} applies to ${rule.sources} input only; ${t(stack.stack)} was checked from ${stack.source}.`;
    }
    if (other.length > 0) c.systemOut = other.map(findingLine).join("\n");
    return c;
  });
}

function waiverCases(problems: readonly WaiverProblem[]): Case[] {
  const bad = problems.filter((p) => p.enforcement === "mandatory");
  const unused = problems.filter((p) => p.enforcement !== "mandatory");
  const [invalidRule, unusedRule] = WAIVER_RULES;
  const invalid: Case = { name: `${invalidRule?.id ?? "WAIVER-001"} ${invalidRule?.title ?? ""}`.trim() };
  if (bad.length > 0) {
    invalid.failure = {
      message: `${bad.length} invalid or expired waiver${bad.length === 1 ? "" : "s"}`,
      type: invalidRule?.id ?? "WAIVER-001",
      body: bad.map((p) => p.problem).join("\n"),
    };
  }
  const stale: Case = { name: `${unusedRule?.id ?? "WAIVER-002"} ${unusedRule?.title ?? ""}`.trim() };
  if (unused.length > 0) stale.systemOut = unused.map((p) => p.problem).join("\n");
  return [invalid, stale];
}

function suiteXml(name: string, cases: readonly Case[], properties: [string, string][]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const lines = [
    `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
  ];
  if (properties.length > 0) {
    lines.push("    <properties>");
    for (const [k, v] of properties) lines.push(`      <property name="${attr(k)}" value="${attr(v)}"/>`);
    lines.push("    </properties>");
  }
  for (const c of cases) {
    const open = `    <testcase classname="${attr(name)}" name="${attr(c.name)}" time="0"`;
    if (!c.failure && c.skipped === undefined && c.systemOut === undefined) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (c.failure) {
      lines.push(
        `      <failure message="${attr(c.failure.message)}" type="${attr(c.failure.type)}">${escapeXml(c.failure.body)}</failure>`,
      );
    }
    if (c.skipped !== undefined) lines.push(`      <skipped message="${attr(c.skipped)}"/>`);
    if (c.systemOut !== undefined) lines.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
    lines.push("    </testcase>");
  }
  lines.push("  </testsuite>");
  return lines.join("\n");
}

/** Renders the JUnit XML document. Pure. */
export function renderJUnit(report: CheckReport, catalog: Catalog): string {
  const rules = [...catalog.rules].sort((a, b) => a.id.localeCompare(b.id));
  const suites: { name: string; cases: Case[]; properties: [string, string][] }[] = [...report.stacks]
    .sort((a, b) => a.stack.localeCompare(b.stack))
    .map((s) => ({
      name: s.stack,
      cases: stackCases(s, rules),
      properties: [
        ["source", s.source],
        ["file", s.file],
        ["environment", s.environment.name ?? ""],
        ["tier", s.environment.tier ?? ""],
        ["resources", String(s.resourceCount)],
      ],
    }));
  if (report.waiverProblems.length > 0) {
    suites.push({ name: "waivers", cases: waiverCases(report.waiverProblems), properties: [] });
  }
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const skipped = suites.reduce((n, s) => n + s.cases.filter((c) => c.skipped !== undefined).length, 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="baseplate check" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    ...suites.map((s) => suiteXml(s.name, s.cases, s.properties)),
    `</testsuites>`,
    "",
  ].join("\n");
}
