/**
 * Markdown reporter: the pull-request comment for `baseplate check`.
 *
 * What to call:
 *   renderMarkdown(report: CheckReport, catalog: Catalog, options?: { maxLength?: number }): string
 *
 * The first line is the marker {@link CHECK_MARKER} so a workflow can find and update one
 * comment. It renders the finished report: the verdict and the counts are the report's own
 * (src/summary.ts). Every value that comes from the estate (stack names, addresses, construct
 * paths, observed values, messages, waiver fields) is escaped (comment.ts): it cannot close the
 * <details> blocks, inject HTML, start a heading, break a table or mention a user. The comment is
 * kept within GitHub's 65,536-character limit; findings that do not fit are counted in a closing note.
 */
import { SEVERITY_ORDER } from "../engine.ts";
import type { Catalog, CheckReport, Finding, Severity, StackResult, WaiverProblem } from "../types.ts";
import { codeSpan, escapeHtml, escapeMarkdown, GITHUB_COMMENT_LIMIT } from "./comment.ts";
import { safeLines } from "./safe-text.ts";

export const CHECK_MARKER = "<!-- baseplate:check -->";

const SEVERITY_ICON: Record<Severity, string> = { critical: "🛑", high: "🔴", medium: "🟠", low: "🟡", info: "🔵" };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function observedText(observed: unknown): string | null {
  if (observed === null || observed === undefined) return null;
  const text = typeof observed === "string" ? observed : JSON.stringify(observed);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** One finding as a list item (several lines, indented continuation). */
function findingItem(f: Finding): string {
  const head = `- ${SEVERITY_ICON[f.severity]} **${escapeMarkdown(f.rule)}** ${escapeMarkdown(f.title)} · ${f.enforcement} · ${codeSpan(f.address)}`;
  const lines = [head, `  ${escapeMarkdown(f.message)}`];
  const where: string[] = [];
  if (f.location) where.push(`declared at ${codeSpan(f.location)}`);
  if (f.construct) where.push(`construct ${codeSpan(f.construct)}`);
  if (f.attribute) where.push(`attribute ${codeSpan(f.attribute)}`);
  const observed = observedText(f.observed);
  if (observed !== null) where.push(`observed ${codeSpan(observed)}`);
  if (where.length > 0) lines.push(`  ${where.join(" · ")}`);
  if (f.waived) {
    const w = f.waived;
    lines.push(
      `  Waived: ${escapeMarkdown(w.reason)} (ticket ${escapeMarkdown(w.ticket)}, approved by ${escapeMarkdown(w.approvedBy)}, expires ${escapeMarkdown(w.expires)})`,
    );
  } else {
    lines.push(`  **Fix:** ${escapeMarkdown(f.remediation)}`);
  }
  return lines.join("  \n");
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.rule.localeCompare(b.rule) ||
      a.address.localeCompare(b.address),
  );
}

/** Sections of one stack: findings grouped by severity (open ones), then waived ones. */
function stackSections(stack: StackResult): { heading: string; items: string[] }[] {
  const open = sortFindings(stack.findings.filter((f) => !f.waived));
  const sections: { heading: string; items: string[] }[] = [];
  for (const severity of SEVERITY_ORDER) {
    const group = open.filter((f) => f.severity === severity);
    if (group.length > 0) {
      sections.push({ heading: `#### ${SEVERITY_ICON[severity]} ${severity} (${group.length})`, items: group.map(findingItem) });
    }
  }
  const waived = sortFindings(stack.findings.filter((f) => f.waived));
  if (waived.length > 0) sections.push({ heading: `#### 💤 waived (${waived.length})`, items: waived.map(findingItem) });
  return sections;
}

function waiverProblemItem(p: WaiverProblem): string {
  const icon = p.enforcement === "mandatory" ? "❌" : "⚠️";
  return `- ${icon} ${p.enforcement}: ${escapeMarkdown(p.problem)}`;
}

/** Renders the PR comment. Pure. */
export function renderMarkdown(report: CheckReport, catalog: Catalog, options: { maxLength?: number } = {}): string {
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const totals = report.summary;
  const failed = totals.verdict === "fail";
  const badWaivers = report.waiverProblems.filter((p) => p.enforcement === "mandatory").length;
  const staleWaivers = report.waiverProblems.length - badWaivers;

  const head: string[] = [
    CHECK_MARKER,
    failed ? "## ❌ baseplate check: failed" : "## ✅ baseplate check: passed",
    "",
    `${plural(totals.mandatory, "mandatory violation")}, ${plural(totals.advisory, "advisory warning")}, ${totals.waived} waived` +
      ` across ${plural(totals.stacks, "stack")} (${plural(totals.resources, "resource")}).` +
      (badWaivers > 0 ? ` ${plural(badWaivers, "invalid or expired waiver")} counted as mandatory.` : "") +
      (staleWaivers > 0 ? ` ${plural(staleWaivers, "unused waiver")} counted as advisory.` : ""),
    "",
    "| Stack | Source | Resources | Mandatory | Advisory | Waived |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  const stacks = [...report.stacks].sort((a, b) => a.stack.localeCompare(b.stack));
  for (const s of stacks) {
    const t = s.counts;
    head.push(
      `| ${t.mandatory > 0 ? "❌" : "✅"} ${escapeMarkdown(s.stack)} | ${escapeMarkdown(s.source)} | ${s.resourceCount} | ${t.mandatory} | ${t.advisory} | ${t.waived} |`,
    );
  }
  head.push("");

  const ruleCount = report.bundle.rules || catalog.rules.length;
  const footer = [
    "",
    "---",
    `<sub>baseplate · policy bundle sha256 ${escapeHtml(report.bundle.sha256.slice(0, 12))} · ${plural(ruleCount, "rule")} · OPA ${escapeHtml(report.bundle.opa_version)}</sub>`,
    "",
  ].join("\n");

  // Body blocks, in order; each block must be emitted whole or not at all.
  const out: string[] = [head.join("\n")];
  let used = out[0]!.length + footer.length;
  const reserve = 400; // room for the truncation note and closing tags
  let omitted = 0;
  const fits = (text: string): boolean => used + text.length + 1 + reserve <= limit;
  const push = (text: string): void => {
    out.push(text);
    used += text.length + 1;
  };

  if (report.waiverProblems.length > 0) {
    const block = ["### Waiver problems", "", ...report.waiverProblems.map(waiverProblemItem), ""].join("\n");
    if (fits(block)) push(block);
    else omitted += report.waiverProblems.length;
  }

  for (const s of stacks) {
    if (s.findings.length === 0) continue;
    const t = s.counts;
    const open = [
      "<details>",
      `<summary><b>${escapeHtml(s.stack)}</b>: ${t.mandatory} mandatory, ${t.advisory} advisory, ${t.waived} waived</summary>`,
      "",
    ].join("\n");
    const close = "\n</details>\n";
    if (!fits(open + close)) {
      omitted += s.findings.length;
      continue;
    }
    push(open);
    used += close.length;
    for (const section of stackSections(s)) {
      let headingDone = false;
      for (const item of section.items) {
        const text = headingDone ? item : `${section.heading}\n\n${item}`;
        if (fits(text)) {
          push(text);
          headingDone = true;
        } else omitted++;
      }
      if (headingDone) push("");
    }
    out.push(close);
  }

  if (omitted > 0) {
    out.push(
      `> [!NOTE]\n> ${plural(omitted, "more item")} did not fit in this comment; see the SARIF and JUnit artifacts or run \`baseplate check\` locally for the full list.\n`,
    );
  }
  out.push(footer);
  return safeLines(out.join("\n"));
}
