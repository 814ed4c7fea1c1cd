import type { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { BaselineError } from "../baseline/errors.ts";
import type { Tier } from "../baseline/environment.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { Grant, type IGrantable } from "../iam/grant.ts";
import type { PolicyStatement } from "../iam/policy.ts";
import { ResourceWithPolicy } from "../iam/resource-policy.ts";
import { KmsKey, type IKmsKey } from "../kms/key.ts";

/** Days a noncurrent object version is kept, by tier. */
export const NONCURRENT_VERSION_DAYS: Readonly<Record<Tier, number>> = { dev: 7, stage: 30, prod: 90 };
/** Days server access logs are kept in a {@link LogBucket}, by tier. */
export const ACCESS_LOG_RETENTION_DAYS: Readonly<Record<Tier, number>> = { dev: 30, stage: 90, prod: 365 };

/** Storage classes a lifecycle transition may move objects to. */
export const TRANSITION_STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

/** A lifecycle transition of current object versions. */
export interface BucketTransition {
  /** Days after creation. At least 30 for the infrequent-access classes. */
  readonly days: number;
  /** Target storage class. */
  readonly storageClass: TransitionStorageClass;
}

/** Actions of {@link SecureBucket.grantRead}, on the bucket ARN and on its objects. */
export const BUCKET_READ_ACTIONS = { bucket: ["s3:GetBucketLocation", "s3:ListBucket"], objects: ["s3:GetObject", "s3:GetObjectVersion"] } as const;
/** Actions of {@link SecureBucket.grantWrite}. */
export const BUCKET_WRITE_ACTIONS = { bucket: ["s3:ListBucketMultipartUploads"], objects: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"] } as const;
/** Actions of {@link SecureBucket.grantPut}. */
export const BUCKET_PUT_ACTIONS = { objects: ["s3:AbortMultipartUpload", "s3:PutObject"] } as const;

/** Options of {@link HardenedBucket} (for constructs that build a bucket type on it). */
export interface HardenedBucketOptions {
  /** The bucket's own name for the naming convention. */
  readonly name: string;
  /** Extra name qualifiers for the naming convention. */
  readonly nameAttributes: readonly string[];
  /** An exact bucket name computed elsewhere (the state bucket); replaces the naming convention. */
  readonly exactName?: string;
  /** Empty the bucket on destroy (already checked against the tier). */
  readonly forceDestroy: boolean;
  /**
   * KMS key for SSE-KMS (or a factory creating it inside the bucket construct), or null for
   * SSE-S3 (server access log targets accept only SSE-S3).
   */
  readonly key: IKmsKey | ((bucket: Construct, bucketName: string) => IKmsKey) | null;
  /** Lifecycle rules (at least the baseline rule). */
  readonly lifecycleRules: readonly S3BucketLifecycleConfigurationRule[];
  /** Bucket policy statements besides the TLS-only deny. */
  readonly extraStatements: readonly PolicyStatement[];
  /** Allow S3 server access log delivery from this account. */
  readonly logDelivery: boolean;
}

/**
 * The hardened S3 bucket every Baseplate bucket is built on: public access blocked (all four),
 * default encryption, versioning, BucketOwnerEnforced, a bucket policy that denies non-TLS
 * requests and collects grant statements, and a lifecycle configuration.
 */
export abstract class HardenedBucket extends ResourceWithPolicy {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  /** Bucket ARN (a reference). */
  readonly bucketArn: string;
  /** ARN of every object in the bucket, `<arn>/*`. */
  readonly objectsArn: string;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly versioning: S3BucketVersioningA;
  readonly ownership: S3BucketOwnershipControls;
  readonly bucketPolicy: S3BucketPolicy;
  readonly lifecycle: S3BucketLifecycleConfiguration;
  /** The key objects are encrypted with, or null for SSE-S3. */
  readonly encryptionKey: IKmsKey | null;

  protected constructor(scope: Construct, id: string, options: HardenedBucketOptions) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    this.bucketName =
      options.exactName === undefined
        ? stack.physicalName(this, "s3-bucket", options.name, options.nameAttributes)
        : stack.claimName(this, "s3-bucket", options.exactName);
    const key = typeof options.key === "function" ? options.key(this, this.bucketName) : options.key;
    this.encryptionKey = key;
    this.bucket = new S3Bucket(this, "bucket", { bucket: this.bucketName, forceDestroy: options.forceDestroy });
    this.bucketArn = this.bucket.arn;
    this.objectsArn = `${this.bucket.arn}/*`;
    const bucket = this.bucket.id;
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownership = new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        key === null
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.keyArn }, bucketKeyEnabled: true },
      ],
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    this.addToResourcePolicy({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principal: "*",
      actions: ["s3:*"],
      resources: [this.bucketArn, this.objectsArn],
      conditions: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const s of options.extraStatements) this.addToResourcePolicy(s);
    if (options.logDelivery) {
      this.addToResourcePolicy({
        sid: "AllowServerAccessLogDelivery",
        actions: ["s3:PutObject"],
        resources: [this.objectsArn],
        principal: { Service: ["logging.s3.amazonaws.com"] },
        conditions: { StringEquals: { "aws:SourceAccount": stack.environment.account } },
      });
    }
    this.bucketPolicy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: this.resourcePolicyDocument(),
      // The public access block must exist first, or a policy naming a service could be rejected as public.
      dependsOn: [this.publicAccessBlock],
    });
    this.lifecycle = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [...options.lifecycleRules],
      dependsOn: [this.versioning],
    });
  }

  /** Allows `grantee` to list the bucket and read objects (and decrypt them). */
  grantRead(grantee: IGrantable): Grant {
    const grants = [
      this.grantOn(grantee, BUCKET_READ_ACTIONS.bucket, this.bucketArn),
      this.grantOn(grantee, BUCKET_READ_ACTIONS.objects, this.objectsArn),
    ];
    if (this.encryptionKey) grants.push(this.encryptionKey.grantDecrypt(grantee));
    return Grant.combine(...grants);
  }

  /** Allows `grantee` to write and delete objects (and encrypt them; multipart uploads also need decrypt). */
  grantWrite(grantee: IGrantable): Grant {
    const grants = [
      this.grantOn(grantee, BUCKET_WRITE_ACTIONS.bucket, this.bucketArn),
      this.grantOn(grantee, BUCKET_WRITE_ACTIONS.objects, this.objectsArn),
    ];
    if (this.encryptionKey) grants.push(this.encryptionKey.grantEncryptDecrypt(grantee));
    return Grant.combine(...grants);
  }

  /** Allows `grantee` to read, write and delete objects. */
  grantReadWrite(grantee: IGrantable): Grant {
    return Grant.combine(this.grantRead(grantee), this.grantWrite(grantee));
  }

  /** Allows `grantee` only to put objects (no read, list or delete). */
  grantPut(grantee: IGrantable): Grant {
    const grants = [this.grantOn(grantee, BUCKET_PUT_ACTIONS.objects, this.objectsArn)];
    if (this.encryptionKey) grants.push(this.encryptionKey.grantEncrypt(grantee));
    return Grant.combine(...grants);
  }

  private grantOn(grantee: IGrantable, actions: readonly string[], arn: string): Grant {
    return Grant.addToPrincipalAndResource({ grantee, actions, resourceArns: [arn], resource: this });
  }
}

/** The baseline lifecycle rule: noncurrent version expiry and aborting incomplete multipart uploads. */
export function baseLifecycle(noncurrentDays: number, abortDays: number): S3BucketLifecycleConfigurationRule {
  return {
    id: "baseline",
    status: "Enabled",
    filter: [{ prefix: "" }],
    noncurrentVersionExpiration: [{ noncurrentDays }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
  };
}

function checkDays(path: string, prop: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BaselineError(path, `${prop} ${value} is out of range`, `use a whole number of days from ${min} to ${max}`);
  }
}

function checkForceDestroy(path: string, tier: Tier, forceDestroy: boolean | undefined): boolean {
  if (forceDestroy === true && tier !== "dev") {
    throw new BaselineError(path, `forceDestroy is true in a ${tier} environment, so a destroy would delete every object`, "remove forceDestroy; it is allowed only in dev");
  }
  return forceDestroy ?? tier === "dev";
}

/** Props of {@link LogBucket}. */
export interface LogBucketProps {
  /** The bucket's own name within the service. @default "access-logs" */
  readonly name?: string;
  /** Days access logs are kept. @default 30 in dev, 90 in stage, 365 in prod */
  readonly retentionDays?: number;
  /** Empty the bucket on destroy. Allowed only in dev. @default true in dev, false otherwise */
  readonly forceDestroy?: boolean;
}

/**
 * A bucket that receives S3 server access logs from the stack's account: hardened like
 * {@link SecureBucket}, but encrypted with SSE-S3 because S3 server access logging cannot deliver
 * to SSE-KMS buckets; delivery is allowed to `logging.s3.amazonaws.com` for this account only.
 * Logs expire after the tier's retention.
 */
export class LogBucket extends HardenedBucket {
  constructor(scope: Construct, id: string, props: LogBucketProps = {}) {
    const stack = BaselineStack.of(scope);
    const env = stack.environment;
    const path = `${scope.node.path}/${id}`;
    const retention = props.retentionDays ?? ACCESS_LOG_RETENTION_DAYS[env.tier];
    checkDays(path, "retentionDays", retention, 1, 3650);
    const forceDestroy = checkForceDestroy(path, env.tier, props.forceDestroy);
    super(scope, id, {
      name: props.name ?? "access-logs",
      nameAttributes: [env.account],
      forceDestroy,
      key: null,
      lifecycleRules: [{ ...baseLifecycle(Math.min(NONCURRENT_VERSION_DAYS[env.tier], retention), 7), expiration: [{ days: retention }] }],
      extraStatements: [],
      logDelivery: true,
    });
  }
}

/** Where a bucket sends its server access logs. */
export interface AccessLogTarget {
  /** The log bucket: a {@link LogBucket} or the name of the environment's access-log bucket. */
  readonly bucket: LogBucket | string;
  /** Key prefix for this bucket's logs. @default "<bucket name>/" */
  readonly prefix?: string;
}

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps {
  /** The bucket's own name within the service, e.g. `invoices`; the physical name comes from the naming convention. */
  readonly name: string;
  /** Extra name qualifiers, e.g. the account id for global uniqueness. @default [] */
  readonly nameAttributes?: readonly string[];
  /** KMS key for default encryption (SSE-KMS with an S3 bucket key). @default a new {@link KmsKey} named after the bucket */
  readonly encryptionKey?: IKmsKey;
  /** Server access logging target. Required in prod. @default no access logging (dev and stage only) */
  readonly accessLogs?: AccessLogTarget;
  /** Days noncurrent object versions are kept. @default 7 in dev, 30 in stage, 90 in prod */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days before incomplete multipart uploads are aborted. @default 7 */
  readonly abortIncompleteMultipartUploadDays?: number;
  /** Transitions of current versions to cheaper storage classes. @default none */
  readonly transitions?: readonly BucketTransition[];
  /** Empty the bucket on destroy. Allowed only in dev. @default true in dev, false otherwise */
  readonly forceDestroy?: boolean;
}

/**
 * A private, encrypted, versioned S3 bucket with access logging, a TLS-only bucket policy and a
 * lifecycle; read, write and put grants produce statements on exactly the bucket and its objects
 * (and the matching KMS permissions on its key).
 *
 * ```ts
 * const invoices = new SecureBucket(this, "invoices", { name: "invoices", accessLogs: { bucket: logs } });
 * invoices.grantRead(taskRole);
 * ```
 */
export class SecureBucket extends HardenedBucket {
  /** The logging configuration, when access logging is on. */
  readonly logging: S3BucketLoggingA | undefined;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const stack = BaselineStack.of(scope);
    const env = stack.environment;
    const path = `${scope.node.path}/${id}`;
    if (env.tier === "prod" && props.accessLogs === undefined) {
      throw new BaselineError(
        path,
        "a prod bucket has no server access logging",
        "pass accessLogs: { bucket: <LogBucket or the environment's access-log bucket name> }",
      );
    }
    const noncurrent = props.noncurrentVersionExpirationDays ?? NONCURRENT_VERSION_DAYS[env.tier];
    checkDays(path, "noncurrentVersionExpirationDays", noncurrent, 1, 3650);
    const abort = props.abortIncompleteMultipartUploadDays ?? 7;
    checkDays(path, "abortIncompleteMultipartUploadDays", abort, 1, 365);
    for (const t of props.transitions ?? []) {
      if (!(TRANSITION_STORAGE_CLASSES as readonly string[]).includes(t.storageClass)) {
        throw new BaselineError(path, `transition storage class '${t.storageClass}' is unknown`, `use one of ${TRANSITION_STORAGE_CLASSES.join(", ")}`);
      }
      const min = t.storageClass === "STANDARD_IA" || t.storageClass === "ONEZONE_IA" ? 30 : 0;
      checkDays(path, `transition to ${t.storageClass} after`, t.days, min, 3650);
    }
    const forceDestroy = checkForceDestroy(path, env.tier, props.forceDestroy);
    const transitions = [...(props.transitions ?? [])].sort((a, b) => a.days - b.days).map((t) => ({ days: t.days, storageClass: t.storageClass }));
    const rule: S3BucketLifecycleConfigurationRule = { ...baseLifecycle(noncurrent, abort), ...(transitions.length > 0 ? { transition: transitions } : {}) };
    super(scope, id, {
      name: props.name,
      nameAttributes: props.nameAttributes ?? [],
      forceDestroy,
      key: props.encryptionKey ?? ((self, bucketName) => new KmsKey(self, "key", { name: props.name, description: `Encrypts objects of bucket ${bucketName}` })),
      lifecycleRules: [rule],
      extraStatements: [],
      logDelivery: false,
    });
    if (props.accessLogs !== undefined) {
      const target = props.accessLogs.bucket;
      this.logging = new S3BucketLoggingA(this, "logging", {
        bucket: this.bucket.id,
        targetBucket: typeof target === "string" ? target : target.bucket.id,
        targetPrefix: props.accessLogs.prefix ?? `${this.bucketName}/`,
      });
    } else {
      this.logging = undefined;
    }
  }
}
