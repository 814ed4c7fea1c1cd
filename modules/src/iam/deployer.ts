import type { EnvironmentContext } from "../baseline/environment.ts";
import type { PolicyStatement } from "./policy.ts";

/**
 * The write permissions of the CI apply role, scoped to the environment: every statement names
 * the environment's account and region (or, for S3 and IAM whose ARNs have neither, the
 * `<org>-<env>-` name prefix). Actions are verb patterns (`ec2:Create*`), never `*` or
 * `service:*`; reads come from the AWS managed ReadOnlyAccess policy. IAM and the state backend
 * are granted separately by `CiRoles`. Services outside this table need extra statements.
 */
export interface DeployerService {
  /** IAM service prefix, e.g. `ec2`. */
  readonly service: string;
  /** Write actions or verb patterns. */
  readonly actions: readonly string[];
  /** Resource ARNs, from the environment. */
  readonly resources: (e: EnvironmentContext, regions: readonly string[]) => readonly string[];
}

const inRegions =
  (service: string, resource: string) =>
  (e: EnvironmentContext, regions: readonly string[]): string[] =>
    regions.map((r) => `arn:aws:${service}:${r}:${e.account}:${resource}`);

/** What the apply role may change, service by service. */
export const DEPLOYER_SERVICES: readonly DeployerService[] = [
  {
    service: "s3",
    actions: [
      "s3:CreateBucket",
      "s3:DeleteBucket",
      "s3:DeleteBucketOwnershipControls",
      "s3:DeleteBucketPolicy",
      "s3:DeleteObject",
      "s3:DeleteObjectVersion",
      "s3:PutBucket*",
      "s3:PutEncryptionConfiguration",
      "s3:PutLifecycleConfiguration",
      "s3:PutReplicationConfiguration",
    ],
    resources: (e) => [`arn:aws:s3:::${e.org}-${e.name}-*`],
  },
  {
    service: "kms",
    actions: [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:CreateGrant",
      "kms:DeleteAlias",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:RetireGrant",
      "kms:RevokeGrant",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ],
    resources: (e, regions) => [...inRegions("kms", "key/*")(e, regions), ...inRegions("kms", `alias/${e.org}-${e.name}-*`)(e, regions)],
  },
  {
    service: "logs",
    actions: ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:Delete*", "logs:DisassociateKmsKey", "logs:Put*", "logs:TagResource", "logs:UntagResource"],
    resources: inRegions("logs", "log-group:*"),
  },
  {
    service: "ec2",
    actions: [
      "ec2:Allocate*",
      "ec2:Associate*",
      "ec2:Attach*",
      "ec2:Authorize*",
      "ec2:Create*",
      "ec2:Delete*",
      "ec2:Detach*",
      "ec2:Disassociate*",
      "ec2:Modify*",
      "ec2:Release*",
      "ec2:Replace*",
      "ec2:Revoke*",
      "ec2:UpdateSecurityGroupRuleDescriptions*",
    ],
    resources: inRegions("ec2", "*"),
  },
  {
    service: "elasticloadbalancing",
    actions: [
      "elasticloadbalancing:Add*",
      "elasticloadbalancing:Create*",
      "elasticloadbalancing:Delete*",
      "elasticloadbalancing:Deregister*",
      "elasticloadbalancing:Modify*",
      "elasticloadbalancing:Register*",
      "elasticloadbalancing:Remove*",
      "elasticloadbalancing:Set*",
    ],
    resources: inRegions("elasticloadbalancing", "*"),
  },
  {
    service: "ecs",
    actions: ["ecs:Create*", "ecs:Delete*", "ecs:Put*", "ecs:TagResource", "ecs:UntagResource", "ecs:Update*"],
    resources: inRegions("ecs", "*"),
  },
  {
    service: "application-autoscaling",
    actions: [
      "application-autoscaling:DeleteScalingPolicy",
      "application-autoscaling:DeregisterScalableTarget",
      "application-autoscaling:PutScalingPolicy",
      "application-autoscaling:RegisterScalableTarget",
      "application-autoscaling:TagResource",
      "application-autoscaling:UntagResource",
    ],
    resources: inRegions("application-autoscaling", "scalable-target/*"),
  },
  {
    service: "autoscaling",
    actions: ["autoscaling:Attach*", "autoscaling:Create*", "autoscaling:Delete*", "autoscaling:Detach*", "autoscaling:Put*", "autoscaling:Update*"],
    resources: inRegions("autoscaling", "*"),
  },
  {
    service: "rds",
    actions: ["rds:Add*", "rds:Create*", "rds:Delete*", "rds:Modify*", "rds:Remove*"],
    resources: inRegions("rds", "*"),
  },
  {
    service: "secretsmanager",
    actions: [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteResourcePolicy",
      "secretsmanager:DeleteSecret",
      "secretsmanager:PutResourcePolicy",
      "secretsmanager:RotateSecret",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
    ],
    resources: inRegions("secretsmanager", "secret:*"),
  },
  {
    service: "backup",
    actions: ["backup:Create*", "backup:Delete*", "backup:Put*", "backup:TagResource", "backup:UntagResource", "backup:Update*"],
    resources: inRegions("backup", "*"),
  },
  {
    service: "sns",
    actions: ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource"],
    resources: inRegions("sns", "*"),
  },
  {
    service: "cloudwatch",
    actions: ["cloudwatch:DeleteAlarms", "cloudwatch:DeleteDashboards", "cloudwatch:PutCompositeAlarm", "cloudwatch:PutDashboard", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
    resources: (e, regions) => [...inRegions("cloudwatch", "alarm:*")(e, regions), `arn:aws:cloudwatch::${e.account}:dashboard/*`],
  },
  {
    service: "acm",
    actions: ["acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:RemoveTagsFromCertificate", "acm:UpdateCertificateOptions"],
    resources: inRegions("acm", "certificate/*"),
  },
  {
    service: "route53",
    actions: ["route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource"],
    resources: () => ["arn:aws:route53:::hostedzone/*"],
  },
  {
    service: "ssm",
    actions: ["ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:PutParameter", "ssm:RemoveTagsFromResource"],
    resources: inRegions("ssm", "parameter/*"),
  },
  {
    service: "ecr",
    actions: ["ecr:Create*", "ecr:Delete*", "ecr:Put*", "ecr:Set*", "ecr:TagResource", "ecr:UntagResource"],
    resources: inRegions("ecr", "repository/*"),
  },
];

/** Creations AWS cannot scope to a resource, on `Resource: "*"` (all in UNSCOPABLE_ACTIONS). */
export const DEPLOYER_UNSCOPABLE_ACTIONS: readonly string[] = [
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ecs:DeregisterTaskDefinition",
  "ecs:RegisterTaskDefinition",
  "kms:CreateKey",
  "logs:DeleteResourcePolicy",
  "logs:PutResourcePolicy",
];

/** The apply role's write statements for `env` (its region, plus us-east-1 for global endpoints). */
export function deployerStatements(env: EnvironmentContext): PolicyStatement[] {
  const regions = [...new Set([env.region, "us-east-1"])].sort();
  return [
    ...DEPLOYER_SERVICES.map((s) => ({ actions: s.actions, resources: s.resources(env, regions) })),
    { actions: DEPLOYER_UNSCOPABLE_ACTIONS, resources: ["*"] },
  ];
}
