import { App } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { BaselineStack } from "@baseplate/modules";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import dev from "../environments/dev/config.ts";
import { runCheck, synthEstate, tempDir, unexpectedFindings, type CheckReport } from "./helpers.ts";

/**
 * A stack built from raw provider resources, bypassing the constructs: a public-read bucket with
 * no public access block, an IAM policy allowing every action on every resource, and SSH open
 * to the world. The constructs would refuse all three; the gate must catch them.
 */
function synthNonCompliant(): string {
  const outdir = tempDir("noncompliant");
  const app = new App({ outdir, skipValidation: false });
  const stack = new BaselineStack(app, "legacy-dev", {
    environment: dev.context,
    service: "legacy",
    owner: "platform-team",
    costCenter: "CC-1000",
    dataClassification: "internal",
    backend: false,
  });
  const bucket = new S3Bucket(stack, "public", { bucket: "acme-dev-legacy-public" });
  new S3BucketAcl(stack, "public-acl", { bucket: bucket.id, acl: "public-read" });
  new IamPolicy(stack, "admin", {
    name: "acme-dev-legacy-admin",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
  });
  new SecurityGroup(stack, "ssh", {
    name: "acme-dev-legacy-ssh",
    description: "legacy bastion",
    vpcId: "vpc-0123456789abcdef0",
    ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
  });
  app.synth();
  return outdir;
}

describe("the policy gate", () => {
  let result: ReturnType<typeof runCheck>;
  beforeAll(() => {
    result = runCheck([synthNonCompliant()]);
  });

  it("fails a non-compliant stack built from raw provider resources with exit 1", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(result.report?.stacks.map((s) => s.stack)).toEqual(["legacy-dev"]);
  });

  it.each([
    ["S3-001", "aws_s3_bucket.public"],
    ["S3-007", "aws_s3_bucket_acl.public-acl"],
    ["IAM-001", "aws_iam_policy.admin"],
    ["IAM-002", "aws_iam_policy.admin"],
    ["NET-002", "aws_security_group.ssh"],
  ])("reports %s on %s as a mandatory violation", (rule, address) => {
    const findings = result.report!.stacks[0]!.findings;
    expect(findings).toContainEqual(expect.objectContaining({ rule, address, enforcement: "mandatory" }));
  });

  it("does not flag the tags: the baseline stack's default_tags cover raw resources too", () => {
    const rules = new Set(result.report!.stacks[0]!.findings.map((f) => f.rule));
    expect([...rules].filter((r) => r.startsWith("TAG-"))).toEqual([]);
  });

  it("reports nothing on any stack of the estate and exits 0", () => {
    const { dir, stacks } = synthEstate();
    const { code, report, stderr } = runCheck([dir]);
    expect(stderr).toBe("");
    const r = report as CheckReport;
    expect(r.summary.stacks).toBe(stacks.length);
    expect(unexpectedFindings(r)).toEqual([]);
    expect(r.summary.mandatory).toBe(0);
    expect(code).toBe(0);
  });
});
