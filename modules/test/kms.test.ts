import { describe, expect, it } from "vitest";
import { BaselineError, KEY_ADMIN_ACTIONS, KmsKey, ServiceRole, type Tier } from "../src/index.ts";
import { asList, bySid, expectMandatoryTags, expectNamesWithinLimits, makeStack, only, policy, synth } from "./helpers.ts";

function keyPolicy(s: ReturnType<typeof synth>) {
  return policy(only(s, "aws_kms_key")["policy"]);
}

describe("KmsKey", () => {
  it.each([
    ["dev", 7],
    ["stage", 14],
    ["prod", 30],
  ] as [Tier, number][])("in %s: rotation on, %d-day deletion window, alias from the naming convention", (tier, days) => {
    const stack = makeStack({ name: tier, tier });
    new KmsKey(stack, "key", { name: "invoices" });
    const s = synth(stack);
    const key = only(s, "aws_kms_key");
    expect(key["enable_key_rotation"]).toBe(true);
    expect(key["rotation_period_in_days"]).toBe(365);
    expect(key["deletion_window_in_days"]).toBe(days);
    expect(key["bypass_policy_lockout_safety_check"]).toBe(false);
    const alias = only(s, "aws_kms_alias");
    expect(alias["name"]).toBe(`alias/acme-${tier}-payments-api-invoices`);
    expect(alias["target_key_id"]).toMatch(/^\$\{aws_kms_key\..+\.key_id\}$/);
    expect(expectMandatoryTags(s)).toBe(2);
    expect(expectNamesWithinLimits(s)).toBe(1);
  });

  it("gives the account root administrative actions only, and no '*' principal", () => {
    const stack = makeStack();
    new KmsKey(stack, "key", { name: "invoices" });
    const doc = keyPolicy(synth(stack));
    expect(doc.Statement).toEqual([
      { Sid: "AccountRootAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: [...KEY_ADMIN_ACTIONS].sort(), Resource: "*" },
    ]);
    for (const a of ["kms:Decrypt", "kms:Encrypt", "kms:*", "kms:GenerateDataKey"]) expect(KEY_ADMIN_ACTIONS).not.toContain(a);
  });

  it("grantDecrypt names the role in the key policy and scopes the role's statement to the key ARN", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "key", { name: "invoices" });
    const role = new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com" });
    const grant = key.grantDecrypt(role);
    expect(grant.principalStatements).toHaveLength(1);
    expect(grant.resourceStatements).toHaveLength(1);
    const s = synth(stack);
    const doc = keyPolicy(s);
    const named = doc.Statement[1];
    expect(named).toEqual({
      Effect: "Allow",
      Principal: { AWS: expect.stringMatching(/^\$\{aws_iam_role\.task_role_.+\.arn\}$/) as unknown },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    const identity = policy(only(s, "aws_iam_role_policy")["policy"]);
    expect(identity.Statement).toEqual([{ Effect: "Allow", Action: "kms:Decrypt", Resource: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/) as unknown }]);
  });

  it("grantEncryptDecrypt grants exactly the data-key actions, no wildcards", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "key", { name: "invoices" });
    const role = new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com" });
    key.grantEncryptDecrypt(role);
    const identity = policy(only(synth(stack), "aws_iam_role_policy")["policy"]);
    expect(asList(identity.Statement[0]?.Action)).toEqual([
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
    ]);
  });

  it("opens the key to CloudWatch Logs of this region and account only, once", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "key", { name: "logs", allowServices: ["logs"] });
    key.allowService("logs");
    const doc = keyPolicy(synth(stack));
    expect(doc.Statement).toHaveLength(2);
    const logs = doc.Statement[1];
    expect(logs?.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs?.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } });
  });

  it("opens the key to backup and s3 with aws:SourceAccount, and CreateGrant only for AWS resources", () => {
    const stack = makeStack();
    new KmsKey(stack, "key", { name: "vault", allowServices: ["backup", "s3"] });
    const doc = keyPolicy(synth(stack));
    const sids = bySid(doc);
    expect(sids["BackupUse"]?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    expect(sids["BackupGrants"]?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" }, Bool: { "kms:GrantIsForAWSResource": "true" } });
    expect(sids["S3Use"]?.Principal).toEqual({ Service: "s3.amazonaws.com" });
    for (const s of doc.Statement) {
      if (s.Sid !== "AccountRootAdministers") expect(s.Condition).toBeDefined();
    }
  });

  it("accepts a custom service with conditions and rejects one without", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "key", { name: "x" });
    key.allowService({ servicePrincipal: "delivery.logs.amazonaws.com", actions: ["kms:GenerateDataKey"], conditions: { StringEquals: { "aws:SourceAccount": "123456789012" } } });
    expect(() => key.allowService({ servicePrincipal: "sns.amazonaws.com", actions: ["kms:Decrypt"], conditions: {} })).toThrow(
      "payments-api-dev/key: the key is opened to sns.amazonaws.com without conditions. Fix: add conditions such as { StringEquals: { 'aws:SourceAccount': '<account>' } }",
    );
    expect(() => key.allowService({ servicePrincipal: "sns.amazonaws.com", actions: ["kms:*"], conditions: { StringEquals: { "aws:SourceAccount": "1" } } })).toThrow(
      /allows every action/,
    );
  });

  it("rejects a non-KMS action, an out-of-range window and a short window in prod", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "key", { name: "x" });
    const role = new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com" });
    expect(() => key.grant(role, ["s3:GetObject"])).toThrow(/'s3:GetObject' is not a KMS action/);
    expect(() => new KmsKey(makeStack(), "k", { name: "k", deletionWindowInDays: 3 })).toThrow(/deletionWindowInDays 3 is out of range. Fix: use a whole number of days from 7 to 30/);
    let err: unknown;
    try {
      new KmsKey(makeStack({ name: "prod", tier: "prod" }), "k", { name: "k", deletionWindowInDays: 7 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).constructPath).toBe("payments-api-dev/k");
    expect((err as BaselineError).fix).toMatch(/leave deletionWindowInDays unset/);
  });
});
