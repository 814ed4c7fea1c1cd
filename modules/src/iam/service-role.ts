import { Construct } from "constructs";
import { Lazy } from "../engine/index.ts";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { PermissionsBoundary } from "./boundary.ts";
import type { IGrantable, IPrincipal } from "./grant.ts";
import { policyDocument, validateStatement, type PolicyPrincipal, type PolicyStatement } from "./policy.ts";

/** A role principal that collects statements into one identity policy. Shared by {@link ServiceRole} and the CI roles. */
export abstract class RoleBase extends Construct implements IGrantable, IPrincipal {
  /** The role resource. */
  abstract readonly role: IamRole;
  /** The role's ARN (a reference). */
  abstract readonly roleArn: string;
  /** The role's physical name. */
  abstract readonly roleName: string;
  /** The role's own name within the service (the `name` part of its physical name). */
  protected abstract readonly shortName: string;
  /** How granted statements are stored: an inline role policy or a managed policy. */
  protected abstract readonly policyMode: "inline" | "managed";
  private readonly statements: PolicyStatement[] = [];
  private policyCreated = false;

  get grantPrincipal(): IPrincipal {
    return this;
  }

  get principalScope(): Construct {
    return this;
  }

  get policyPrincipal(): PolicyPrincipal {
    return { AWS: [this.roleArn] };
  }

  /** Statements granted so far, in the order they were added. */
  get grantedStatements(): readonly PolicyStatement[] {
    return this.statements;
  }

  /** Adds a statement to the role's identity policy after validating it (no wildcards). */
  addToPrincipalPolicy(statement: PolicyStatement): void {
    validateStatement(this.node.path, statement);
    this.statements.push(statement);
    if (!this.policyCreated) this.createPolicy();
  }

  private createPolicy(): void {
    this.policyCreated = true;
    const stack = BaselineStack.of(this);
    const document = Lazy.stringValue({ produce: () => policyDocument(this.statements) });
    if (this.policyMode === "inline") {
      new IamRolePolicy(this, "policy", { name: "baseplate-grants", role: this.role.name, policy: document });
    } else {
      const policy = new IamPolicy(this, "policy", {
        name: stack.physicalName(this, "iam-policy", this.shortName, ["grants"]),
        description: `Grants of role ${this.roleName}`,
        policy: document,
      });
      new IamRolePolicyAttachment(this, "policy-attachment", { role: this.role.name, policyArn: policy.arn });
    }
  }
}

/** Props of {@link ServiceRole}. */
export interface ServiceRoleProps {
  /** The role's own name within the service, e.g. `invoices-task`; the physical name comes from the naming convention. */
  readonly name: string;
  /** The one AWS service principal that may assume the role, e.g. `ecs-tasks.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** What the role is for. @default "Service role for <service principal>" */
  readonly description?: string;
  /**
   * ARN of the permissions boundary.
   * @default the environment's {@link PermissionsBoundary} (a reference when this stack creates it, else its ARN by name)
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Require `aws:SourceAccount` = the stack's account in the trust policy (confused-deputy
   * protection). Turn off only for services that do not send it (e.g. `ec2.amazonaws.com`).
   * @default true
   */
  readonly sourceAccountCondition?: boolean;
  /** Statements to start the identity policy with (validated like grants). @default none */
  readonly statements?: readonly PolicyStatement[];
  /** Store grants in an inline role policy or a customer-managed policy attached to the role. @default "inline" */
  readonly policyMode?: "inline" | "managed";
  /** Maximum session duration in seconds, 3600-43200. @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/**
 * An IAM role one AWS service assumes on the stack's account's behalf: trust for exactly that
 * service principal (with `aws:SourceAccount`), a mandatory permissions boundary, and an identity
 * policy built only from exact grants (`bucket.grantRead(role)`, `key.grantDecrypt(role)`).
 */
export class ServiceRole extends RoleBase {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  protected readonly shortName: string;
  /** The service principal trusted by the role. */
  readonly servicePrincipal: string;
  /** The permissions boundary ARN on the role. */
  readonly permissionsBoundaryArn: string;
  protected readonly policyMode: "inline" | "managed";

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const path = this.node.path;
    if (!SERVICE_PRINCIPAL.test(props.servicePrincipal)) {
      throw new BaselineError(
        path,
        `servicePrincipal '${props.servicePrincipal}' is not an AWS service principal`,
        "use the service's principal, e.g. 'ecs-tasks.amazonaws.com' or 'lambda.amazonaws.com'",
      );
    }
    const duration = props.maxSessionDurationSeconds ?? 3600;
    if (!Number.isInteger(duration) || duration < 3600 || duration > 43200) {
      throw new BaselineError(path, `maxSessionDurationSeconds ${duration} is out of range`, "use a whole number of seconds from 3600 to 43200");
    }
    this.policyMode = props.policyMode ?? "inline";
    this.servicePrincipal = props.servicePrincipal;
    this.shortName = props.name;
    this.roleName = stack.physicalName(this, "iam-role", props.name);
    this.permissionsBoundaryArn = props.permissionsBoundaryArn ?? PermissionsBoundary.arnFor(this);
    const trust: PolicyStatement = {
      actions: ["sts:AssumeRole"],
      principal: { Service: [props.servicePrincipal] },
      ...((props.sourceAccountCondition ?? true) ? { conditions: { StringEquals: { "aws:SourceAccount": stack.environment.account } } } : {}),
    };
    this.role = new IamRole(this, "role", {
      name: this.roleName,
      description: props.description ?? `Service role for ${props.servicePrincipal}`,
      assumeRolePolicy: policyDocument([trust]),
      permissionsBoundary: this.permissionsBoundaryArn,
      maxSessionDuration: duration,
      forceDetachPolicies: true,
    });
    this.roleArn = this.role.arn;
    for (const s of props.statements ?? []) this.addToPrincipalPolicy(s);
  }
}
