import type { Construct } from "constructs";
import type { EnvironmentContext } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { formatName } from "../baseline/naming.ts";
import { BaselineStack, stateBucketName } from "../baseline/stack.ts";
import type { PolicyStatement } from "../iam/policy.ts";
import { KmsKey } from "../kms/key.ts";
import { baseLifecycle, HardenedBucket, LogBucket, type AccessLogTarget } from "../storage/bucket.ts";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging/index.js";

/** Alias of the KMS key that encrypts the environment's Terraform state. */
export function stateKeyAliasName(env: EnvironmentContext): string {
  return formatName("kms-alias", { org: env.org, environment: env.name, service: "platform", name: "tfstate" });
}

/** ARN of the environment's state bucket. */
export function stateBucketArn(env: EnvironmentContext): string {
  return `arn:aws:s3:::${stateBucketName(env)}`;
}

/** Options of {@link stateAccessStatements}. */
export interface StateAccessOptions {
  /** Also write state (apply); otherwise read state and take the lock only (plan). @default false */
  readonly write?: boolean;
  /** State object prefix the access is limited to. @default "stacks/" */
  readonly prefix?: string;
}

/**
 * Identity-policy statements to use the environment's state backend by name (no reference to the
 * bootstrap stack): list the bucket under the prefix, read state, create and delete `.tflock`
 * lock files (S3 native locking), write state when `write`, and use the state key, found through
 * its alias with `kms:ResourceAliases`.
 */
export function stateAccessStatements(env: EnvironmentContext, options: StateAccessOptions = {}): PolicyStatement[] {
  const bucket = stateBucketArn(env);
  const prefix = options.prefix ?? "stacks/";
  const objects = `${bucket}/${prefix}*`;
  const statements: PolicyStatement[] = [
    { actions: ["s3:ListBucket"], resources: [bucket], conditions: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
    { actions: ["s3:GetObject"], resources: [objects] },
    { actions: ["s3:DeleteObject", "s3:PutObject"], resources: [`${objects}.tflock`] },
    {
      actions: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
      resources: [`arn:aws:kms:${env.region}:${env.account}:key/*`],
      conditions: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [stateKeyAliasName(env)] } },
    },
  ];
  if (options.write) statements.push({ actions: ["s3:PutObject"], resources: [objects] });
  return statements;
}

/** Props of {@link StateBackendBootstrap}. */
export interface StateBackendBootstrapProps {
  /** Where the state bucket's server access logs go. @default a new {@link LogBucket} named `tfstate-access-logs` */
  readonly accessLogs?: AccessLogTarget;
  /** Days old state versions are kept. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The environment's Terraform state backend: the bucket every {@link BaselineStack} uses
 * (`stateBucketName(env)`), hardened like a SecureBucket (versioning, SSE-KMS with its own key,
 * TLS only, public access blocked, access logs), never force-destroyed, with old versions kept
 * and their deletion denied. Locking is S3 native (`use_lockfile`, Terraform 1.10 or later), so
 * there is no DynamoDB table. Deploy it from a stack with `backend: false` first, then migrate
 * that stack's state into the bucket.
 */
export class StateBackendBootstrap extends HardenedBucket {
  /** The key that encrypts state. */
  readonly key: KmsKey;
  /** Access logging of the state bucket. */
  readonly logging: S3BucketLoggingA;
  /** The log bucket, when the bootstrap created it. */
  readonly logBucket: LogBucket | undefined;

  constructor(scope: Construct, id: string, props: StateBackendBootstrapProps = {}) {
    const stack = BaselineStack.of(scope);
    const env = stack.environment;
    const days = props.noncurrentVersionExpirationDays ?? 90;
    if (!Number.isInteger(days) || days < 30 || days > 3650) {
      throw new BaselineError(`${scope.node.path}/${id}`, `noncurrentVersionExpirationDays ${days} is out of range for state`, "keep old state versions for 30 to 3650 days");
    }
    super(scope, id, {
      name: "tfstate",
      nameAttributes: [],
      exactName: stateBucketName(env),
      forceDestroy: false,
      key: (self, bucketName) =>
        new KmsKey(self, "key", { name: "tfstate", aliasName: stateKeyAliasName(env), description: `Encrypts Terraform state in ${bucketName}` }),
      lifecycleRules: [baseLifecycle(days, 7)],
      extraStatements: [],
      logDelivery: false,
    });
    if (!(this.encryptionKey instanceof KmsKey)) throw new Error("the state key was not created");
    this.key = this.encryptionKey;
    this.addToResourcePolicy({
      sid: "DenyStateHistoryDeletion",
      effect: "Deny",
      principal: "*",
      actions: ["s3:DeleteObjectVersion"],
      resources: [this.objectsArn],
    });
    this.logBucket = props.accessLogs === undefined ? new LogBucket(this, "access-logs", { name: "tfstate-access-logs" }) : undefined;
    const target = props.accessLogs?.bucket ?? this.logBucket;
    if (target === undefined) throw new Error("log bucket missing");
    this.logging = new S3BucketLoggingA(this, "logging", {
      bucket: this.bucket.id,
      targetBucket: typeof target === "string" ? target : target.bucket.id,
      targetPrefix: props.accessLogs?.prefix ?? `${this.bucketName}/`,
    });
  }
}
