import { SEVERITY_ORDER } from "../engine.ts";
import { findingStatus } from "../summary.ts";
import type { CheckReport, Finding, Severity, StackResult } from "../types.ts";
import { safeLines, safeText as t } from "./safe-text.ts";

export interface TerminalOptions {
  color: boolean;
}

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env["NO_COLOR"] === undefined && env["TERM"] !== "dumb";
}

type Paint = (text: string) => string;

function painter(color: boolean): Record<"bold" | "dim" | "red" | "yellow" | "blue" | "green" | "magenta", Paint> {
  const wrap = (open: number, close: number): Paint => (text) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    green: wrap(32, 39),
    magenta: wrap(35, 39),
  };
}

function severityPaint(severity: Severity, p: ReturnType<typeof painter>): Paint {
  switch (severity) {
    case "critical":
      return (t) => p.bold(p.red(t));
    case "high":
      return p.red;
    case "medium":
      return p.yellow;
    case "low":
      return p.blue;
    case "info":
      return p.dim;
  }
}

function findingLines(finding: Finding, p: ReturnType<typeof painter>): string[] {
  const status = findingStatus(finding);
  const mark = status === "waived" ? p.dim("~") : status === "mandatory" ? p.red("✖") : p.yellow("!");
  const lines = [
    `    ${mark} ${p.bold(t(finding.rule))} ${severityPaint(finding.severity, p)(finding.severity)} ${finding.enforcement} ${t(finding.address)}`,
  ];
  if (finding.construct !== null) lines.push(`        construct: ${t(finding.construct)}`);
  if (finding.location !== null) lines.push(`        at:        ${t(finding.location)}`);
  lines.push(`        ${t(finding.message)}`);
  if (finding.remediation !== "") lines.push(`        ${p.green("fix:")} ${t(finding.remediation)}`);
  if (finding.waived !== null) {
    const w = finding.waived;
    lines.push(`        ${p.dim(`waived: ${t(w.reason)} (ticket ${t(w.ticket)}, approved by ${t(w.approvedBy)}, expires ${t(w.expires)})`)}`);
  }
  return lines;
}

function stackLines(stack: StackResult, p: ReturnType<typeof painter>): string[] {
  const env = stack.environment;
  const where = t([env.name, env.tier, env.account, env.region].filter((v) => v !== null).join(", "));
  const lines = [
    `${p.bold(t(stack.stack))} ${p.dim(`(${stack.source}, ${t(stack.file)}, ${plural(stack.resourceCount, "resource")}${where === "" ? "" : `, ${where}`})`)}`,
  ];
  if (stack.findings.length === 0) {
    lines.push(`  ${p.green("✔")} no findings`);
    return lines;
  }
  for (const severity of SEVERITY_ORDER) {
    const group = stack.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`  ${severityPaint(severity, p)(severity.toUpperCase())} (${group.length})`);
    for (const finding of group) lines.push(...findingLines(finding, p));
  }
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Human-readable report: findings grouped by stack, then severity; a footer with the report's verdict, counts and bundle. */
export function renderTerminal(report: CheckReport, options: TerminalOptions): string {
  const p = painter(options.color);
  const lines: string[] = [];
  for (const stack of report.stacks) {
    lines.push(...stackLines(stack, p), "");
  }
  if (report.waiverProblems.length > 0) {
    lines.push(p.bold("Waivers"));
    for (const problem of report.waiverProblems) {
      const mark = problem.enforcement === "mandatory" ? p.red("✖") : p.yellow("!");
      const which = problem.waiver === null ? "" : ` ${t(problem.waiver.rule)} ${t(problem.waiver.target)}:`;
      lines.push(`  ${mark}${which} ${t(problem.problem)}`);
    }
    lines.push("");
  }
  const s = report.summary;
  const verdict = s.verdict === "fail" ? p.red(p.bold("FAIL")) : p.green(p.bold("PASS"));
  lines.push(
    `${verdict} ${plural(s.mandatory, "mandatory violation")}, ${plural(s.advisory, "advisory finding")}, ${s.waived} waived; ${plural(s.stacks, "stack")}, ${plural(s.resources, "resource")}`,
  );
  lines.push(p.dim(`policy bundle sha256:${report.bundle.sha256.slice(0, 12)}, ${plural(report.bundle.rules, "rule")}, OPA ${report.bundle.opa_version}`));
  return safeLines(`${lines.join("\n")}\n`);
}
