import { describe, expect, it } from "vitest";
import {
  APPLY_MANAGED_POLICY,
  BaselineError,
  CiRoles,
  Grant,
  GithubOidcProvider,
  MANAGED_POLICY_MAX_CHARS,
  PermissionsBoundary,
  PLAN_MANAGED_POLICY,
  ServiceRole,
  UNSCOPABLE_ACTIONS,
  permissionsBoundaryArn,
  stateBucketName,
  validateStatement,
} from "../src/index.ts";
import { asList, bySid, env, expectMandatoryTags, expectNamesWithinLimits, makeStack, only, policy, resources, synth, type PolicyDoc } from "./helpers.ts";

function role(stack = makeStack(), props: Partial<ConstructorParameters<typeof ServiceRole>[2]> = {}): ServiceRole {
  return new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com", ...props });
}

function allowStatements(doc: PolicyDoc): PolicyDoc["Statement"] {
  return doc.Statement.filter((s) => s.Effect === "Allow");
}

function catchError(fn: () => unknown): BaselineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BaselineError) return e;
    throw e;
  }
  throw new Error("expected a BaselineError");
}

describe("ServiceRole", () => {
  it("trusts exactly one service principal with aws:SourceAccount and carries the environment's boundary", () => {
    const stack = makeStack();
    role(stack);
    const r = only(synth(stack), "aws_iam_role");
    expect(r["name"]).toBe("acme-dev-payments-api-task");
    expect(r["permissions_boundary"]).toBe(permissionsBoundaryArn(env()));
    expect(r["permissions_boundary"]).toBe("arn:aws:iam::123456789012:policy/acme-dev-platform-boundary");
    expect(policy(r["assume_role_policy"])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    expect(r["max_session_duration"]).toBe(3600);
  });

  it("references the boundary when the stack creates it, and takes an ARN passed in", () => {
    const stack = makeStack();
    const boundary = PermissionsBoundary.of(stack);
    expect(PermissionsBoundary.of(stack)).toBe(boundary);
    role(stack);
    new ServiceRole(stack, "other", { name: "other", servicePrincipal: "lambda.amazonaws.com", permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/custom" });
    const s = synth(stack);
    const roles = s.resource["aws_iam_role"] ?? {};
    const policyId = Object.keys(s.resource["aws_iam_policy"] ?? {})[0];
    expect(Object.values(roles).map((r) => r["permissions_boundary"]).sort()).toEqual([
      `\${aws_iam_policy.${policyId}.arn}`,
      "arn:aws:iam::123456789012:policy/custom",
    ]);
    expect(only(s, "aws_iam_policy")["name"]).toBe("acme-dev-platform-boundary");
  });

  it("boundary denies other regions, users, roles without the boundary, edits to itself and IAM outside the environment", () => {
    const stack = makeStack();
    PermissionsBoundary.of(stack);
    const doc = policy(only(synth(stack), "aws_iam_policy")["policy"]);
    const sids = bySid(doc);
    expect(sids["DenyOtherRegions"]?.Condition).toEqual({ StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } });
    expect(sids["DenyRolesWithoutBoundary"]?.Condition).toEqual({
      StringNotEquals: { "iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/acme-dev-platform-boundary" },
    });
    expect(sids["DenyBoundaryEdits"]?.Resource).toBe("arn:aws:iam::123456789012:policy/acme-dev-platform-boundary");
    expect(asList(sids["DenyUsersAndKeys"]?.Action)).toContain("iam:CreateUser");
    expect(asList(sids["DenyIamOutsideEnvironment"]?.NotResource)).toEqual([
      "arn:aws:iam::123456789012:instance-profile/acme-dev-*",
      "arn:aws:iam::123456789012:policy/acme-dev-*",
      "arn:aws:iam::123456789012:role/acme-dev-*",
    ]);
    expect(asList(sids["AllowBaselineServices"]?.Action)).not.toContain("*");
  });

  it("can omit aws:SourceAccount for services that do not send it", () => {
    const stack = makeStack();
    role(stack, { servicePrincipal: "ec2.amazonaws.com", sourceAccountCondition: false });
    const trust = policy(only(synth(stack), "aws_iam_role")["assume_role_policy"]);
    expect(trust.Statement[0]?.Condition).toBeUndefined();
  });

  it("creates no identity policy until something is granted", () => {
    const stack = makeStack();
    role(stack);
    expect(resources(synth(stack), "aws_iam_role_policy")).toHaveLength(0);
  });

  it("collects grants into one inline policy with exact actions and ARNs, merging repeats", () => {
    const stack = makeStack();
    const r = role(stack);
    Grant.addToPrincipal({ grantee: r, actions: ["sqs:SendMessage"], resourceArns: ["arn:aws:sqs:eu-west-1:123456789012:jobs"] });
    Grant.addToPrincipal({ grantee: r, actions: ["sqs:GetQueueUrl", "sqs:SendMessage"], resourceArns: ["arn:aws:sqs:eu-west-1:123456789012:jobs"] });
    Grant.addToPrincipal({ grantee: r, actions: ["ecr:GetAuthorizationToken"], resourceArns: ["*"] });
    const p = only(synth(stack), "aws_iam_role_policy");
    expect(p["role"]).toMatch(/^\$\{aws_iam_role\.task_role_[A-F0-9]+\.name\}$/);
    expect(policy(p["policy"]).Statement).toEqual([
      { Effect: "Allow", Action: ["sqs:GetQueueUrl", "sqs:SendMessage"], Resource: "arn:aws:sqs:eu-west-1:123456789012:jobs" },
      { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    ]);
  });

  it("stores grants in a managed policy when asked", () => {
    const stack = makeStack();
    const r = role(stack, { policyMode: "managed", statements: [{ actions: ["sns:Publish"], resources: ["arn:aws:sns:eu-west-1:123456789012:t"] }] });
    expect(r.grantedStatements).toHaveLength(1);
    const s = synth(stack);
    const p = only(s, "aws_iam_policy");
    expect(p["name"]).toBe("acme-dev-payments-api-task-grants");
    expect(policy(p["policy"]).Statement).toEqual([{ Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:123456789012:t" }]);
    expect(only(s, "aws_iam_role_policy_attachment")["policy_arn"]).toMatch(/^\$\{aws_iam_policy\..+\.arn\}$/);
    expect(resources(s, "aws_iam_role_policy")).toHaveLength(0);
  });

  it("rejects a principal that is not an AWS service, and an out-of-range session", () => {
    const e1 = catchError(() => role(makeStack(), { servicePrincipal: "arn:aws:iam::123456789012:root" }));
    expect(e1.constructPath).toBe("payments-api-dev/task");
    expect(e1.fix).toMatch(/ecs-tasks\.amazonaws\.com/);
    const e2 = catchError(() => role(makeStack(), { maxSessionDurationSeconds: 60 }));
    expect(e2.message).toMatch(/maxSessionDurationSeconds 60 is out of range/);
  });
});

describe("grant validation", () => {
  const arn = "arn:aws:s3:::acme-dev-payments-api-invoices";

  it.each([
    ["*", [arn], /the grant of '\*' allows every action of a service/],
    ["s3:*", [arn], /the grant of 's3:\*' allows every action of a service/],
    ["s3:Get*", [arn], /action 's3:Get\*' is not an exact 'service:Action' name/],
    ["s3:GetObject", ["*"], /the grant of s3:GetObject on Resource '\*' applies to every resource/],
    ["s3:GetObject", ["arn:aws:s3:::*"], /on Resource 'arn:aws:s3:::\*' applies to every resource/],
    ["s3:GetObject", [], /names no resources/],
  ])("rejects a wildcard grant of %s on %j with the role's path and the fix", (action, resourceArns, problem) => {
    const stack = makeStack();
    const r = role(stack);
    const err = catchError(() => Grant.addToPrincipal({ grantee: r, actions: [action], resourceArns }));
    expect(err.constructPath).toBe("payments-api-dev/task");
    expect(err.message).toMatch(problem);
    expect(err.fix.length).toBeGreaterThan(10);
    expect(r.grantedStatements).toHaveLength(0);
  });

  it("allows Resource '*' only when every action is unscopable, and says which action is not", () => {
    const r = role();
    expect(() => Grant.addToPrincipal({ grantee: r, actions: ["cloudwatch:PutMetricData", "xray:PutTraceSegments"], resourceArns: ["*"] })).not.toThrow();
    const err = catchError(() => Grant.addToPrincipal({ grantee: r, actions: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], resourceArns: ["*"] }));
    expect(err.message).toMatch(/the grant of ecr:BatchGetImage on Resource '\*'/);
    expect(err.fix).toMatch(/UNSCOPABLE_ACTIONS/);
    for (const a of UNSCOPABLE_ACTIONS) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
  });

  it("rejects NotAction in an Allow, a '*' principal without conditions, and accepts scoped Deny patterns", () => {
    expect(() => validateStatement("p", { notActions: ["iam:*"], resources: ["*"] })).toThrow(/NotAction or NotResource/);
    expect(() => validateStatement("p", { actions: ["s3:GetObject"], resources: ["x"], principal: "*" }, { resourcePolicy: true })).toThrow(
      /'\*' principal without conditions/,
    );
    expect(() =>
      validateStatement("p", { actions: ["s3:GetObject"], resources: ["x"], principal: "*", conditions: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }, { resourcePolicy: true }),
    ).not.toThrow();
    expect(() => validateStatement("p", { effect: "Deny", actions: ["s3:*"], resources: ["*"] })).not.toThrow();
  });
});

describe("GithubOidcProvider and CiRoles", () => {
  it("creates the GitHub OIDC provider for sts.amazonaws.com", () => {
    const stack = makeStack();
    new GithubOidcProvider(stack, "github");
    const p = only(synth(stack), "aws_iam_openid_connect_provider");
    expect(p["url"]).toBe("https://token.actions.githubusercontent.com");
    expect(p["client_id_list"]).toEqual(["sts.amazonaws.com"]);
    expect(GithubOidcProvider.arnFor("123456789012")).toBe("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
  });

  function ciSynth(environment: Parameters<typeof makeStack>[0] = { name: "prod", tier: "prod" }, props: ConstructorParameters<typeof CiRoles>[2] = {}) {
    const stack = makeStack(environment);
    const ci = new CiRoles(stack, "ci", props);
    const s = synth(stack);
    const roles = Object.values(s.resource["aws_iam_role"] ?? {});
    const byName = (n: string) => {
      const r = roles.find((x) => x["name"] === n);
      if (!r) throw new Error(`no role ${n}`);
      return r;
    };
    const inline = (roleName: string) => {
      const id = Object.entries(s.resource["aws_iam_role"] ?? {}).find(([, r]) => r["name"] === roleName)?.[0];
      const p = Object.values(s.resource["aws_iam_role_policy"] ?? {}).find((x) => x["role"] === `\${aws_iam_role.${id}.name}`);
      return policy(p?.["policy"]);
    };
    const attachments = Object.values(s.resource["aws_iam_role_policy_attachment"] ?? {});
    return { ci, s, byName, inline, attachments };
  }

  it("pins the plan role to pull requests and main (drift checks) and the apply role to the GitHub environment, audience sts.amazonaws.com", () => {
    const { byName } = ciSynth();
    const plan = policy(byName("acme-prod-payments-api-ci-plan")["assume_role_policy"]).Statement[0];
    const apply = policy(byName("acme-prod-payments-api-ci-apply")["assume_role_policy"]).Statement[0];
    expect(plan?.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(plan?.Principal).toEqual({ Federated: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\..+\.arn\}$/) as unknown });
    expect(plan?.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/infrastructure:pull_request", "repo:acme/infrastructure:ref:refs/heads/main"],
      },
    });
    expect(apply?.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:acme/infrastructure:environment:prod",
      },
    });
    for (const n of ["acme-prod-payments-api-ci-plan", "acme-prod-payments-api-ci-apply"]) {
      expect(byName(n)["permissions_boundary"]).toMatch(/^\$\{aws_iam_policy\.PermissionsBoundary_policy_.+\.arn\}$/);
    }
  });

  it("gives the plan role read-only access, denies data reads, and state read plus lock only", () => {
    const { inline, attachments } = ciSynth();
    expect(attachments.map((a) => a["policy_arn"])).toContain(PLAN_MANAGED_POLICY);
    const doc = inline("acme-prod-payments-api-ci-plan");
    const bucket = `arn:aws:s3:::${stateBucketName(env({ name: "prod", tier: "prod" }))}`;
    const allows = allowStatements(doc).map((s) => ({ a: asList(s.Action), r: asList(s.Resource) }));
    expect(allows).toEqual([
      { a: ["s3:ListBucket"], r: [bucket] },
      { a: ["s3:GetObject"], r: [`${bucket}/stacks/*`] },
      { a: ["s3:DeleteObject", "s3:PutObject"], r: [`${bucket}/stacks/*.tflock`] },
      { a: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"], r: ["arn:aws:kms:eu-west-1:123456789012:key/*"] },
    ]);
    const kms = allowStatements(doc)[3];
    expect(kms?.Condition).toEqual({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-prod-platform-tfstate" } });
    const deny = doc.Statement.find((s) => s.Sid === "DenyDataReads");
    expect(asList(deny?.Action)).toContain("secretsmanager:GetSecretValue");
    expect(deny?.NotResource).toBe(`${bucket}/*`);
    for (const s of allowStatements(doc)) expect(asList(s.Action).some((a) => a.includes("*"))).toBe(false);
  });

  it("gives the apply role state write, IAM only inside the environment with the boundary, and no way to change the CI roles", () => {
    const { inline, attachments } = ciSynth();
    expect(attachments.map((a) => a["policy_arn"])).toContain(APPLY_MANAGED_POLICY);
    const doc = inline("acme-prod-payments-api-ci-apply");
    const bucket = `arn:aws:s3:::${stateBucketName(env({ name: "prod", tier: "prod" }))}`;
    const write = allowStatements(doc).find((s) => asList(s.Resource).includes(`${bucket}/stacks/*`));
    expect(asList(write?.Action)).toEqual(["s3:GetObject", "s3:PutObject"]);
    const createRole = allowStatements(doc).find((s) => asList(s.Action).includes("iam:CreateRole"));
    expect(createRole?.Resource).toBe("arn:aws:iam::123456789012:role/acme-prod-*");
    expect(createRole?.Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/acme-prod-platform-boundary" } });
    const protect = doc.Statement.find((s) => s.Sid === "DenyChangesToCiRoles");
    expect(protect?.Effect).toBe("Deny");
    expect(asList(protect?.Resource)).toEqual([
      "arn:aws:iam::123456789012:role/acme-prod-payments-api-ci-apply",
      "arn:aws:iam::123456789012:role/acme-prod-payments-api-ci-plan",
    ]);
    for (const s of allowStatements(doc)) {
      expect(asList(s.Action).some((a) => a === "*" || a.endsWith(":*"))).toBe(false);
      expect(asList(s.Resource)).not.toContain("*");
    }
  });

  it("creates a plan and an apply role per GitHub environment and reuses an existing OIDC provider", () => {
    const { ci, s, byName } = ciSynth({}, { environments: ["dev", "preview"], oidcProviderArn: GithubOidcProvider.arnFor("123456789012") });
    expect(Object.keys(ci.roles).sort()).toEqual(["dev", "preview"]);
    expect(resources(s, "aws_iam_openid_connect_provider")).toHaveLength(0);
    const names = resources(s, "aws_iam_role").map((r) => r["name"]).sort();
    expect(names).toEqual([
      "acme-dev-payments-api-ci-apply-dev",
      "acme-dev-payments-api-ci-apply-preview",
      "acme-dev-payments-api-ci-plan-dev",
      "acme-dev-payments-api-ci-plan-preview",
    ]);
    expect(ci.roles["preview"]?.apply.roleName).toBe("acme-dev-payments-api-ci-apply-preview");
    const preview = policy(byName("acme-dev-payments-api-ci-apply-preview")["assume_role_policy"]);
    expect(preview.Statement[0]?.Principal).toEqual({ Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" });
    expect(preview.Statement[0]?.Condition?.["StringEquals"]?.["token.actions.githubusercontent.com:sub"]).toBe("repo:acme/infrastructure:environment:preview");
  });

  it("tags every resource and keeps names within limits, even for a long service name", () => {
    const stack = makeStack({ name: "prod-eu", tier: "prod" }, { service: "customer-identity-federation-gateway" });
    new CiRoles(stack, "ci", { environments: ["production-eu-west", "staging-eu-west"] });
    role(stack, { name: "very-long-task-role-name-for-identity-federation" }).addToPrincipalPolicy({ actions: ["sns:Publish"], resources: ["arn:aws:sns:eu-west-1:123456789012:t"] });
    const s = synth(stack);
    expect(expectMandatoryTags(s)).toBeGreaterThan(10);
    expect(expectNamesWithinLimits(s)).toBe(8);
    const names = resources(s, "aws_iam_role").map((r) => String(r["name"]));
    expect(names.some((n) => n.length === 64 && /-[0-9a-f]{8}$/.test(n))).toBe(true);
  });

  it("gives the apply role writes scoped to the environment's account, region and names, in managed policies under the size limit", () => {
    const { s, byName } = ciSynth();
    const applyId = Object.entries(s.resource["aws_iam_role"] ?? {}).find(([, r]) => r["name"] === "acme-prod-payments-api-ci-apply")?.[0];
    byName("acme-prod-payments-api-ci-apply");
    const policies = Object.values(s.resource["aws_iam_policy"] ?? {}).filter((p) => String(p["name"]).startsWith("acme-prod-payments-api-ci-apply-env"));
    expect(policies.length).toBeGreaterThanOrEqual(1);
    const attached = Object.values(s.resource["aws_iam_role_policy_attachment"] ?? {}).filter((a) => a["role"] === `\${aws_iam_role.${applyId}.name}`);
    expect(attached.map((a) => a["policy_arn"])).toEqual(expect.arrayContaining([APPLY_MANAGED_POLICY]));
    expect(attached.map((a) => a["policy_arn"])).not.toContain("arn:aws:iam::aws:policy/PowerUserAccess");
    expect(attached).toHaveLength(policies.length + 1);
    const statements = policies.flatMap((p) => {
      const text = String(p["policy"]);
      expect(text.replace(/\s/g, "").length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
      return policy(text).Statement;
    });
    const unscopable = new Set(UNSCOPABLE_ACTIONS);
    for (const st of statements) {
      expect(st.Effect).toBe("Allow");
      const actions = asList(st.Action);
      for (const a of actions) expect(a === "*" || a.endsWith(":*")).toBe(false);
      for (const r of asList(st.Resource)) {
        if (r === "*") {
          for (const a of actions) expect(unscopable.has(a), a).toBe(true);
        } else {
          // Account and region of the environment, or the environment's name prefix where ARNs have neither.
          expect(r).toMatch(/^arn:aws:[a-z0-9-]+:(eu-west-1|us-east-1)?:(123456789012)?:|^arn:aws:s3:::acme-prod-|^arn:aws:route53:::hostedzone\//);
        }
      }
    }
    const ec2 = statements.find((st) => asList(st.Action).includes("ec2:Create*"));
    expect(asList(ec2?.Resource)).toEqual(["arn:aws:ec2:eu-west-1:123456789012:*", "arn:aws:ec2:us-east-1:123456789012:*"]);
  });

  it("accepts extra environment-scoped apply statements and rejects unscoped ones", () => {
    const stack = makeStack();
    new CiRoles(stack, "ci", { extraApplyStatements: [{ actions: ["sqs:Create*", "sqs:Delete*"], resources: ["arn:aws:sqs:eu-west-1:123456789012:*"] }] });
    const text = Object.values(synth(stack).resource["aws_iam_policy"] ?? {}).map((p) => String(p["policy"])).join("\n");
    expect(text).toContain('"sqs:Create*"');
    const err = catchError(() => new CiRoles(makeStack(), "ci", { extraApplyStatements: [{ actions: ["sqs:Create*"], resources: ["*"] }] }));
    expect(err.constructPath).toBe("payments-api-dev/ci/apply");
    expect(err.message).toMatch(/on Resource '\*' applies to every resource/);
    const err2 = catchError(() => new CiRoles(makeStack(), "ci", { extraApplyStatements: [{ actions: ["sqs:*"], resources: ["arn:aws:sqs:eu-west-1:123456789012:*"] }] }));
    expect(err2.message).toMatch(/allows every action of a service/);
  });

  it("rejects an invalid repository and a wildcard environment", () => {
    const e1 = catchError(() => new CiRoles(makeStack(), "ci", { repository: "acme" }));
    expect(e1.constructPath).toBe("payments-api-dev/ci");
    expect(e1.fix).toMatch(/owner\/name/);
    const e2 = catchError(() => new CiRoles(makeStack(), "ci", { environments: ["*"] }));
    expect(e2.message).toMatch(/GitHub environment '\*' is invalid/);
  });
});
