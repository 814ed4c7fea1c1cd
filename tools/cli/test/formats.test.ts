/**
 * Every output format renders the same finished report: the same verdict and the same counts.
 * The reports come from the real pipeline (runCheck on fixtures, the built policy bundle and a
 * waivers file with a matched, an expired and an unused entry), and each format is read back the
 * way its consumer reads it: the terminal's last line, the comment's headline, the JSON summary,
 * SARIF results by level and suppression, JUnit failures and their finding lines.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { runCheck, type CheckRun } from "../src/check.ts";
import { FORMATS, render } from "../src/reporters/index.ts";
import type { CheckReport, FindingCounts, Verdict } from "../src/types.ts";
import { fixture, NOW } from "./helpers.ts";

interface Read extends FindingCounts {
  verdict: Verdict;
}

function number(text: string | undefined): number {
  expect(text).toMatch(/^\d+$/);
  return Number(text);
}

function fromTerminal(text: string): Read {
  const lines = text.trimEnd().split("\n");
  const m = /^(PASS|FAIL) (\d+) mandatory violations?, (\d+) advisory findings?, (\d+) waived; \d+ stacks?, \d+ resources?$/.exec(lines.at(-2) ?? "");
  expect(m, lines.at(-2)).not.toBeNull();
  return { verdict: m?.[1] === "FAIL" ? "fail" : "pass", mandatory: number(m?.[2]), advisory: number(m?.[3]), waived: number(m?.[4]) };
}

function fromMarkdown(text: string): Read {
  const lines = text.split("\n");
  const verdict = /^## (?:✅|❌) baseplate check: (passed|failed)$/.exec(lines[1] ?? "")?.[1];
  const m = /^(\d+) mandatory violations?, (\d+) advisory warnings?, (\d+) waived across /.exec(lines[3] ?? "");
  expect(m, lines[3]).not.toBeNull();
  return { verdict: verdict === "failed" ? "fail" : "pass", mandatory: number(m?.[1]), advisory: number(m?.[2]), waived: number(m?.[3]) };
}

function fromJson(text: string): Read {
  const { summary } = JSON.parse(text) as CheckReport;
  return { verdict: summary.verdict, mandatory: summary.mandatory, advisory: summary.advisory, waived: summary.waived };
}

interface SarifLog {
  runs: { results: { level: string; suppressions?: unknown[] }[]; properties: { summary: Read } }[];
}

function fromSarif(text: string): Read {
  const run = (JSON.parse(text) as SarifLog).runs[0];
  const read: Read = { verdict: "pass", mandatory: 0, advisory: 0, waived: 0 };
  for (const result of run?.results ?? []) {
    if (result.suppressions !== undefined && result.suppressions.length > 0) read.waived++;
    else if (result.level === "error") read.mandatory++;
    else read.advisory++;
  }
  read.verdict = run?.properties.summary.verdict ?? "pass";
  // the counts SARIF carries agree with its own results
  expect({ ...run?.properties.summary, verdict: read.verdict }).toMatchObject(read);
  return read;
}

interface JUnitCase {
  "@_name": string;
  failure?: { "#text": string };
  "system-out"?: string;
}

function fromJUnit(xml: string): Read {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(xml) as {
    testsuites: { "@_failures": string; testsuite?: { "@_name": string; testcase: JUnitCase[] }[] };
  };
  const read: Read = { verdict: number(doc.testsuites["@_failures"]) > 0 ? "fail" : "pass", mandatory: 0, advisory: 0, waived: 0 };
  for (const suite of doc.testsuites.testsuite ?? []) {
    for (const c of suite.testcase) {
      const failing = c.failure === undefined ? [] : c.failure["#text"].split("\n");
      const other = c["system-out"] === undefined ? [] : c["system-out"].split("\n");
      if (suite["@_name"] === "waivers") {
        // WAIVER-001 fails with one line per invalid or expired waiver; WAIVER-002 lists unused ones
        read.mandatory += failing.length;
        read.advisory += other.length;
        continue;
      }
      read.mandatory += failing.filter((l) => l.startsWith("FAIL ")).length;
      read.advisory += other.filter((l) => l.startsWith("ADVISORY ")).length;
      read.waived += other.filter((l) => l.startsWith("WAIVED ")).length;
    }
  }
  return read;
}

const READERS: Record<(typeof FORMATS)[number], (text: string) => Read> = {
  terminal: fromTerminal,
  markdown: fromMarkdown,
  json: fromJson,
  sarif: fromSarif,
  junit: fromJUnit,
};

async function renderAll(run: CheckRun): Promise<Record<string, Read>> {
  const out: Record<string, Read> = {};
  for (const format of FORMATS) {
    out[format] = READERS[format](await render(format, run.report, { color: false, catalog: run.catalog, root: process.cwd() }));
  }
  return out;
}

describe("every output format agrees on one finished report", () => {
  let failing: CheckRun;
  let passing: CheckRun;

  beforeAll(async () => {
    // Which findings the noncompliant stack has, to waive one of them for real.
    const unwaived = await runCheck({ paths: [fixture("synth", "noncompliant", "cdk.tf.json")], cwd: process.cwd(), now: NOW });
    const target = unwaived.report.stacks[0]?.findings.find((f) => f.enforcement === "mandatory");
    if (target === undefined) throw new Error("the noncompliant fixture has no mandatory finding to waive");
    const entry = (extra: Record<string, string>): Record<string, string> => ({
      rule: target.rule,
      target: target.address,
      reason: "Accepted for the agreement test: the resource is replaced next sprint",
      ticket: "SEC-4242",
      requestedBy: "@lena-platform",
      approvedBy: "@asha-senior",
      expires: "2026-12-20",
      ...extra,
    });
    const dir = mkdtempSync(join(tmpdir(), "baseplate-formats-"));
    const waivers = join(dir, "waivers.json");
    writeFileSync(
      waivers,
      JSON.stringify({
        waivers: [
          entry({}),
          entry({ target: "aws_s3_bucket.gone", expires: "2026-11-01" }),
          entry({ target: "aws_s3_bucket.never_there" }),
        ],
      }),
    );
    failing = await runCheck({ paths: [fixture("synth", "noncompliant", "cdk.tf.json"), fixture("synth", "clean", "cdk.tf.json")], cwd: process.cwd(), now: NOW, waivers });
    passing = await runCheck({ paths: [fixture("synth", "clean", "cdk.tf.json")], cwd: process.cwd(), now: NOW });
  });

  it("a failing check with waived findings and waiver problems: one verdict, one set of counts", async () => {
    const { summary } = failing.report;
    // the report exercises every count: unwaived mandatory, advisory, waived, and both kinds of waiver problem
    expect(summary.verdict).toBe("fail");
    expect(summary.waived).toBeGreaterThan(0);
    expect(failing.report.waiverProblems.map((p) => p.enforcement).sort()).toEqual(["advisory", "mandatory"]);
    const expected: Read = { verdict: summary.verdict, mandatory: summary.mandatory, advisory: summary.advisory, waived: summary.waived };
    const read = await renderAll(failing);
    for (const format of FORMATS) expect({ format, ...read[format] }).toEqual({ format, ...expected });
  });

  it("a passing check: every format says pass with the same counts", async () => {
    const { summary } = passing.report;
    expect(summary.verdict).toBe("pass");
    const expected: Read = { verdict: "pass", mandatory: 0, advisory: summary.advisory, waived: 0 };
    const read = await renderAll(passing);
    for (const format of FORMATS) expect({ format, ...read[format] }).toEqual({ format, ...expected });
  });

  it("per-stack counts are the report's own and add up to the summary less the waiver problems", () => {
    const { stacks, summary, waiverProblems } = failing.report;
    const sum = (key: keyof FindingCounts): number => stacks.reduce((n, s) => n + s.counts[key], 0);
    const problems = (e: "mandatory" | "advisory"): number => waiverProblems.filter((p) => p.enforcement === e).length;
    expect(sum("mandatory") + problems("mandatory")).toBe(summary.mandatory);
    expect(sum("advisory") + problems("advisory")).toBe(summary.advisory);
    expect(sum("waived")).toBe(summary.waived);
  });
});
