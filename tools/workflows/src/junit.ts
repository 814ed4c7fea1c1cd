/**
 * A Markdown check summary of a JUnit XML report (`baseplate check --format junit=FILE`), for
 * `$GITHUB_STEP_SUMMARY`: totals, then one row per failed test case.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export class JUnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JUnitError";
  }
}

export interface JUnitFailure {
  suite: string;
  name: string;
  message: string;
}

export interface JUnitSummary {
  suites: number;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: JUnitFailure[];
}

type Node = Record<string, unknown>;

function list(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Node => typeof v === "object" && v !== null);
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) {
    const node = value as Node;
    const message = node["@_message"];
    if (typeof message === "string" && message !== "") return message;
    const body = node["#text"];
    if (typeof body === "string") return body;
  }
  return "";
}

/** Parses a JUnit report; `source` names it in errors. */
export function summarizeJUnit(xml: string, source: string): JUnitSummary {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new JUnitError(`${source} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); regenerate it with 'baseplate check --format junit=${source}'.`);
  }
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseAttributeValue: false }).parse(xml) as Node;
  const root = doc["testsuites"] ?? doc["testsuite"];
  if (root === undefined) throw new JUnitError(`${source} has no <testsuites> or <testsuite> element; it is not a JUnit report.`);
  const suites = doc["testsuites"] !== undefined ? list((doc["testsuites"] as Node)["testsuite"]) : list(doc["testsuite"]);
  const summary: JUnitSummary = { suites: suites.length, tests: 0, failures: 0, errors: 0, skipped: 0, failed: [] };
  for (const suite of suites) {
    const suiteName = typeof suite["@_name"] === "string" ? suite["@_name"] : "(unnamed suite)";
    for (const testcase of list(suite["testcase"])) {
      summary.tests += 1;
      const name = typeof testcase["@_name"] === "string" ? testcase["@_name"] : "(unnamed test)";
      const failure = list(testcase["failure"])[0] ?? (testcase["failure"] === "" ? {} : undefined);
      const error = list(testcase["error"])[0] ?? (testcase["error"] === "" ? {} : undefined);
      if (failure !== undefined) {
        summary.failures += 1;
        summary.failed.push({ suite: suiteName, name, message: text(failure) });
      } else if (error !== undefined) {
        summary.errors += 1;
        summary.failed.push({ suite: suiteName, name, message: text(error) });
      } else if (testcase["skipped"] !== undefined) {
        summary.skipped += 1;
      }
    }
  }
  return summary;
}

function cell(value: string): string {
  return value.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").slice(0, 300);
}

export function renderJUnitSummary(title: string, s: JUnitSummary, maxRows = 50): string {
  const status = s.failures + s.errors === 0 ? "passed" : "failed";
  const lines = [
    `### ${title}: ${status}`,
    "",
    `${s.tests} tests in ${s.suites} suites: ${s.tests - s.failures - s.errors - s.skipped} passed, ${s.failures} failed, ${s.errors} errors, ${s.skipped} skipped.`,
  ];
  if (s.failed.length > 0) {
    lines.push("", "| suite | test | message |", "| --- | --- | --- |");
    for (const f of s.failed.slice(0, maxRows)) lines.push(`| ${cell(f.suite)} | ${cell(f.name)} | ${cell(f.message)} |`);
    if (s.failed.length > maxRows) lines.push("", `…and ${s.failed.length - maxRows} more failed tests.`);
  }
  return `${lines.join("\n")}\n`;
}
