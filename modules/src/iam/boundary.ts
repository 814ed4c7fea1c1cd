import { Construct } from "constructs";
import type { IConstruct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import type { EnvironmentContext } from "../baseline/environment.ts";
import { formatName } from "../baseline/naming.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { policyDocument, type PolicyStatement } from "./policy.ts";

/**
 * Services a role under the permissions boundary may call at all. The boundary is a ceiling, not
 * a grant: a role still needs an identity policy, built from exact grants, for every action.
 */
export const BOUNDARY_SERVICES: readonly string[] = [
  "acm",
  "application-autoscaling",
  "autoscaling",
  "backup",
  "cloudfront",
  "cloudtrail",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ecr",
  "ecs",
  "elasticfilesystem",
  "elasticloadbalancing",
  "events",
  "iam",
  "kms",
  "lambda",
  "logs",
  "rds",
  "rds-db",
  "route53",
  "s3",
  "secretsmanager",
  "servicediscovery",
  "sns",
  "sqs",
  "ssm",
  "ssmmessages",
  "states",
  "sts",
  "tag",
  "wafv2",
  "xray",
];

/** Actions served from us-east-1 or globally; they are exempt from the region restriction. */
const GLOBAL_SERVICE_ACTIONS = ["cloudfront:*", "health:*", "iam:*", "route53:*", "sts:*", "support:*", "tag:*"];

/** IAM actions that change roles, policies or instance profiles; denied outside the environment's own names. */
export const IAM_MUTATING_ACTIONS: readonly string[] = [
  "iam:AddRoleToInstanceProfile",
  "iam:AttachRolePolicy",
  "iam:CreateInstanceProfile",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:CreateRole",
  "iam:DeleteInstanceProfile",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:DeleteRole",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PassRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:RemoveRoleFromInstanceProfile",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
];

/** Name of the environment's permissions boundary policy, `<org>-<env>-platform-boundary`. */
export function permissionsBoundaryName(env: EnvironmentContext): string {
  return formatName("iam-policy", { org: env.org, environment: env.name, service: "platform", name: "boundary" });
}

/** ARN of the environment's permissions boundary policy (by name, usable from any stack of the environment). */
export function permissionsBoundaryArn(env: EnvironmentContext): string {
  return `arn:aws:iam::${env.account}:policy/${permissionsBoundaryName(env)}`;
}

/** The statements of the environment's permissions boundary. */
export function boundaryStatements(env: EnvironmentContext): PolicyStatement[] {
  const arn = permissionsBoundaryArn(env);
  const iam = `arn:aws:iam::${env.account}`;
  const prefix = `${env.org}-${env.name}-`;
  const regions = [...new Set([env.region, "us-east-1"])].sort();
  return [
    { sid: "AllowBaselineServices", actions: BOUNDARY_SERVICES.map((s) => `${s}:*`), resources: ["*"] },
    {
      sid: "DenyOtherRegions",
      effect: "Deny",
      notActions: GLOBAL_SERVICE_ACTIONS,
      resources: ["*"],
      conditions: { StringNotEquals: { "aws:RequestedRegion": regions } },
    },
    {
      sid: "DenyUsersAndKeys",
      effect: "Deny",
      actions: ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateUser", "iam:UpdateLoginProfile"],
      resources: ["*"],
    },
    {
      sid: "DenyRolesWithoutBoundary",
      effect: "Deny",
      actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      resources: ["*"],
      conditions: { StringNotEquals: { "iam:PermissionsBoundary": arn } },
    },
    {
      sid: "DenyBoundaryRemoval",
      effect: "Deny",
      actions: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
      resources: ["*"],
    },
    {
      sid: "DenyBoundaryEdits",
      effect: "Deny",
      actions: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
      resources: [arn],
    },
    {
      sid: "DenyIamOutsideEnvironment",
      effect: "Deny",
      actions: IAM_MUTATING_ACTIONS,
      notResources: [`${iam}:instance-profile/${prefix}*`, `${iam}:policy/${prefix}*`, `${iam}:role/${prefix}*`],
    },
  ];
}

/**
 * The environment's permissions boundary: one managed policy, `<org>-<env>-platform-boundary`,
 * created by the environment's platform stack and named by ARN from every other stack. It caps
 * every role Baseplate creates: only {@link BOUNDARY_SERVICES}, only in the environment's region
 * (and us-east-1 for global endpoints), no users or access keys, no role without this boundary,
 * no removing or editing it, and IAM changes only to the environment's own roles and policies.
 */
export class PermissionsBoundary extends Construct {
  /** The boundary in the stack containing `scope`, created there on first call. */
  static of(scope: IConstruct): PermissionsBoundary {
    const stack = BaselineStack.of(scope);
    const existing = stack.node.tryFindChild(BOUNDARY_ID);
    if (existing instanceof PermissionsBoundary) return existing;
    return new PermissionsBoundary(stack, BOUNDARY_ID);
  }

  /**
   * The boundary ARN for a role in `scope`: a reference to the boundary when this stack creates
   * it (so Terraform creates it first), else the environment's boundary by name.
   */
  static arnFor(scope: IConstruct): string {
    const stack = BaselineStack.of(scope);
    const existing = stack.node.tryFindChild(BOUNDARY_ID);
    return existing instanceof PermissionsBoundary ? existing.arn : permissionsBoundaryArn(stack.environment);
  }

  /** The boundary policy's ARN (a reference). */
  readonly arn: string;
  /** The boundary policy's name. */
  readonly policyName: string;
  readonly policy: IamPolicy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    this.policyName = stack.claimName(this, "iam-policy", permissionsBoundaryName(stack.environment));
    this.policy = new IamPolicy(this, "policy", {
      name: this.policyName,
      description: `Permissions boundary of every role in ${stack.environment.name}: a ceiling, not a grant.`,
      policy: policyDocument(boundaryStatements(stack.environment)),
    });
    this.arn = this.policy.arn;
  }
}

const BOUNDARY_ID = "PermissionsBoundary";
