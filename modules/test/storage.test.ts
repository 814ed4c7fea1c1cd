import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import "./matchers.ts";
import {
  BaselineError,
  KmsKey,
  LogBucket,
  MANDATORY_TAG_KEYS,
  NAME_RULES,
  SecureBucket,
  ServiceRole,
  type Tier,
} from "../src/index.ts";
import { asList, expectMandatoryTags, expectNamesWithinLimits, makeStack, only, policy, resources, synth, type Synth } from "./helpers.ts";

function setup(tier: Tier = "dev") {
  const stack = makeStack({ name: tier, tier });
  const logs = new LogBucket(stack, "logs");
  const bucket = new SecureBucket(stack, "invoices", { name: "invoices", accessLogs: { bucket: logs } });
  const role = new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com" });
  return { stack, logs, bucket, role };
}

/** The resource of `type` whose key starts with `prefix` (construct id). */
function byId(s: Synth, type: string, prefix: string): Record<string, unknown> {
  const entry = Object.entries(s.resource[type] ?? {}).find(([k]) => k.startsWith(prefix));
  if (!entry) throw new Error(`no ${type} ${prefix}`);
  return entry[1];
}

function idOf(s: Synth, type: string, prefix: string): string {
  const key = Object.keys(s.resource[type] ?? {}).find((k) => k.startsWith(prefix));
  if (!key) throw new Error(`no ${type} ${prefix}`);
  return key;
}

describe("SecureBucket", () => {
  it("creates the hardened bucket resources with secure values", () => {
    const { stack } = setup("prod");
    const s = synth(stack);
    const bucketId = idOf(s, "aws_s3_bucket", "invoices_bucket");
    const ref = `\${aws_s3_bucket.${bucketId}.id}`;
    expect(byId(s, "aws_s3_bucket", "invoices_bucket")).toEqual({ bucket: "acme-prod-payments-api-invoices", force_destroy: false });
    expect(byId(s, "aws_s3_bucket_public_access_block", "invoices")).toEqual({
      bucket: ref,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const sse = byId(s, "aws_s3_bucket_server_side_encryption_configuration", "invoices") as { rule: Record<string, unknown>[] };
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${idOf(s, "aws_kms_key", "invoices_key")}.arn}` },
        bucket_key_enabled: true,
      },
    ]);
    expect(byId(s, "aws_s3_bucket_versioning", "invoices")["versioning_configuration"]).toEqual({ status: "Enabled" });
    expect(byId(s, "aws_s3_bucket_ownership_controls", "invoices")["rule"]).toEqual({ object_ownership: "BucketOwnerEnforced" });
    const logging = byId(s, "aws_s3_bucket_logging", "invoices");
    expect(logging).toEqual({
      bucket: ref,
      target_bucket: `\${aws_s3_bucket.${idOf(s, "aws_s3_bucket", "logs_bucket")}.id}`,
      target_prefix: "acme-prod-payments-api-invoices/",
    });
    const lifecycle = byId(s, "aws_s3_bucket_lifecycle_configuration", "invoices") as { rule: Record<string, unknown>[] };
    expect(lifecycle.rule).toEqual([
      {
        id: "baseline",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it("denies every non-TLS request on the bucket and its objects", () => {
    const { stack } = setup();
    const s = synth(stack);
    const doc = policy(byId(s, "aws_s3_bucket_policy", "invoices")["policy"]);
    const arn = `\${aws_s3_bucket.${idOf(s, "aws_s3_bucket", "invoices_bucket")}.arn}`;
    expect(doc.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it.each([
    ["dev", true, 7],
    ["stage", false, 30],
  ] as [Tier, boolean, number][])("in %s: forceDestroy %s and noncurrent versions kept %d days", (tier, forceDestroy, days) => {
    const stack = makeStack({ name: tier, tier });
    new SecureBucket(stack, "b", { name: "b" });
    const s = synth(stack);
    expect(byId(s, "aws_s3_bucket", "b_bucket")["force_destroy"]).toBe(forceDestroy);
    const rule = (only(s, "aws_s3_bucket_lifecycle_configuration") as { rule: { noncurrent_version_expiration: unknown }[] }).rule[0];
    expect(rule?.noncurrent_version_expiration).toEqual([{ noncurrent_days: days }]);
    expect(resources(s, "aws_s3_bucket_logging")).toHaveLength(0);
  });

  it("adds sorted transitions and uses a key passed in instead of creating one", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "shared", { name: "shared" });
    new SecureBucket(stack, "b", {
      name: "b",
      encryptionKey: key,
      transitions: [
        { days: 180, storageClass: "GLACIER_IR" },
        { days: 30, storageClass: "STANDARD_IA" },
      ],
    });
    const s = synth(stack);
    expect(resources(s, "aws_kms_key")).toHaveLength(1);
    const rule = (only(s, "aws_s3_bucket_lifecycle_configuration") as { rule: { transition: unknown }[] }).rule[0];
    expect(rule?.transition).toEqual([
      { days: 30, storage_class: "STANDARD_IA" },
      { days: 180, storage_class: "GLACIER_IR" },
    ]);
  });

  it("rejects a prod bucket without access logging, with the path and the fix", () => {
    const stack = makeStack({ name: "prod", tier: "prod" });
    let err: unknown;
    try {
      new SecureBucket(stack, "invoices", { name: "invoices" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).message).toBe(
      "payments-api-dev/invoices: a prod bucket has no server access logging. Fix: pass accessLogs: { bucket: <LogBucket or the environment's access-log bucket name> }",
    );
  });

  it("rejects forceDestroy outside dev, a bad transition and out-of-range days", () => {
    expect(() => new SecureBucket(makeStack({ name: "stage", tier: "stage" }), "b", { name: "b", forceDestroy: true })).toThrow(
      /payments-api-dev\/b: forceDestroy is true in a stage environment.*Fix: remove forceDestroy/,
    );
    expect(() => new SecureBucket(makeStack(), "b", { name: "b", transitions: [{ days: 10, storageClass: "STANDARD_IA" }] })).toThrow(
      /transition to STANDARD_IA after 10 is out of range/,
    );
    expect(() => new SecureBucket(makeStack(), "b", { name: "b", transitions: [{ days: 40, storageClass: "REDUCED_REDUNDANCY" as never }] })).toThrow(
      /storage class 'REDUCED_REDUNDANCY' is unknown/,
    );
    expect(() => new SecureBucket(makeStack(), "b", { name: "b", noncurrentVersionExpirationDays: 0 })).toThrow(/noncurrentVersionExpirationDays 0/);
  });

  it("logs to an access-log bucket given by name", () => {
    const stack = makeStack();
    new SecureBucket(stack, "b", { name: "b", accessLogs: { bucket: "acme-dev-platform-access-logs-123456789012", prefix: "b/" } });
    const logging = only(synth(stack), "aws_s3_bucket_logging");
    expect(logging["target_bucket"]).toBe("acme-dev-platform-access-logs-123456789012");
    expect(logging["target_prefix"]).toBe("b/");
  });

  it("hashes an over-long name to exactly the S3 limit", () => {
    const stack = makeStack();
    new SecureBucket(stack, "b", { name: "customer-invoice-archive-for-regulatory-retention-and-audit" });
    const name = only(synth(stack), "aws_s3_bucket")["bucket"] as string;
    expect(name).toHaveLength(NAME_RULES["s3-bucket"].maxLength);
    expect(name).toMatch(/^acme-dev-payments-api-customer-invoice-archive-for-re.*-[0-9a-f]{8}$/);
  });
});

describe("SecureBucket with the cdktf Testing matchers", () => {
  it("matches resources by class and partial properties", () => {
    const stack = makeStack();
    new SecureBucket(stack, "b", { name: "b" });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-dev-payments-api-b", force_destroy: true });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
    expect(() => expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "another-name" })).toThrow();
  });
});

describe("LogBucket", () => {
  it("uses SSE-S3, allows log delivery from this account only, and expires logs by tier", () => {
    const stack = makeStack({ name: "prod", tier: "prod" });
    new LogBucket(stack, "logs");
    const s = synth(stack);
    expect(only(s, "aws_s3_bucket")["bucket"]).toBe("acme-prod-payments-api-access-logs-123456789012");
    expect((only(s, "aws_s3_bucket_server_side_encryption_configuration") as { rule: unknown[] }).rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    const doc = policy(only(s, "aws_s3_bucket_policy")["policy"]);
    const delivery = doc.Statement.find((x) => x.Sid === "AllowServerAccessLogDelivery");
    expect(delivery).toEqual({
      Sid: "AllowServerAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: expect.stringMatching(/^\$\{aws_s3_bucket\..+\.arn\}\/\*$/) as unknown,
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    const rule = (only(s, "aws_s3_bucket_lifecycle_configuration") as { rule: { expiration: unknown }[] }).rule[0];
    expect(rule?.expiration).toEqual([{ days: 365 }]);
    expect(resources(s, "aws_kms_key")).toHaveLength(0);
  });
});

describe("bucket grants", () => {
  function grantSynth(kind: "grantRead" | "grantWrite" | "grantReadWrite" | "grantPut") {
    const { stack, bucket, role } = setup();
    const grant = bucket[kind](role);
    const s = synth(stack);
    const arn = `\${aws_s3_bucket.${idOf(s, "aws_s3_bucket", "invoices_bucket")}.arn}`;
    const keyArn = `\${aws_kms_key.${idOf(s, "aws_kms_key", "invoices_key")}.arn}`;
    const identity = policy(only(s, "aws_iam_role_policy")["policy"]).Statement.map((x) => ({ actions: asList(x.Action), resources: asList(x.Resource) }));
    const bucketPolicy = policy(byId(s, "aws_s3_bucket_policy", "invoices")["policy"]).Statement.filter((x) => x.Effect === "Allow");
    const keyPolicy = policy(byId(s, "aws_kms_key", "invoices_key")["policy"]).Statement.filter((x) => x.Sid !== "AccountRootAdministers");
    return { grant, arn, keyArn, identity, bucketPolicy, keyPolicy };
  }

  it("grantRead: list and location on the bucket, get on the objects, decrypt on the key", () => {
    const { arn, keyArn, identity, bucketPolicy, keyPolicy, grant } = grantSynth("grantRead");
    expect(identity).toEqual([
      { actions: ["s3:GetBucketLocation", "s3:ListBucket"], resources: [arn] },
      { actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [`${arn}/*`] },
      { actions: ["kms:Decrypt"], resources: [keyArn] },
    ]);
    expect(bucketPolicy.map((x) => asList(x.Resource))).toEqual([[arn], [`${arn}/*`]]);
    expect(bucketPolicy[0]?.Principal).toEqual({ AWS: expect.stringMatching(/^\$\{aws_iam_role\.task_role_.+\.arn\}$/) as unknown });
    expect(keyPolicy.map((x) => asList(x.Action))).toEqual([["kms:Decrypt"]]);
    expect(grant.principalStatements).toHaveLength(3);
  });

  it("grantWrite: put, delete and abort on the objects, encrypt and decrypt on the key", () => {
    const { arn, keyArn, identity } = grantSynth("grantWrite");
    expect(identity).toEqual([
      { actions: ["s3:ListBucketMultipartUploads"], resources: [arn] },
      { actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], resources: [`${arn}/*`] },
      {
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
        resources: [keyArn],
      },
    ]);
  });

  it("grantReadWrite: the union, merged per resource", () => {
    const { arn, identity } = grantSynth("grantReadWrite");
    expect(identity.slice(0, 2)).toEqual([
      { actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], resources: [arn] },
      { actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], resources: [`${arn}/*`] },
    ]);
    expect(identity).toHaveLength(3);
  });

  it("grantPut: put only, no read, list or delete", () => {
    const { arn, keyArn, identity } = grantSynth("grantPut");
    expect(identity).toEqual([
      { actions: ["s3:AbortMultipartUpload", "s3:PutObject"], resources: [`${arn}/*`] },
      { actions: ["kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"], resources: [keyArn] },
    ]);
  });

  it("never grants a wildcard action or resource", () => {
    for (const kind of ["grantRead", "grantWrite", "grantReadWrite", "grantPut"] as const) {
      const { identity } = grantSynth(kind);
      for (const st of identity) {
        expect(st.actions.some((a) => a.includes("*"))).toBe(false);
        expect(st.resources).not.toContain("*");
      }
    }
  });
});

describe("tags on storage resources", () => {
  it("every resource uses the default provider, whose default_tags hold every mandatory tag", () => {
    const { stack, bucket, role } = setup("prod");
    bucket.grantReadWrite(role);
    const s = synth(stack);
    const tags = (s.provider["aws"]?.[0]?.["default_tags"] as { tags: Record<string, string> }[])[0]?.tags ?? {};
    for (const key of MANDATORY_TAG_KEYS) expect(tags[key]).toBeTruthy();
    let count = 0;
    for (const [type, byName] of Object.entries(s.resource)) {
      for (const [id, r] of Object.entries(byName)) {
        count++;
        expect(r["provider"], `${type}.${id}`).toBeUndefined();
        if (r["tags"] !== undefined) for (const key of MANDATORY_TAG_KEYS) expect((r["tags"] as Record<string, string>)[key]).toBe(tags[key]);
      }
    }
    expect(count).toBeGreaterThan(15);
    expect(expectMandatoryTags(s)).toBe(count);
    expect(expectNamesWithinLimits(s)).toBe(4);
  });
});
