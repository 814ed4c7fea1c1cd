import { describe, expect, it } from "vitest";
import { renderTerminal, useColor } from "../src/reporters/terminal.ts";
import { parseOutputSpecs } from "../src/reporters/index.ts";
import type { CheckReport } from "../src/types.ts";

const report: CheckReport = {
  schema: "baseplate/report@1",
  bundle: { sha256: "abcdef0123456789".repeat(4), rules: 3, opa_version: "1.22.2" },
  generatedFor: "2026-11-24T00:00:00Z",
  stacks: [
    {
      stack: "a-dev",
      file: "cdktf.out/stacks/a-dev/cdk.tf.json",
      source: "synth",
      environment: { name: "dev", tier: "dev", account: null, region: "eu-west-1" },
      resourceCount: 2,
      findings: [
        {
          rule: "S3-002",
          title: "t",
          severity: "high",
          enforcement: "mandatory",
          stack: "a-dev",
          source: "synth",
          address: "aws_s3_bucket_public_access_block.b",
          attribute: "block_public_acls",
          observed: false,
          message: "m1",
          remediation: "r1",
          controls: [],
          construct: "a-dev/b",
          location: "stacks/src/a.ts:3",
          waived: null,
        },
        {
          rule: "LOG-002",
          title: "t",
          severity: "low",
          enforcement: "advisory",
          stack: "a-dev",
          source: "synth",
          address: "aws_cloudwatch_log_group.l",
          attribute: null,
          observed: 30,
          message: "m2",
          remediation: "r2",
          controls: [],
          construct: null,
          location: null,
          waived: { rule: "LOG-002", target: "aws_cloudwatch_log_group.l", reason: "because", ticket: "T-1", approvedBy: "@x", expires: "2026-12-01" },
        },
      ],
      counts: { mandatory: 1, advisory: 0, waived: 1 },
    },
  ],
  waiverProblems: [],
  summary: { verdict: "fail", stacks: 1, resources: 2, mandatory: 1, advisory: 0, waived: 1 },
};

describe("terminal reporter", () => {
  it("uses colour only on a TTY without NO_COLOR", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "" })).toBe(false);
    expect(useColor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  it("renders grouped findings with every field, and a footer", () => {
    expect(renderTerminal(report, { color: false })).toBe(
      [
        "a-dev (synth, cdktf.out/stacks/a-dev/cdk.tf.json, 2 resources, dev, dev, eu-west-1)",
        "  HIGH (1)",
        "    ✖ S3-002 high mandatory aws_s3_bucket_public_access_block.b",
        "        construct: a-dev/b",
        "        at:        stacks/src/a.ts:3",
        "        m1",
        "        fix: r1",
        "  LOW (1)",
        "    ~ LOG-002 low advisory aws_cloudwatch_log_group.l",
        "        m2",
        "        fix: r2",
        "        waived: because (ticket T-1, approved by @x, expires 2026-12-01)",
        "",
        "FAIL 1 mandatory violation, 0 advisory findings, 1 waived; 1 stack, 2 resources",
        "policy bundle sha256:abcdef012345, 3 rules, OPA 1.22.2",
        "",
      ].join("\n"),
    );
  });

  it("colours only when asked", () => {
    expect(renderTerminal(report, { color: true })).toContain("\u001b[31m");
  });
});

describe("--format parsing", () => {
  it("defaults to terminal and splits NAME=FILE", () => {
    expect(parseOutputSpecs([])).toEqual([{ format: "terminal", file: null }]);
    expect(parseOutputSpecs(["json", "sarif=out/a.sarif", "junit=a=b.xml"])).toEqual([
      { format: "json", file: null },
      { format: "sarif", file: "out/a.sarif" },
      { format: "junit", file: "a=b.xml" },
    ]);
  });

  it("rejects an empty file and two formats to one file", () => {
    expect(() => parseOutputSpecs(["json="])).toThrow(/names no file/);
    expect(() => parseOutputSpecs(["json=a", "sarif=a"])).toThrow(/Two formats are written to a/);
  });
});
