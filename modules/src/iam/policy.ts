import { BaselineError } from "../baseline/errors.ts";

/**
 * IAM policy statements as plain data, their validation (least privilege, no wildcards) and their
 * rendering to policy JSON. Every statement Baseplate adds to an identity or resource policy goes
 * through {@link validateStatement}.
 */

/** Condition block: operator -> condition key -> value(s), e.g. `{ StringEquals: { "aws:SourceAccount": "123456789012" } }`. */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** A principal element of a resource policy statement. */
export interface PolicyPrincipal {
  /** IAM ARNs (roles, account roots). */
  readonly AWS?: readonly string[];
  /** Service principals, e.g. `logs.eu-west-1.amazonaws.com`. */
  readonly Service?: readonly string[];
  /** Web identity providers (OIDC provider ARNs). */
  readonly Federated?: readonly string[];
}

/** One IAM policy statement. */
export interface PolicyStatement {
  /** Statement id, letters and digits only. @default none */
  readonly sid?: string;
  /** Allow or Deny. @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  /** Actions, each `service:Action`, exact names (a `*` suffix such as `s3:Get*` is allowed only in Deny statements). */
  readonly actions?: readonly string[];
  /** Actions the statement does not apply to (Deny statements only). @default none */
  readonly notActions?: readonly string[];
  /** Exact resource ARNs (or `${...}` references). @default none */
  readonly resources?: readonly string[];
  /** Resources the statement does not apply to (Deny statements only). @default none */
  readonly notResources?: readonly string[];
  /** Principal (resource policies only). @default none */
  readonly principal?: PolicyPrincipal | "*";
  /** Conditions. @default none */
  readonly conditions?: PolicyConditions;
}

/**
 * Actions that do not support resource-level permissions, so `Resource: "*"` is the only form
 * IAM accepts. A statement may use `Resource: "*"` only when every one of its actions is listed
 * here. Source: the "Resource types" column of the AWS Service Authorization Reference; the write
 * actions match the policy gate's `unscopable_write_actions` (rule IAM-002), so a grant the
 * constructs accept also passes the gate. (`ec2:CreateNetworkInterface` and friends are listed
 * because Lambda and Fargate in a VPC need them on `*`.)
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  "cloudwatch:DescribeAlarmsForMetric",
  "cloudwatch:GetMetricData",
  "cloudwatch:GetMetricStatistics",
  "cloudwatch:ListMetrics",
  "cloudwatch:PutMetricData",
  "ec2:AssignPrivateIpAddresses",
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeInstances",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcs",
  "ec2:UnassignPrivateIpAddresses",
  "ecr:GetAuthorizationToken",
  "ecs:DeregisterTaskDefinition",
  "ecs:RegisterTaskDefinition",
  "kms:CreateKey",
  "kms:ListAliases",
  "kms:ListKeys",
  "logs:DeleteResourcePolicy",
  "logs:DescribeLogGroups",
  "logs:PutResourcePolicy",
  "route53:CreateHostedZone",
  "s3:ListAllMyBuckets",
  "secretsmanager:GetRandomPassword",
  "ssm:DescribeParameters",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "sts:GetCallerIdentity",
  "xray:GetSamplingRules",
  "xray:GetSamplingStatisticSummaries",
  "xray:GetSamplingTargets",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];

const UNSCOPABLE = new Set(UNSCOPABLE_ACTIONS);
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const DENY_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]*\*?$/;
/** `arn:partition:service:region:account:*`, i.e. every resource of a service. */
const SERVICE_WILDCARD_ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$/;
const SID = /^[A-Za-z0-9]*$/;

function isWildcardResource(resource: string): boolean {
  return resource === "*" || SERVICE_WILDCARD_ARN.test(resource);
}

/** Options of {@link validateStatement}. */
export interface ValidateOptions {
  /** The statement belongs to a resource policy (key or bucket policy): resources are the resource itself. @default false */
  readonly resourcePolicy?: boolean;
  /**
   * Accept verb patterns such as `ec2:Create*` (never `*` or `service:*`) on resources scoped to
   * the environment, including `arn:<partition>:<service>:<region>:<account>:*`. Only for the CI
   * deployer policy, whose scope is the environment rather than single resources.
   * @default false
   */
  readonly environmentScoped?: boolean;
}

const PATTERN_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+\*?$/;
/** `arn:partition:service:<region>:<account>:*` with both region and account set: every resource of a service in one account and region. */
const ACCOUNT_REGION_WILDCARD_ARN = /^arn:[^:]+:[^:]+:[a-z0-9-]+:\d{12}:\*$/;

/**
 * Throws a {@link BaselineError} naming `path` when `statement` is not least-privilege:
 * an Allow with a `*` or `service:*` action, no actions, no resources, `Resource: "*"` (or
 * `arn:...:*`) for an action outside {@link UNSCOPABLE_ACTIONS}, NotAction/NotResource in an
 * Allow, or a `*` principal without conditions.
 */
export function validateStatement(path: string, statement: PolicyStatement, options: ValidateOptions = {}): void {
  const effect = statement.effect ?? "Allow";
  const actions = statement.actions ?? [];
  const resources = statement.resources ?? [];
  const fail = (problem: string, fix: string): never => {
    throw new BaselineError(path, problem, fix);
  };
  if (statement.sid !== undefined && !SID.test(statement.sid)) {
    fail(`statement id '${statement.sid}' is invalid`, "use letters and digits only in sid");
  }
  if (actions.length === 0 && (statement.notActions ?? []).length === 0) {
    fail("a policy statement has no actions", "list the exact actions the principal needs, e.g. 's3:GetObject'");
  }
  if (effect === "Allow") {
    if (statement.notActions !== undefined || statement.notResources !== undefined) {
      fail("an Allow statement uses NotAction or NotResource, which grants everything else", "list the exact actions and resources instead");
    }
    for (const action of actions) {
      if (action === "*" || action.endsWith(":*")) {
        fail(`the grant of '${action}' allows every action of a service`, "list the exact actions needed, e.g. 's3:GetObject' instead of 's3:*'");
      }
      if (!(options.environmentScoped ? PATTERN_ACTION : ACTION).test(action)) {
        fail(`action '${action}' is not an exact 'service:Action' name`, "spell out each action without wildcards, e.g. 'kms:Decrypt'");
      }
    }
    if (!options.resourcePolicy) {
      if (resources.length === 0) {
        fail(`the grant of ${actions.join(", ")} names no resources`, "scope the grant to the exact ARNs it needs");
      }
      const wildcard = resources.find((r) => isWildcardResource(r) && !(options.environmentScoped && ACCOUNT_REGION_WILDCARD_ARN.test(r)));
      if (wildcard !== undefined) {
        const scopable = actions.filter((a) => !UNSCOPABLE.has(a));
        if (scopable.length > 0) {
          fail(
            `the grant of ${scopable.join(", ")} on Resource '${wildcard}' applies to every resource`,
            "scope it to exact ARNs (Resource '*' is allowed only for actions in UNSCOPABLE_ACTIONS, e.g. 'ecr:GetAuthorizationToken')",
          );
        }
      }
    }
  } else {
    for (const action of [...actions, ...(statement.notActions ?? [])]) {
      if (action !== "*" && !DENY_ACTION.test(action)) {
        fail(`action '${action}' is not a 'service:Action' name`, "use 'service:Action' or a 'service:Prefix*' pattern in Deny statements");
      }
    }
  }
  const principal = statement.principal;
  if (principal !== undefined) {
    const hasStar = principal === "*" || (principal.AWS ?? []).includes("*");
    if (hasStar && effect === "Allow" && statement.conditions === undefined) {
      fail("a statement allows the '*' principal without conditions", "name the principals, or add conditions such as aws:SourceAccount");
    }
  }
}

/** Policy JSON shape of one statement. */
type StatementJson = Record<string, unknown>;

function list(values: readonly string[]): string | string[] {
  return values.length === 1 && values[0] !== undefined ? values[0] : [...values];
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The JSON form of one statement (single values stay arrays-free for readability). */
export function statementJson(s: PolicyStatement): StatementJson {
  const out: StatementJson = {};
  if (s.sid !== undefined && s.sid !== "") out["Sid"] = s.sid;
  out["Effect"] = s.effect ?? "Allow";
  if (s.principal !== undefined) {
    if (s.principal === "*") out["Principal"] = "*";
    else {
      const p: Record<string, string | string[]> = {};
      for (const key of ["AWS", "Service", "Federated"] as const) {
        const v = s.principal[key];
        if (v !== undefined && v.length > 0) p[key] = list(sortedUnique(v));
      }
      out["Principal"] = p;
    }
  }
  if (s.actions !== undefined && s.actions.length > 0) out["Action"] = list(sortedUnique(s.actions));
  if (s.notActions !== undefined) out["NotAction"] = list(sortedUnique(s.notActions));
  if (s.resources !== undefined && s.resources.length > 0) out["Resource"] = list(sortedUnique(s.resources));
  if (s.notResources !== undefined) out["NotResource"] = list(sortedUnique(s.notResources));
  if (s.conditions !== undefined) {
    const c: Record<string, Record<string, string | string[]>> = {};
    for (const op of Object.keys(s.conditions).sort()) {
      const block = s.conditions[op] ?? {};
      const b: Record<string, string | string[]> = {};
      for (const key of Object.keys(block).sort()) {
        const v = block[key];
        if (v !== undefined) b[key] = typeof v === "string" ? v : list(v);
      }
      c[op] = b;
    }
    out["Condition"] = c;
  }
  return out;
}

/**
 * Merges statements that differ only in their actions (same effect, principal, resources and
 * conditions) and drops duplicates, so repeated grants do not grow the policy. Order is stable:
 * first appearance wins.
 */
export function mergeStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const merged = new Map<string, { base: PolicyStatement; actions: Set<string> }>();
  const out: PolicyStatement[] = [];
  for (const s of statements) {
    if (s.sid !== undefined || s.notActions !== undefined || s.actions === undefined) {
      out.push(s);
      continue;
    }
    const key = JSON.stringify(statementJson({ ...s, actions: ["x:x"] }));
    const existing = merged.get(key);
    if (existing) {
      for (const a of s.actions) existing.actions.add(a);
    } else {
      const entry = { base: s, actions: new Set(s.actions) };
      merged.set(key, entry);
      out.push(s);
    }
  }
  return out.map((s) => {
    if (s.sid !== undefined || s.notActions !== undefined || s.actions === undefined) return s;
    const entry = merged.get(JSON.stringify(statementJson({ ...s, actions: ["x:x"] })));
    return entry ? { ...s, actions: [...entry.actions] } : s;
  });
}

/** A policy document JSON string for `statements` (merged, deterministic). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: mergeStatements(statements).map(statementJson) });
}
