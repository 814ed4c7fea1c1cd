import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { escapeXml, renderJUnit } from "../src/reporters/junit.ts";
import { catalog, checkReport, finding, sampleReport, stackResult } from "./fixtures/reporting/catalog.ts";

interface Case {
  "@_classname": string;
  "@_name": string;
  failure?: { "#text": string; "@_message": string; "@_type": string };
  skipped?: { "@_message": string };
  "system-out"?: string;
}
interface Suite {
  "@_name": string;
  "@_tests": string;
  "@_failures": string;
  "@_skipped": string;
  testcase: Case[];
  properties?: { property: { "@_name": string; "@_value": string }[] };
}
interface Doc {
  testsuites: { "@_tests": string; "@_failures": string; "@_skipped": string; "@_errors": string; testsuite: Suite[] };
}

function parse(xml: string): Doc {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
  });
  return parser.parse(xml) as Doc;
}

const caseNamed = (suite: Suite, prefix: string): Case => {
  const c = suite.testcase.find((x) => x["@_name"].startsWith(prefix));
  if (!c) throw new Error(`no testcase ${prefix} in ${suite["@_name"]}`);
  return c;
};

describe("JUnit XML", () => {
  const doc = parse(renderJUnit(sampleReport(), catalog));
  const suites = doc.testsuites.testsuite;
  const prod = suites.find((s) => s["@_name"] === "payments-prod")!;
  const dev = suites.find((s) => s["@_name"] === "payments-dev")!;

  it("has a suite per stack and a testcase per rule × stack", () => {
    expect(suites.map((s) => s["@_name"])).toEqual(["payments-dev", "payments-prod"]);
    for (const s of suites) {
      expect(s.testcase).toHaveLength(catalog.rules.length);
      expect(s["@_tests"]).toBe(String(catalog.rules.length));
      expect(s.testcase.every((c) => c["@_classname"] === s["@_name"])).toBe(true);
    }
    expect(caseNamed(prod, "S3-001")["@_name"]).toBe("S3-001 S3 bucket versioning is enabled");
    expect(doc.testsuites["@_tests"]).toBe(String(2 * catalog.rules.length));
  });

  it("fails the rules with unwaived mandatory findings, with their messages", () => {
    expect(prod["@_failures"]).toBe("2");
    expect(dev["@_failures"]).toBe("0");
    expect(doc.testsuites["@_failures"]).toBe("2");
    const s3 = caseNamed(prod, "S3-001").failure!;
    expect(s3["@_message"]).toBe("1 mandatory violation of S3-001 in payments-prod");
    expect(s3["@_type"]).toBe("S3-001");
    expect(s3["#text"]).toBe(
      "FAIL aws_s3_bucket.invoices_1A2B3C (stacks/src/payments.ts:42): aws_s3_bucket.invoices_1A2B3C violates the rule. Fix: Enable versioning with an aws_s3_bucket_versioning resource whose status is Enabled.",
    );
    expect(caseNamed(prod, "S3-002").failure?.["#text"]).toContain("FAIL aws_s3_bucket.exports_9F8E7D (payments-prod/data/exports/bucket)");
  });

  it("lists advisory and waived findings in system-out without failing", () => {
    const net = caseNamed(prod, "NET-001");
    expect(net.failure).toBeUndefined();
    expect(net["system-out"]).toContain("WAIVED aws_security_group.api_44AA");
    expect(net["system-out"]).toContain("ticket SEC-4211; approved by @acme/platform-seniors; expires 2027-01-31");
    const tag = caseNamed(dev, "TAG-002");
    expect(tag.failure).toBeUndefined();
    expect(tag["system-out"]).toMatch(/^ADVISORY aws_sqs_queue\.events_12/);
  });

  it("skips plan-only rules on synthesized stacks, with the reason", () => {
    expect(prod["@_skipped"]).toBe("4");
    expect(doc.testsuites["@_skipped"]).toBe("8");
    expect(caseNamed(dev, "CHG-001").skipped?.["@_message"]).toBe(
      "CHG-001 applies to plan input only; payments-dev was checked from synth.",
    );
    const planReport = checkReport([stackResult("payments-prod", [], { source: "plan" })]);
    const plan = parse(renderJUnit(planReport, catalog)).testsuites.testsuite[0]!;
    expect(plan["@_skipped"]).toBe("0");
  });

  it("records the stack's source and tier as properties", () => {
    const props = Object.fromEntries(prod.properties!.property.map((p) => [p["@_name"], p["@_value"]]));
    expect(props).toMatchObject({ source: "synth", tier: "prod", resources: "40", file: "cdktf.out/stacks/payments-prod/cdk.tf.json" });
  });

  it("adds a waivers suite when the waivers file has problems", () => {
    const report = checkReport(
      [stackResult("payments-dev", [])],
      [
        { waiver: null, problem: "governance/waivers.json waivers[0] (S3-001 on x) expired on 2026-01-01.", enforcement: "mandatory" },
        { waiver: null, problem: "governance/waivers.json waivers[1] (S3-002 on y) matched no finding.", enforcement: "advisory" },
      ],
    );
    const w = parse(renderJUnit(report, catalog)).testsuites.testsuite.find((s) => s["@_name"] === "waivers")!;
    expect(w["@_failures"]).toBe("1");
    expect(caseNamed(w, "WAIVER-001").failure?.["#text"]).toContain("expired on 2026-01-01");
    expect(caseNamed(w, "WAIVER-002")["system-out"]).toContain("matched no finding");
  });

  it("escapes hostile values and drops characters XML forbids", () => {
    const evil = 'aws_s3_bucket.x"/><injected a="1" & ]]></failure>\u0001\u0000';
    const report = checkReport([
      stackResult('st"ack<&>', [finding("S3-001", 'st"ack<&>', evil, { message: "msg <b>&amp; 'quoted'\u000b" })]),
    ]);
    const xml = renderJUnit(report, catalog);
    expect(xml).not.toContain("<injected");
    const suite = parse(xml).testsuites.testsuite[0]!;
    expect(suite["@_name"]).toBe('st"ack<&>');
    expect(xml).toContain('<testsuite name="st&quot;ack&lt;&amp;&gt;"');
    const text = caseNamed(suite, "S3-001").failure!["#text"];
    // Control characters in values are shown as escapes (safeText), so the line stays one line.
    expect(text).toContain('FAIL aws_s3_bucket.x"/><injected a="1" & ]]></failure>\\u0001\\u0000: msg <b>&amp; \'quoted\'\\u000b Fix:');
    expect(escapeXml("a\u0000b\ud800c")).toBe("abc");
  });
});
