import { Construct } from "constructs";
import { BackupPlan as AwsBackupPlan } from "@cdktf/provider-aws/lib/backup-plan/index.js";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection/index.js";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault/index.js";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import type { Tier } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { ServiceRole } from "../iam/service-role.ts";
import { KmsKey, type IKmsKey } from "../kms/key.ts";
import { Alarm } from "../observability/alarm.ts";
import type { IAlarmTopic } from "../observability/alarm-topic.ts";

/** Tag key a resource carries to be selected by a plan; the value is the plan's name. */
export const BACKUP_TAG_KEY = "Backup";

/** One rule of a backup plan. */
export interface BackupRuleSpec {
  /** Rule name, letters, digits and hyphens. */
  readonly name: string;
  /** Schedule, a CloudWatch Events cron expression in UTC. */
  readonly schedule: string;
  /** Days a recovery point is kept. */
  readonly deleteAfterDays: number;
}

/** Backup rules by tier: dev keeps dailies 7 days, stage 35, prod 35 days of dailies and 365 days of monthlies. */
export const BACKUP_RULES: Readonly<Record<Tier, readonly BackupRuleSpec[]>> = {
  dev: [{ name: "daily", schedule: "cron(0 3 * * ? *)", deleteAfterDays: 7 }],
  stage: [{ name: "daily", schedule: "cron(0 3 * * ? *)", deleteAfterDays: 35 }],
  prod: [
    { name: "daily", schedule: "cron(0 3 * * ? *)", deleteAfterDays: 35 },
    { name: "monthly", schedule: "cron(0 4 1 * ? *)", deleteAfterDays: 365 },
  ],
};

/** AWS managed policies the backup role carries (AWS Backup needs service-specific actions across resource types). */
export const BACKUP_MANAGED_POLICIES: readonly string[] = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
];

/** Props of {@link BackupPlan}. */
export interface BackupPlanProps {
  /**
   * Plan name: resources tagged `Backup = <name>` are backed up by this plan; also part of the
   * vault's and plan's physical names. @default the construct id
   */
  readonly name?: string;
  /** Key that encrypts the vault; it is opened to AWS Backup. @default a new key for this vault */
  readonly encryptionKey?: IKmsKey;
  /**
   * Vault lock mode in prod: `governance` (privileged users can remove the lock) or `compliance`
   * (immutable after a 3-day grace period). Below prod there is no lock.
   * @default "governance"
   */
  readonly vaultLockMode?: "governance" | "compliance";
  /** Create the failed-backup-job alarm (runbook `backup-job-failed`). @default true */
  readonly alarms?: boolean;
  /** Topic the alarm notifies. @default the stack's shared alarm topic */
  readonly alarmTopic?: IAlarmTopic;
}

const PLAN_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/**
 * An AWS Backup vault encrypted with a customer-managed key, a plan whose rules and retention come
 * from the tier, a selection of every resource tagged `Backup = <plan name>`, the role AWS Backup
 * uses, a vault lock in prod and an alarm on failed backup jobs.
 */
export class BackupPlan extends Construct {
  /** The vault. */
  readonly vault: BackupVault;
  /** The plan. */
  readonly plan: AwsBackupPlan;
  /** The selection. */
  readonly selection: BackupSelection;
  /** The role AWS Backup assumes. */
  readonly role: ServiceRole;
  /** The vault lock (prod only). */
  readonly vaultLock: BackupVaultLockConfiguration | undefined;
  /** The plan name resources select it with: tag `Backup` = this value. */
  readonly planName: string;
  /** Rules in effect. */
  readonly rules: readonly BackupRuleSpec[];
  /** The vault key. */
  readonly encryptionKey: IKmsKey;
  /** The failed-job alarm, when created. */
  readonly failedJobAlarm: Alarm | undefined;

  constructor(scope: Construct, id: string, props: BackupPlanProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const tier = stack.environment.tier;
    this.planName = props.name ?? id;
    if (!PLAN_NAME.test(this.planName)) {
      throw new BaselineError(this.node.path, `plan name '${this.planName}' is invalid`, "use 1-31 lowercase letters, digits and hyphens starting with a letter, e.g. 'default'");
    }
    this.rules = BACKUP_RULES[tier];

    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
      props.encryptionKey.allowService("backup");
    } else {
      this.encryptionKey = new KmsKey(this, "key", { name: `${this.planName}-backup`, description: `Backup vault ${this.planName} of ${stack.stackName}`, allowServices: ["backup"] });
    }

    const vaultName = stack.physicalName(this, "backup-vault", this.planName);
    this.vault = new BackupVault(this, "vault", { name: vaultName, kmsKeyArn: this.encryptionKey.keyArn, forceDestroy: false });

    this.plan = new AwsBackupPlan(this, "plan", {
      name: stack.physicalName(this, "backup-plan", this.planName),
      rule: this.rules.map((r) => ({
        ruleName: r.name,
        targetVaultName: this.vault.name,
        schedule: r.schedule,
        startWindow: 60,
        completionWindow: 360,
        lifecycle: { deleteAfter: r.deleteAfterDays },
        recoveryPointTags: { [BACKUP_TAG_KEY]: this.planName, BackupRule: r.name },
      })),
    });

    this.role = new ServiceRole(this, "role", {
      name: `${this.planName}-backup`,
      servicePrincipal: "backup.amazonaws.com",
      description: `AWS Backup role of plan ${this.planName}`,
    });
    BACKUP_MANAGED_POLICIES.forEach((arn, i) => new IamRolePolicyAttachment(this, `role-policy-${i}`, { role: this.role.role.name, policyArn: arn }));

    this.selection = new BackupSelection(this, "selection", {
      name: `${this.planName}-tagged`,
      planId: this.plan.id,
      iamRoleArn: this.role.roleArn,
      selectionTag: [{ type: "STRINGEQUALS", key: BACKUP_TAG_KEY, value: this.planName }],
    });

    if (tier === "prod") {
      const longest = Math.max(...this.rules.map((r) => r.deleteAfterDays));
      const shortest = Math.min(...this.rules.map((r) => r.deleteAfterDays));
      this.vaultLock = new BackupVaultLockConfiguration(this, "vault-lock", {
        backupVaultName: this.vault.name,
        minRetentionDays: shortest,
        maxRetentionDays: Math.max(longest, 3653),
        ...((props.vaultLockMode ?? "governance") === "compliance" ? { changeableForDays: 3 } : {}),
      });
    } else {
      this.vaultLock = undefined;
    }

    this.failedJobAlarm =
      (props.alarms ?? true)
        ? new Alarm(this, "failed-job-alarm", {
            name: `${this.planName}-backup-job-failed`,
            runbook: "backup-job-failed",
            namespace: "AWS/Backup",
            metricName: "NumberOfBackupJobsFailed",
            dimensions: { BackupVaultName: vaultName },
            statistic: "Sum",
            period: 86400,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
            description: `A backup job into vault ${vaultName} failed.`,
            ...(props.alarmTopic ? { topic: props.alarmTopic } : {}),
          })
        : undefined;
  }
}
