import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  BaselineError,
  BaselineStack,
  LogBucket,
  StateBackendBootstrap,
  stateAccessStatements,
  stateBucketArn,
  stateBucketName,
  stateKeyAliasName,
  validateStatement,
} from "../src/index.ts";
import { env, expectMandatoryTags, expectNamesWithinLimits, makeStack, only, policy, resources, stackProps, synth, type Synth } from "./helpers.ts";

function byId(s: Synth, type: string, prefix: string): Record<string, unknown> {
  const entry = Object.entries(s.resource[type] ?? {}).find(([k]) => k.startsWith(prefix));
  if (!entry) throw new Error(`no ${type} ${prefix}`);
  return entry[1];
}

describe("StateBackendBootstrap", () => {
  it("creates the bucket the BaselineStack backend points at, in any stack service", () => {
    const app = Testing.app();
    const platform = new BaselineStack(app, "platform-dev", stackProps({ service: "platform" }));
    new StateBackendBootstrap(platform, "state");
    const other = new BaselineStack(app, "payments-api-dev", { ...stackProps(), backend: undefined });
    const backendBucket = ((synth(other).terraform["backend"] as Record<string, Record<string, unknown>>)["s3"] ?? {})["bucket"];
    const s = synth(platform);
    expect(byId(s, "aws_s3_bucket", "state_bucket")["bucket"]).toBe(backendBucket);
    expect(backendBucket).toBe(stateBucketName(env()));
    expect(backendBucket).toBe("acme-dev-platform-tfstate-123456789012");

    const bootstrapInOtherService = makeStack();
    new StateBackendBootstrap(bootstrapInOtherService, "state");
    expect(byId(synth(bootstrapInOtherService), "aws_s3_bucket", "state_bucket")["bucket"]).toBe(backendBucket);
  });

  it("hardens the state bucket: SSE-KMS with its own aliased key, versioning, public access block, TLS only, never force-destroyed", () => {
    const stack = makeStack();
    new StateBackendBootstrap(stack, "state");
    const s = synth(stack);
    expect(byId(s, "aws_s3_bucket", "state_bucket")["force_destroy"]).toBe(false);
    const keyId = Object.keys(s.resource["aws_kms_key"] ?? {})[0];
    expect(only(s, "aws_kms_alias")["name"]).toBe(stateKeyAliasName(env()));
    expect(stateKeyAliasName(env())).toBe("alias/acme-dev-platform-tfstate");
    expect((byId(s, "aws_s3_bucket_server_side_encryption_configuration", "state_encryption") as { rule: unknown[] }).rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` }, bucket_key_enabled: true },
    ]);
    expect(byId(s, "aws_s3_bucket_versioning", "state_versioning")["versioning_configuration"]).toEqual({ status: "Enabled" });
    const pab = byId(s, "aws_s3_bucket_public_access_block", "state_public");
    for (const k of ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]) expect(pab[k]).toBe(true);
    const doc = policy(byId(s, "aws_s3_bucket_policy", "state_policy")["policy"]);
    expect(doc.Statement.map((x) => [x.Sid, x.Effect])).toEqual([
      ["DenyInsecureTransport", "Deny"],
      ["DenyStateHistoryDeletion", "Deny"],
    ]);
    const rule = (byId(s, "aws_s3_bucket_lifecycle_configuration", "state_lifecycle") as { rule: { noncurrent_version_expiration: unknown }[] }).rule[0];
    expect(rule?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
  });

  it("uses S3 native locking: no DynamoDB table anywhere", () => {
    const stack = makeStack();
    new StateBackendBootstrap(stack, "state");
    const s = synth(stack);
    expect(resources(s, "aws_dynamodb_table")).toHaveLength(0);
    expect(expectMandatoryTags(s)).toBe(17);
    expect(expectNamesWithinLimits(s)).toBe(3);
  });

  it("logs access to a log bucket it creates, or to one passed in", () => {
    const stack = makeStack();
    const boot = new StateBackendBootstrap(stack, "state");
    expect(boot.logBucket).toBeInstanceOf(LogBucket);
    const s = synth(stack);
    const logging = byId(s, "aws_s3_bucket_logging", "state_logging");
    expect(logging["target_bucket"]).toMatch(/^\$\{aws_s3_bucket\.state_access-logs_bucket_.+\.id\}$/);
    expect(logging["target_prefix"]).toBe("acme-dev-platform-tfstate-123456789012/");

    const stack2 = makeStack({ name: "prod", tier: "prod" });
    const boot2 = new StateBackendBootstrap(stack2, "state", { accessLogs: { bucket: "acme-prod-platform-access-logs-123456789012" } });
    expect(boot2.logBucket).toBeUndefined();
    const s2 = synth(stack2);
    expect(only(s2, "aws_s3_bucket_logging")["target_bucket"]).toBe("acme-prod-platform-access-logs-123456789012");
    expect(only(s2, "aws_kms_key")["deletion_window_in_days"]).toBe(30);
  });

  it("rejects too short a history", () => {
    let err: unknown;
    try {
      new StateBackendBootstrap(makeStack(), "state", { noncurrentVersionExpirationDays: 7 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).constructPath).toBe("payments-api-dev/state");
    expect((err as BaselineError).fix).toBe("keep old state versions for 30 to 3650 days");
  });
});

describe("stateAccessStatements", () => {
  it("reads and locks for plan, writes for apply, all scoped and valid grants", () => {
    const e = env();
    const read = stateAccessStatements(e);
    const write = stateAccessStatements(e, { write: true, prefix: "stacks/payments/" });
    expect(read.map((s) => s.actions)).toEqual([["s3:ListBucket"], ["s3:GetObject"], ["s3:DeleteObject", "s3:PutObject"], ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]]);
    expect(read[2]?.resources).toEqual([`${stateBucketArn(e)}/stacks/*.tflock`]);
    expect(write.at(-1)).toEqual({ actions: ["s3:PutObject"], resources: [`${stateBucketArn(e)}/stacks/payments/*`] });
    for (const s of [...read, ...write]) expect(() => validateStatement("p", s)).not.toThrow();
  });
});
