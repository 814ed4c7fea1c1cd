/**
 * Renderers of `baseplate review` (src/review.ts builds the review): the PR comment, first line
 * REVIEW_MARKER, kept under GitHub's comment limit by showing fewer rows; plain text; JSON.
 */
import type { RequiredApprover, Review, RiskLevel, StackReview } from "../review.ts";
import { EXIT } from "../types.ts";
import { codeSpan, escapeHtml, escapeMarkdown, fitComment } from "./comment.ts";
import { safeLines, safeText } from "./safe-text.ts";

export const REVIEW_MARKER = "<!-- baseplate:review -->";

const RISK_ICON: Record<RiskLevel, string> = { high: "🔴", medium: "🟠", low: "🟢" };
const COUNT_KEYS = ["create", "update", "delete", "replace", "no-op"] as const;

function highest(s: StackReview): RiskLevel | null {
  return s.changes[0]?.risk ?? null;
}

function riskTally(s: StackReview): Record<RiskLevel, number> {
  const t: Record<RiskLevel, number> = { high: 0, medium: 0, low: 0 };
  for (const c of s.changes) t[c.risk]++;
  return t;
}

function headline(review: Review): string {
  const all = review.stacks.flatMap((s) => s.approvers);
  if (review.seniorRequired) return "senior approval required";
  if (all.length === 0) return "no changes";
  const top = [...all].sort((a, b) => b.rank - a.rank)[0];
  return `${top?.role ?? "review"} approval required`;
}

/** Rows shown per stack in the Markdown table before the rest is summarised. */
const MAX_ROWS = 150;

/**
 * Markdown for a PR comment. Pure. Stays within `maxLength` (default: GitHub's 65,536
 * characters) by showing fewer resource rows per stack, highest risk first; the verdict, the
 * counts and the approvers with their reasons are always shown.
 */
export function renderReviewMarkdown(review: Review, options: { maxLength?: number } = {}): string {
  return fitComment((rows) => reviewMarkdown(review, rows), MAX_ROWS, options.maxLength);
}

function reviewMarkdown(review: Review, maxRows: number): string {
  const out: string[] = [
    REVIEW_MARKER,
    `## ${review.seniorRequired ? "🔴" : "🟢"} baseplate review: ${headline(review)}`,
    "",
    "| Stack | Tier | Create | Update | Delete | Replace | No-op | Highest risk | Approvers |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
  ];
  for (const s of review.stacks) {
    const h = highest(s);
    out.push(
      `| ${escapeMarkdown(s.stack)} | ${escapeMarkdown(s.environment.tier ?? "unknown")} | ${COUNT_KEYS.map((k) => s.counts[k]).join(" | ")} | ${h ? `${RISK_ICON[h]} ${h}` : "none"} | ${s.approvers.map((a) => escapeMarkdown(a.role)).join(", ") || "none"} |`,
    );
  }
  out.push("");
  const roles = new Map<string, { a: RequiredApprover; lines: string[] }>();
  for (const s of review.stacks) {
    for (const a of s.approvers) {
      const entry = roles.get(a.role) ?? { a, lines: [] };
      for (const r of a.reasons) entry.lines.push(`${s.stack}: ${r}`);
      roles.set(a.role, entry);
    }
  }
  if (roles.size > 0) {
    out.push("### Who must approve", "");
    for (const { a, lines } of [...roles.values()].sort((x, y) => y.a.rank - x.a.rank || x.a.role.localeCompare(y.a.role))) {
      out.push(`- **${escapeMarkdown(a.role)}**${a.handle ? ` (${codeSpan(a.handle)})` : ""}${a.senior ? " · senior" : ""}`);
      for (const l of lines) out.push(`  - ${escapeMarkdown(l)}`);
    }
    out.push("");
  }
  for (const s of review.stacks) {
    if (s.changes.length === 0) continue;
    const t = riskTally(s);
    out.push(
      "<details>",
      `<summary><b>${escapeHtml(s.stack)}</b>: ${t.high} high, ${t.medium} medium, ${t.low} low</summary>`,
      "",
      "| Risk | Action | Resource | Why |",
      "| --- | --- | --- | --- |",
    );
    for (const c of s.changes.slice(0, maxRows)) {
      out.push(`| ${RISK_ICON[c.risk]} ${c.risk} | ${c.action} | ${escapeMarkdown(c.address)} | ${escapeMarkdown(c.reasons.join("; "))} |`);
    }
    if (s.changes.length > maxRows) out.push("", `${s.changes.length - maxRows} more lower-risk changes not shown; run \`baseplate review\` locally.`);
    out.push("", "</details>", "");
  }
  return safeLines(out.join("\n"));
}

/** Plain text for a terminal. Pure. */
export function renderReviewTerminal(review: Review): string {
  const out: string[] = [`baseplate review: ${headline(review)}`, ""];
  for (const s of review.stacks) {
    const c = s.counts;
    out.push(
      `${s.stack} (${s.environment.tier ?? "unknown tier"}): ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.replace} to replace, ${c["no-op"]} unchanged` +
        (c.forget > 0 ? `, ${c.forget} to forget` : ""),
    );
    for (const ch of s.changes) out.push(`  ${ch.risk.toUpperCase().padEnd(6)} ${ch.action.padEnd(7)} ${ch.address}  ${ch.reasons.join("; ")}`);
    if (s.approvers.length === 0) out.push("  approvers: none (no changes)");
    for (const a of s.approvers) {
      out.push(`  approver: ${a.role}${a.handle ? ` ${a.handle}` : ""}${a.senior ? " [senior]" : ""}`);
      for (const r of a.reasons) out.push(`    - ${r}`);
    }
    out.push("");
  }
  out.push(review.seniorRequired ? `exit ${EXIT.SENIOR_APPROVAL}: a senior must approve before apply.` : "exit 0: no senior approval needed.");
  // One logical line each: a value's own line breaks and control characters are shown escaped.
  return `${out.map(safeText).join("\n")}\n`;
}

/** The review as JSON text (two-space indent, trailing newline). */
export function renderReviewJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}
