import type { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { nameProblem } from "../baseline/naming.ts";
import { BaselineStack } from "../baseline/stack.ts";
import type { Tier } from "../baseline/environment.ts";
import { Grant, type IGrantable } from "../iam/grant.ts";
import type { PolicyConditions, PolicyStatement } from "../iam/policy.ts";
import { ResourceWithPolicy } from "../iam/resource-policy.ts";

/** Key administration actions the account root (and through it, IAM policies) may use. No data-plane actions. */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/** Actions of {@link KmsKey.grantDecrypt}. */
export const KEY_DECRYPT_ACTIONS: readonly string[] = ["kms:Decrypt"];
/** Actions of {@link KmsKey.grantEncrypt}. */
export const KEY_ENCRYPT_ACTIONS: readonly string[] = [
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
];

/** Default deletion window by tier, in days. */
export const KEY_DELETION_WINDOW_DAYS: Readonly<Record<Tier, number>> = { dev: 7, stage: 14, prod: 30 };

/** AWS services a key can be opened to with {@link KmsKey.allowService}, each with its own conditions. */
export type KeyServicePreset = "logs" | "backup" | "s3" | "cloudwatch" | "events" | "sns";

/** A custom service principal allowed to use the key. */
export interface KeyServiceUse {
  /** Service principal, e.g. `delivery.logs.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** Exact KMS actions the service needs. */
  readonly actions: readonly string[];
  /** Conditions that tie the use to this account or resource; at least one is required. */
  readonly conditions: PolicyConditions;
}

/** A KMS key Baseplate constructs can encrypt with and grant on. */
export interface IKmsKey {
  /** ARN of the key (a reference). */
  readonly keyArn: string;
  /** Allows `grantee` to decrypt with the key. */
  grantDecrypt(grantee: IGrantable): Grant;
  /** Allows `grantee` to encrypt (and generate data keys) with the key. */
  grantEncrypt(grantee: IGrantable): Grant;
  /** Allows `grantee` to encrypt and decrypt with the key. */
  grantEncryptDecrypt(grantee: IGrantable): Grant;
  /** Allows an AWS service to use the key, with conditions. */
  allowService(use: KeyServicePreset | KeyServiceUse): void;
}

/** Props of {@link KmsKey}. */
export interface KmsKeyProps {
  /** The key's own name within the service, e.g. `invoices`; the alias comes from the naming convention. */
  readonly name: string;
  /** What the key protects. @default "<name> key of <stack>" */
  readonly description?: string;
  /** Days before a scheduled deletion happens, 7-30. @default 7 in dev, 14 in stage, 30 in prod */
  readonly deletionWindowInDays?: number;
  /** Days between automatic rotations, 90-2560 (rotation is always on). @default 365 */
  readonly rotationPeriodInDays?: number;
  /** Full alias name, `alias/...`, for keys whose alias other stacks compute (the state key). @default `alias/<org>-<env>-<service>-<name>` */
  readonly aliasName?: string;
  /** AWS services allowed to use the key from the start. @default none */
  readonly allowServices?: readonly (KeyServicePreset | KeyServiceUse)[];
}

/**
 * A customer-managed KMS key: rotation on, deletion window by tier, an alias from the naming
 * convention, and a key policy that gives the account root administrative actions only. Data
 * use is granted to named principals (`key.grantDecrypt(role)`) or to AWS services with
 * conditions (`key.allowService("logs")`); there is never a `*` principal without conditions.
 */
export class KmsKey extends ResourceWithPolicy implements IKmsKey {
  readonly key: KmsKeyResource;
  readonly alias: KmsAlias;
  readonly keyArn: string;
  /** Key id (a reference). */
  readonly keyId: string;
  /** Full alias name, `alias/...`. */
  readonly aliasName: string;
  private readonly services = new Set<string>();
  private readonly account: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const path = this.node.path;
    this.account = stack.environment.account;
    this.region = stack.environment.region;
    const window = props.deletionWindowInDays ?? KEY_DELETION_WINDOW_DAYS[stack.environment.tier];
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      throw new BaselineError(path, `deletionWindowInDays ${window} is out of range`, "use a whole number of days from 7 to 30");
    }
    if (stack.environment.tier === "prod" && window < KEY_DELETION_WINDOW_DAYS.prod) {
      throw new BaselineError(path, `deletionWindowInDays ${window} is too short for prod`, "leave deletionWindowInDays unset (30 days) for prod keys");
    }
    const rotation = props.rotationPeriodInDays ?? 365;
    if (!Number.isInteger(rotation) || rotation < 90 || rotation > 2560) {
      throw new BaselineError(path, `rotationPeriodInDays ${rotation} is out of range`, "use a whole number of days from 90 to 2560");
    }
    if (props.aliasName !== undefined) {
      const problem = nameProblem("kms-alias", props.aliasName);
      if (problem !== null) throw new BaselineError(path, problem, "leave aliasName unset to use the naming convention");
      this.aliasName = props.aliasName;
    } else {
      this.aliasName = stack.physicalName(this, "kms-alias", props.name);
    }

    this.addToResourcePolicy({
      sid: "AccountRootAdministers",
      actions: KEY_ADMIN_ACTIONS,
      resources: ["*"],
      principal: { AWS: [`arn:aws:iam::${this.account}:root`] },
    });
    this.key = new KmsKeyResource(this, "key", {
      description: props.description ?? `${props.name} key of ${stack.stackName}`,
      enableKeyRotation: true,
      rotationPeriodInDays: rotation,
      deletionWindowInDays: window,
      bypassPolicyLockoutSafetyCheck: false,
      policy: this.resourcePolicyDocument(),
    });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.alias = new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: this.key.keyId });
    for (const use of props.allowServices ?? []) this.allowService(use);
  }

  grantDecrypt(grantee: IGrantable): Grant {
    return this.grant(grantee, KEY_DECRYPT_ACTIONS);
  }

  grantEncrypt(grantee: IGrantable): Grant {
    return this.grant(grantee, KEY_ENCRYPT_ACTIONS);
  }

  grantEncryptDecrypt(grantee: IGrantable): Grant {
    return this.grant(grantee, [...KEY_ENCRYPT_ACTIONS, ...KEY_DECRYPT_ACTIONS]);
  }

  /** Grants exact KMS `actions` on this key to `grantee`, in its identity policy and the key policy. */
  grant(grantee: IGrantable, actions: readonly string[]): Grant {
    const bad = actions.find((a) => !a.startsWith("kms:"));
    if (bad !== undefined) {
      throw new BaselineError(this.node.path, `'${bad}' is not a KMS action`, "grant only 'kms:' actions on a key");
    }
    return Grant.addToPrincipalAndResource({
      grantee,
      actions,
      resourceArns: [this.keyArn],
      resource: this,
      resourceSelfArns: ["*"],
    });
  }

  /**
   * Allows an AWS service to use the key, tied to this account (and, for CloudWatch Logs, to
   * log groups of this account and region). Presets: `logs`, `backup`, `s3`, `cloudwatch`,
   * `events`, `sns`; or a custom service principal with actions and conditions.
   */
  allowService(use: KeyServicePreset | KeyServiceUse): void {
    const statements = typeof use === "string" ? this.preset(use) : [this.custom(use)];
    const key = typeof use === "string" ? use : JSON.stringify(use);
    if (this.services.has(key)) return;
    this.services.add(key);
    for (const s of statements) this.addToResourcePolicy(s);
  }

  private custom(use: KeyServiceUse): PolicyStatement {
    if (Object.keys(use.conditions).length === 0) {
      throw new BaselineError(
        this.node.path,
        `the key is opened to ${use.servicePrincipal} without conditions`,
        "add conditions such as { StringEquals: { 'aws:SourceAccount': '<account>' } }",
      );
    }
    return { actions: use.actions, resources: ["*"], principal: { Service: [use.servicePrincipal] }, conditions: use.conditions };
  }

  private preset(name: KeyServicePreset): PolicyStatement[] {
    const account = { StringEquals: { "aws:SourceAccount": this.account } };
    const use = [...KEY_ENCRYPT_ACTIONS, ...KEY_DECRYPT_ACTIONS, "kms:DescribeKey"];
    switch (name) {
      case "logs":
        return [
          {
            sid: "CloudWatchLogsUse",
            actions: use,
            resources: ["*"],
            principal: { Service: [`logs.${this.region}.amazonaws.com`] },
            conditions: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${this.region}:${this.account}:log-group:*` } },
          },
        ];
      case "backup":
        return [
          { sid: "BackupUse", actions: use, resources: ["*"], principal: { Service: ["backup.amazonaws.com"] }, conditions: account },
          {
            sid: "BackupGrants",
            actions: ["kms:CreateGrant"],
            resources: ["*"],
            principal: { Service: ["backup.amazonaws.com"] },
            conditions: { ...account, Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
        ];
      case "s3":
        return [
          { sid: "S3Use", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: ["*"], principal: { Service: ["s3.amazonaws.com"] }, conditions: account },
        ];
      case "cloudwatch":
        return [
          {
            sid: "CloudWatchAlarmsUse",
            actions: ["kms:Decrypt", "kms:GenerateDataKey"],
            resources: ["*"],
            principal: { Service: ["cloudwatch.amazonaws.com"] },
            conditions: account,
          },
        ];
      case "events":
        return [
          { sid: "EventBridgeUse", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: ["*"], principal: { Service: ["events.amazonaws.com"] }, conditions: account },
        ];
      case "sns":
        return [
          { sid: "SnsUse", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: ["*"], principal: { Service: ["sns.amazonaws.com"] }, conditions: account },
        ];
    }
  }
}
