import { describe, expect, it } from "vitest";
import { AuditTrail, BaselineError, LogBucket } from "../src/index.ts";
import { bySid, expectMandatoryTags, makeStack, only, policy, resources, synth } from "./helpers.ts";

describe("AuditTrail", () => {
  it("records every region with log file validation, encrypted with a key only CloudTrail may use for this trail", () => {
    const stack = makeStack({ name: "prod", tier: "prod" }, { service: "platform" }, "platform-prod");
    const logs = new LogBucket(stack, "access-logs", {});
    const audit = new AuditTrail(stack, "audit", { accessLogs: { bucket: logs } });
    const s = synth(stack);

    const trail = only(s, "aws_cloudtrail");
    expect(trail).toMatchObject({
      name: "acme-prod-platform-audit-trail",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      s3_bucket_name: "acme-prod-platform-audit-trail-123456789012",
    });
    expect(trail.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(trail.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
    // Prod records data events too.
    expect(JSON.stringify(trail.event_selector)).toContain("AWS::S3::Object");
    expect(audit.trailArn).toBe("arn:aws:cloudtrail:eu-west-1:123456789012:trail/acme-prod-platform-audit-trail");

    const key = resources(s, "aws_kms_key").find((k) => String(k.description).startsWith("CloudTrail logs"));
    expect(key?.enable_key_rotation).toBe(true);
    const cloudtrailUse = policy(key?.policy).Statement.find((st) => JSON.stringify(st.Principal).includes("cloudtrail.amazonaws.com"));
    expect(cloudtrailUse?.Action).toEqual(expect.arrayContaining(["kms:GenerateDataKey", "kms:DescribeKey"]));
    expect(JSON.stringify(cloudtrailUse?.Condition)).toContain(audit.trailArn);

    const archivePolicy = resources(s, "aws_s3_bucket_policy")
      .map((p) => bySid(policy(p.policy)))
      .find((p) => p.CloudTrailWrite !== undefined);
    expect(archivePolicy?.CloudTrailWrite?.Action).toBe("s3:PutObject");
    expect(archivePolicy?.CloudTrailWrite?.Resource).toMatch(/\/AWSLogs\/123456789012\/\*$/);
    expect(archivePolicy?.CloudTrailWrite?.Condition).toEqual({ StringEquals: { "aws:SourceArn": audit.trailArn } });
    expect(archivePolicy?.CloudTrailAclCheck?.Action).toBe("s3:GetBucketAcl");
    expect(archivePolicy?.DenyInsecureTransport?.Effect).toBe("Deny");
    expect(resources(s, "aws_s3_bucket_logging")).toHaveLength(1);
    expectMandatoryTags(s);
  });

  it("records management events only in dev", () => {
    const stack = makeStack({}, { service: "platform" }, "platform-dev");
    new AuditTrail(stack, "audit");
    expect(only(synth(stack), "aws_cloudtrail").event_selector).toBeUndefined();
  });

  it("refuses a retention shorter than 90 days, naming the construct and the fix", () => {
    const stack = makeStack({}, { service: "platform" }, "platform-dev");
    expect(() => new AuditTrail(stack, "audit", { retentionDays: 30 })).toThrow(BaselineError);
    expect(() => new AuditTrail(stack, "audit2", { retentionDays: 30 })).toThrow(
      /^platform-dev\/audit2: retentionDays 30 is too short for audit logs\. Fix: keep CloudTrail logs at least 90 days/,
    );
  });

  it("needs access logging for its archive bucket in prod", () => {
    const stack = makeStack({ name: "prod", tier: "prod" }, { service: "platform" }, "platform-prod");
    expect(() => new AuditTrail(stack, "audit")).toThrow(/platform-prod\/audit\/archive: .*access log/i);
  });
});
