import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import type { EnvironmentContext } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack, stateBucketName } from "../baseline/stack.ts";
import { stateAccessStatements } from "../state/backend.ts";
import { IAM_MUTATING_ACTIONS, PermissionsBoundary, permissionsBoundaryArn } from "./boundary.ts";
import { deployerStatements } from "./deployer.ts";
import { mergeStatements, policyDocument, statementJson, validateStatement, type PolicyStatement } from "./policy.ts";
import { RoleBase } from "./service-role.ts";

/** Issuer of GitHub Actions OIDC tokens. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** Audience GitHub's `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** Props of {@link GithubOidcProvider}. */
export interface GithubOidcProviderProps {
  /** Extra audiences besides `sts.amazonaws.com`. @default none */
  readonly extraAudiences?: readonly string[];
}

/**
 * The account's IAM OIDC identity provider for GitHub Actions (one per account). AWS trusts
 * GitHub's certificate authority directly, so no thumbprint is pinned.
 */
export class GithubOidcProvider extends Construct {
  /** ARN of the provider in `account`, for stacks that use an existing provider. */
  static arnFor(account: string): string {
    return `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
  }

  readonly provider: IamOpenidConnectProvider;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    BaselineStack.of(this).recordSource(this);
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [...new Set([GITHUB_OIDC_AUDIENCE, ...(props.extraAudiences ?? [])])],
    });
    this.arn = this.provider.arn;
  }
}

/** Props of {@link CiRole}. */
export interface CiRoleProps {
  /** The role's own name within the service, e.g. `ci-apply-prod`. */
  readonly name: string;
  /** What the role is for. */
  readonly description: string;
  /** ARN of the GitHub OIDC provider. */
  readonly oidcProviderArn: string;
  /** Exact `sub` claims that may assume the role, e.g. `repo:acme/infra:environment:prod`. */
  readonly subjects: readonly string[];
  /** ARN of the permissions boundary. */
  readonly permissionsBoundaryArn: string;
  /** AWS managed policies to attach. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Statements of the identity policy (validated like grants). @default none */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Environment-wide statements (verb patterns on the environment's account and region), kept in
   * customer-managed policies of at most {@link MANAGED_POLICY_MAX_CHARS} characters each.
   * @default none
   */
  readonly environmentStatements?: readonly PolicyStatement[];
  /** Maximum session duration in seconds, 3600-43200. @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

/** A role GitHub Actions assumes with OIDC, trusted for exact `sub` claims and the `sts.amazonaws.com` audience only. */
export class CiRole extends RoleBase {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  protected readonly shortName: string;
  protected readonly policyMode = "inline" as const;
  /** The `sub` claims trusted. */
  readonly subjects: readonly string[];
  /** Customer-managed policies holding the environment-wide statements. */
  readonly environmentPolicies: readonly IamPolicy[];

  constructor(scope: Construct, id: string, props: CiRoleProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const bad = props.subjects.find((s) => !/^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:(pull_request|environment:[A-Za-z0-9_.-]+|ref:refs\/heads\/[A-Za-z0-9_./-]+)$/.test(s));
    if (bad !== undefined || props.subjects.length === 0) {
      throw new BaselineError(
        this.node.path,
        `OIDC subject '${bad ?? "(none)"}' is not an exact repository subject`,
        "use 'repo:<owner>/<repo>:environment:<env>' or 'repo:<owner>/<repo>:pull_request' (no wildcards)",
      );
    }
    this.shortName = props.name;
    this.subjects = props.subjects;
    this.roleName = stack.physicalName(this, "iam-role", props.name);
    const trust: PolicyStatement = {
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principal: { Federated: [props.oidcProviderArn] },
      conditions: {
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: [...props.subjects] },
      },
    };
    this.role = new IamRole(this, "role", {
      name: this.roleName,
      description: props.description,
      assumeRolePolicy: policyDocument([trust]),
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      forceDetachPolicies: true,
    });
    this.roleArn = this.role.arn;
    (props.managedPolicyArns ?? []).forEach((arn, i) => {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn: arn });
    });
    for (const s of props.statements ?? []) this.addToPrincipalPolicy(s);
    const env = props.environmentStatements ?? [];
    for (const s of env) validateStatement(this.node.path, s, { environmentScoped: true });
    this.environmentPolicies = chunkStatements(env).map((chunk, i) => {
      const policy = new IamPolicy(this, `environment-policy-${i}`, {
        name: stack.physicalName(this, "iam-policy", props.name, [`env${i}`]),
        description: `Environment-scoped permissions of ${this.roleName}`,
        policy: policyDocument(chunk),
      });
      new IamRolePolicyAttachment(this, `environment-policy-${i}-attachment`, { role: this.role.name, policyArn: policy.arn });
      return policy;
    });
  }
}

/** Size limit of a customer-managed policy document, in characters without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** Splits statements into groups whose policy documents stay under the managed-policy size limit. */
function chunkStatements(statements: readonly PolicyStatement[]): PolicyStatement[][] {
  const budget = MANAGED_POLICY_MAX_CHARS - 200;
  const chunks: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  let size = 0;
  for (const s of mergeStatements(statements)) {
    const length = JSON.stringify(statementJson(s)).length + 1;
    if (current.length > 0 && size + length > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(s);
    size += length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** AWS managed policy of plan roles. */
export const PLAN_MANAGED_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
/** AWS managed policy of apply roles: reads for refresh; writes come from environment-scoped statements. */
export const APPLY_MANAGED_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** Data-plane reads a plan never needs; denied to plan roles although ReadOnlyAccess allows some. */
export const PLAN_DENIED_DATA_ACTIONS: readonly string[] = [
  "dynamodb:BatchGetItem",
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "s3:GetObject",
  "s3:GetObjectVersion",
  "secretsmanager:GetSecretValue",
  "sqs:ReceiveMessage",
];

/** The CI roles of one GitHub environment. */
export interface CiEnvironmentRoles {
  /** Read-only role for `terraform plan` on pull requests. */
  readonly plan: CiRole;
  /** Role for `terraform apply` from the GitHub environment. */
  readonly apply: CiRole;
}

/** Props of {@link CiRoles}. */
export interface CiRolesProps {
  /** GitHub repository, `owner/name`. @default the environment's repository */
  readonly repository?: string;
  /** GitHub environments that get a plan and an apply role. @default [the environment's name] */
  readonly environments?: readonly string[];
  /** ARN of an existing GitHub OIDC provider. @default a new {@link GithubOidcProvider} in this construct */
  readonly oidcProviderArn?: string;
  /** ARN of the permissions boundary for the CI roles. @default the environment's {@link PermissionsBoundary}, created in this stack when absent */
  readonly permissionsBoundaryArn?: string;
  /** Maximum session duration of the CI roles in seconds. @default 3600 */
  readonly maxSessionDurationSeconds?: number;
  /**
   * Branches whose workflows (the nightly drift check) may also assume the read-only plan role.
   * @default ["main"]
   */
  readonly planBranches?: readonly string[];
  /**
   * Extra environment-scoped statements for the apply roles, for services outside
   * `DEPLOYER_SERVICES` (verb patterns allowed, resources in the environment's account and region).
   * @default none
   */
  readonly extraApplyStatements?: readonly PolicyStatement[];
}

const GITHUB_ENV = /^[A-Za-z0-9_.-]{1,40}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The repository and the GitHub environments, checked: `owner/name`, at least one environment, no wildcards. */
function parseCiRolesProps(path: string, env: EnvironmentContext, props: CiRolesProps): { repository: string; environments: readonly string[] } {
  const repository = props.repository ?? env.repository;
  if (!REPOSITORY.test(repository)) {
    throw new BaselineError(path, `repository '${repository}' is invalid`, "use 'owner/name', e.g. 'acme/infrastructure'");
  }
  const environments = props.environments ?? [env.name];
  if (environments.length === 0) throw new BaselineError(path, "no GitHub environments are given", "list at least one environment, e.g. ['prod']");
  for (const e of environments) {
    if (!GITHUB_ENV.test(e)) {
      throw new BaselineError(path, `GitHub environment '${e}' is invalid`, "use letters, digits, '.', '_' or '-' (no wildcards)");
    }
  }
  return { repository, environments };
}

/**
 * What an apply role may do in IAM: create roles of the environment only with the permissions
 * boundary, manage the environment's roles, policies and instance profiles, create service-linked roles.
 */
function applyIamStatements(env: EnvironmentContext): PolicyStatement[] {
  const prefix = `${env.org}-${env.name}-`;
  const iam = `arn:aws:iam::${env.account}`;
  return [
    {
      actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      resources: [`${iam}:role/${prefix}*`],
      conditions: { StringEquals: { "iam:PermissionsBoundary": permissionsBoundaryArn(env) } },
    },
    {
      actions: [
        "iam:AttachRolePolicy",
        "iam:DeleteRole",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:ListRolePolicies",
        "iam:PassRole",
        "iam:PutRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
      ],
      resources: [`${iam}:role/${prefix}*`],
    },
    {
      actions: [
        "iam:CreatePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      resources: [`${iam}:policy/${prefix}*`],
    },
    {
      actions: [
        "iam:AddRoleToInstanceProfile",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:GetInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
      ],
      resources: [`${iam}:instance-profile/${prefix}*`],
    },
    { actions: ["iam:CreateServiceLinkedRole"], resources: [`${iam}:role/aws-service-role/*`] },
  ];
}

/** Denies changes to the CI roles themselves (named by `suffixes`), so no CI role can change itself or another. */
function protectCiRolesStatement(stack: BaselineStack, suffixes: readonly string[]): PolicyStatement {
  const iam = `arn:aws:iam::${stack.environment.account}`;
  return {
    sid: "DenyChangesToCiRoles",
    effect: "Deny",
    actions: IAM_MUTATING_ACTIONS.filter((a) => a !== "iam:PassRole"),
    resources: suffixes.flatMap((s) => ["ci-plan", "ci-apply"].map((n) => `${iam}:role/${stack.physicalNameOf("iam-role", n + s)}`)),
  };
}

/** What every role of a {@link CiRoles} shares: the repository, the provider and boundary, the apply statements. */
interface CiRoleContext {
  readonly env: EnvironmentContext;
  readonly repository: string;
  readonly boundary: string;
  /** IAM statements of the apply roles, ending with the deny on changes to the CI roles. */
  readonly applyIam: readonly PolicyStatement[];
  readonly props: CiRolesProps;
}

/**
 * GitHub Actions roles for each GitHub environment: a plan role trusted only for the
 * repository's pull requests (read-only, data reads denied, state read and lock), and an apply
 * role trusted only for the GitHub environment (reads, writes scoped to the environment's
 * account, region and name prefix from `DEPLOYER_SERVICES`, IAM limited to the environment's
 * roles and policies with the boundary, state read and write), both under the permissions
 * boundary.
 */
export class CiRoles extends Construct {
  /** Roles by GitHub environment name. */
  readonly roles: Readonly<Record<string, CiEnvironmentRoles>>;
  /** The OIDC provider ARN the roles trust. */
  readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, props: CiRolesProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const env = stack.environment;
    const { repository, environments } = parseCiRolesProps(this.node.path, env, props);
    this.oidcProviderArn = props.oidcProviderArn ?? new GithubOidcProvider(this, "github-oidc").arn;
    const boundary = props.permissionsBoundaryArn ?? PermissionsBoundary.of(this).arn;
    const suffixes = environments.map((e) => (environments.length > 1 ? `-${e.toLowerCase()}` : ""));
    const applyIam = [...applyIamStatements(env), protectCiRolesStatement(stack, suffixes)];
    const context: CiRoleContext = { env, repository, boundary, applyIam, props };
    const roles: Record<string, CiEnvironmentRoles> = {};
    environments.forEach((e, i) => {
      const suffix = suffixes[i] ?? "";
      roles[e] = { plan: this.createPlanRole(suffix, context), apply: this.createApplyRole(e, suffix, context) };
    });
    this.roles = roles;
  }

  /** The read-only plan role, trusted for pull requests and the plan branches, with data reads denied. */
  private createPlanRole(suffix: string, { env, repository, boundary, props }: CiRoleContext): CiRole {
    return new CiRole(this, `plan${suffix}`, {
      name: `ci-plan${suffix}`,
      description: `Terraform plan from pull requests and drift checks of ${repository} (read-only)`,
      oidcProviderArn: this.oidcProviderArn,
      subjects: [`repo:${repository}:pull_request`, ...(props.planBranches ?? ["main"]).map((b) => `repo:${repository}:ref:refs/heads/${b}`)],
      permissionsBoundaryArn: boundary,
      managedPolicyArns: [PLAN_MANAGED_POLICY],
      statements: [
        ...stateAccessStatements(env),
        {
          sid: "DenyDataReads",
          effect: "Deny",
          actions: PLAN_DENIED_DATA_ACTIONS,
          notResources: [`arn:aws:s3:::${stateBucketName(env)}/*`],
        },
      ],
      ...(props.maxSessionDurationSeconds === undefined ? {} : { maxSessionDurationSeconds: props.maxSessionDurationSeconds }),
    });
  }

  /** The apply role of GitHub environment `environment`, trusted only for that environment. */
  private createApplyRole(environment: string, suffix: string, { env, repository, boundary, applyIam, props }: CiRoleContext): CiRole {
    return new CiRole(this, `apply${suffix}`, {
      name: `ci-apply${suffix}`,
      description: `Terraform apply from the ${environment} environment of ${repository}`,
      oidcProviderArn: this.oidcProviderArn,
      subjects: [`repo:${repository}:environment:${environment}`],
      permissionsBoundaryArn: boundary,
      managedPolicyArns: [APPLY_MANAGED_POLICY],
      statements: [...stateAccessStatements(env, { write: true }), ...applyIam],
      environmentStatements: [...deployerStatements(env), ...(props.extraApplyStatements ?? [])],
      ...(props.maxSessionDurationSeconds === undefined ? {} : { maxSessionDurationSeconds: props.maxSessionDurationSeconds }),
    });
  }
}
