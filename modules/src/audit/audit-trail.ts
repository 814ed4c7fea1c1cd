import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail/index.js";
import { Construct } from "constructs";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { KmsKey } from "../kms/key.ts";
import { SecureBucket, type AccessLogTarget } from "../storage/bucket.ts";

/** Props of {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The trail's own name within the stack. @default "audit" */
  readonly name?: string;
  /** Where the log-archive bucket's own server access logs go. Required in prod. @default none (dev and stage only) */
  readonly accessLogs?: AccessLogTarget;
  /** Record S3 object-level and Lambda data events as well as management events. @default true in prod, false otherwise */
  readonly dataEvents?: boolean;
  /** Days CloudTrail logs are kept in the archive bucket (noncurrent versions). @default 90 in dev, 365 in stage, 2555 (7 years) in prod */
  readonly retentionDays?: number;
}

const RETENTION = { dev: 90, stage: 365, prod: 2555 } as const;

/**
 * The account's CloudTrail: multi-region, global service events, log file validation, encrypted
 * with its own KMS key that only CloudTrail (for this trail) may use, delivered to a hardened
 * log-archive bucket whose policy admits CloudTrail for this trail and account only.
 *
 * ```ts
 * new AuditTrail(platformStack, "audit", { accessLogs: { bucket: accessLogs } });
 * ```
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly key: KmsKey;
  readonly archive: SecureBucket;
  /** ARN of the trail, computed (so policies can name it before it exists). */
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const env = stack.environment;
    const path = this.node.path;
    const retention = props.retentionDays ?? RETENTION[env.tier];
    if (!Number.isInteger(retention) || retention < 90) {
      throw new BaselineError(path, `retentionDays ${retention} is too short for audit logs`, "keep CloudTrail logs at least 90 days (leave it unset for the tier default)");
    }
    const trailName = stack.physicalName(this, "generic", props.name ?? "audit", ["trail"]);
    this.trailArn = `arn:aws:cloudtrail:${env.region}:${env.account}:trail/${trailName}`;
    const sourceArn = { StringEquals: { "aws:SourceArn": this.trailArn } };

    this.key = new KmsKey(this, "key", {
      name: `${props.name ?? "audit"}-trail`,
      description: `CloudTrail logs of account ${env.account}`,
      allowServices: [
        {
          servicePrincipal: "cloudtrail.amazonaws.com",
          actions: ["kms:GenerateDataKey", "kms:DescribeKey"],
          conditions: {
            ...sourceArn,
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${env.account}:trail/*` },
          },
        },
      ],
    });

    this.archive = new SecureBucket(this, "archive", {
      name: `${props.name ?? "audit"}-trail`,
      nameAttributes: [env.account],
      encryptionKey: this.key,
      noncurrentVersionExpirationDays: retention,
      ...(props.accessLogs === undefined ? {} : { accessLogs: props.accessLogs }),
    });
    this.archive.addToResourcePolicy({
      sid: "CloudTrailAclCheck",
      principal: { Service: ["cloudtrail.amazonaws.com"] },
      actions: ["s3:GetBucketAcl"],
      resources: [this.archive.bucketArn],
      conditions: sourceArn,
    });
    this.archive.addToResourcePolicy({
      sid: "CloudTrailWrite",
      principal: { Service: ["cloudtrail.amazonaws.com"] },
      actions: ["s3:PutObject"],
      resources: [`${this.archive.bucketArn}/AWSLogs/${env.account}/*`],
      conditions: sourceArn,
    });

    const dataEvents = props.dataEvents ?? env.tier === "prod";
    this.trail = new Cloudtrail(this, "trail", {
      name: trailName,
      s3BucketName: this.archive.bucketName,
      kmsKeyId: this.key.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      ...(dataEvents
        ? {
            eventSelector: [
              {
                readWriteType: "All",
                includeManagementEvents: true,
                dataResource: [
                  { type: "AWS::S3::Object", values: ["arn:aws:s3"] },
                  { type: "AWS::Lambda::Function", values: ["arn:aws:lambda"] },
                ],
              },
            ],
          }
        : {}),
      dependsOn: [this.archive.bucketPolicy],
    });
  }
}
