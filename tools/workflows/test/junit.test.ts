import { describe, expect, it } from "vitest";
import { JUnitError, renderJUnitSummary, summarizeJUnit } from "../src/junit.ts";

const report = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="baseplate check" tests="4" failures="1" errors="0" skipped="1" time="0">
  <testsuite name="payments-api-prod" tests="3" failures="1" errors="0" skipped="1" time="0">
    <testcase classname="payments-api-prod" name="S3-002 bucket encryption" time="0">
      <failure message="aws_s3_bucket.data: server-side encryption is not KMS | fix it" type="mandatory">details</failure>
    </testcase>
    <testcase classname="payments-api-prod" name="TAG-001 required tags" time="0"/>
    <testcase classname="payments-api-prod" name="RDS-003 deletion protection" time="0"><skipped/></testcase>
  </testsuite>
  <testsuite name="network-dev" tests="1" failures="0" errors="0" skipped="0" time="0">
    <testcase classname="network-dev" name="VPC-001 flow logs" time="0"/>
  </testsuite>
</testsuites>`;

describe("JUnit summary", () => {
  it("counts suites, tests, failures and skips and lists the failures", () => {
    const s = summarizeJUnit(report, "check.junit.xml");
    expect(s).toEqual({
      suites: 2,
      tests: 4,
      failures: 1,
      errors: 0,
      skipped: 1,
      failed: [{ suite: "payments-api-prod", name: "S3-002 bucket encryption", message: "aws_s3_bucket.data: server-side encryption is not KMS | fix it" }],
    });
    const md = renderJUnitSummary("baseplate check", s);
    expect(md).toContain("### baseplate check: failed");
    expect(md).toContain("4 tests in 2 suites: 2 passed, 1 failed, 0 errors, 1 skipped.");
    expect(md).toContain("| payments-api-prod | S3-002 bucket encryption | aws_s3_bucket.data: server-side encryption is not KMS \\| fix it |");
  });

  it("reads a single <testsuite> root and a passing report", () => {
    const s = summarizeJUnit('<testsuite name="x"><testcase name="a"/><testcase name="b"/></testsuite>', "one.xml");
    expect(s.tests).toBe(2);
    expect(renderJUnitSummary("t", s)).toContain("### t: passed");
  });

  it("fails closed on malformed XML and on XML that is not JUnit, naming the file", () => {
    expect(() => summarizeJUnit("<testsuites><testsuite>", "broken.xml")).toThrow(JUnitError);
    expect(() => summarizeJUnit("<testsuites><testsuite>", "broken.xml")).toThrow(/^broken\.xml is not well-formed XML/);
    expect(() => summarizeJUnit("<html></html>", "page.xml")).toThrow(/page\.xml has no <testsuites> or <testsuite> element/);
  });
});
