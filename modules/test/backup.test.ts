import { describe, expect, it } from "vitest";
import { BackupPlan, Database, KmsKey, Vpc } from "../src/index.ts";
import { expectBaselineError, expectMandatoryTags, expectNamesWithinLimits, testTags } from "./construct-helpers.ts";
import { makeStack, only, policy, resources, synth } from "./helpers.ts";

type Rule = { rule_name: string; schedule: string; lifecycle: { delete_after: number }; target_vault_name: string };

function plan(tier: "dev" | "stage" | "prod", props: ConstructorParameters<typeof BackupPlan>[2] = {}) {
  const stack = makeStack({ name: tier, tier }, {}, `payments-api-${tier}`);
  new BackupPlan(stack, "default", props);
  return synth(stack);
}

describe("BackupPlan", () => {
  it.each([
    ["dev", [["daily", 7]]],
    ["stage", [["daily", 35]]],
    [
      "prod",
      [
        ["daily", 35],
        ["monthly", 365],
      ],
    ],
  ] as const)("%s rules and retention come from the tier", (tier, expected) => {
    const s = plan(tier);
    const rules = only(s, "aws_backup_plan")["rule"] as Rule[];
    expect(rules.map((r) => [r.rule_name, r.lifecycle.delete_after])).toEqual(expected);
    const vaultId = Object.keys(s.resource["aws_backup_vault"] ?? {})[0];
    for (const r of rules) expect(r.target_vault_name).toBe(`\${aws_backup_vault.${vaultId}.name}`);
  });

  it("encrypts the vault with a customer-managed key opened to AWS Backup", () => {
    const s = plan("dev");
    const vault = only(s, "aws_backup_vault");
    expect(vault).toMatchObject({ name: "acme-dev-payments-api-default", force_destroy: false });
    expect(vault["kms_key_arn"]).toMatch(/^\$\{aws_kms_key\.default_key_[0-9A-F]+\.arn\}$/);
    const vaultKey = Object.entries(s.resource["aws_kms_key"] ?? {}).find(([id]) => id.startsWith("default_key"))?.[1];
    const key = policy(vaultKey?.["policy"]);
    const use = key.Statement.find((st) => st.Sid === "BackupUse");
    expect(use?.Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(use?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
  });

  it("selects resources tagged Backup = plan name with a boundary-capped AWS Backup role", () => {
    const s = plan("dev");
    const selection = only(s, "aws_backup_selection");
    expect(selection["selection_tag"]).toEqual([{ type: "STRINGEQUALS", key: "Backup", value: "default" }]);
    expect(selection["resources"]).toBeUndefined();
    const role = only(s, "aws_iam_role");
    expect(selection["iam_role_arn"]).toBe(`\${aws_iam_role.${Object.keys(s.resource["aws_iam_role"] ?? {})[0]}.arn}`);
    expect(policy(role["assume_role_policy"]).Statement[0]?.Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(role["permissions_boundary"]).toMatch(/^arn:aws:iam::123456789012:policy\//);
    expect(resources(s, "aws_iam_role_policy_attachment").map((a) => a["policy_arn"]).sort()).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });

  it("locks the vault in prod only", () => {
    expect(resources(plan("dev"), "aws_backup_vault_lock_configuration")).toHaveLength(0);
    expect(resources(plan("stage"), "aws_backup_vault_lock_configuration")).toHaveLength(0);
    const lock = only(plan("prod"), "aws_backup_vault_lock_configuration");
    expect(lock).toMatchObject({ min_retention_days: 35, max_retention_days: 3653 });
    expect(lock["changeable_for_days"]).toBeUndefined();
    expect(only(plan("prod", { vaultLockMode: "compliance" }), "aws_backup_vault_lock_configuration")["changeable_for_days"]).toBe(3);
  });

  it("alarms on failed backup jobs with the backup-job-failed runbook", () => {
    const alarm = only(plan("prod"), "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      namespace: "AWS/Backup",
      metric_name: "NumberOfBackupJobsFailed",
      dimensions: { BackupVaultName: "acme-prod-payments-api-default" },
      threshold: 1,
      tags: { Runbook: "docs/runbooks/backup-job-failed.md" },
    });
    expect(resources(plan("dev", { alarms: false }), "aws_cloudwatch_metric_alarm")).toHaveLength(0);
  });

  it("selects a Database tagged with its name", () => {
    const stack = makeStack();
    const vpc = new Vpc(stack, "network");
    new Database(stack, "ledger", { vpc, backupPlan: "critical", alarms: false });
    new BackupPlan(stack, "critical");
    const s = synth(stack);
    const tag = (only(s, "aws_db_instance")["tags"] as Record<string, string>)["Backup"];
    const selection = only(s, "aws_backup_selection")["selection_tag"] as { value: string }[];
    expect(selection[0]?.value).toBe(tag);
    expect(tag).toBe("critical");
  });

  it("opens a given key to AWS Backup instead of creating one", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "vault-key", { name: "vault" });
    new BackupPlan(stack, "default", { encryptionKey: key });
    const s = synth(stack);
    expect(resources(s, "aws_kms_key")).toHaveLength(2); // the given key and the shared alarms key
    expect(only(s, "aws_backup_vault")["kms_key_arn"]).toMatch(/aws_kms_key\.vault-key_/);
  });

  it("refuses an invalid plan name", () => {
    expectBaselineError(() => new BackupPlan(makeStack(), "Nightly Plan"), "payments-api-dev/Nightly Plan", /plan name 'Nightly Plan' is invalid/, /lowercase letters/);
  });

  it("tags every taggable resource with the mandatory tags; names within limits", () => {
    const s = plan("prod");
    expect(
      expectMandatoryTags(s, testTags("prod")),
    ).toBeGreaterThanOrEqual(5);
    expect(expectNamesWithinLimits(s)).toBeGreaterThanOrEqual(4);
  });
});
