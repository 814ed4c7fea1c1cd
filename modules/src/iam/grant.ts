import type { IConstruct } from "constructs";
import { validateStatement, type PolicyConditions, type PolicyPrincipal, type PolicyStatement } from "./policy.ts";

/**
 * The grant model: resources grant actions to principals, the way `bucket.grantRead(role)` reads.
 * A grant adds exactly the statements needed, on exactly the ARNs needed, to the principal's
 * identity policy and, where the resource has a policy that must name the principal (KMS keys),
 * to the resource policy too.
 */

/** Something that can receive identity-policy statements: a role. */
export interface IPrincipal {
  /** The construct that owns the principal; its path appears in validation errors. */
  readonly principalScope: IConstruct;
  /** The principal as a resource policy names it, e.g. `{ AWS: [roleArn] }`. */
  readonly policyPrincipal: PolicyPrincipal;
  /** Adds a validated statement to the principal's identity policy. */
  addToPrincipalPolicy(statement: PolicyStatement): void;
}

/** Anything a resource can grant permissions to (a role, or a construct that has one). */
export interface IGrantable {
  /** The principal that receives the statements. */
  readonly grantPrincipal: IPrincipal;
}

/** A resource whose own policy can name principals (bucket policy, key policy). */
export interface IResourceWithPolicy {
  /** Construct that owns the resource policy; its path appears in validation errors. */
  readonly policyScope: IConstruct;
  /** Adds a validated statement to the resource policy. */
  addToResourcePolicy(statement: PolicyStatement): void;
}

/** Options of {@link Grant.addToPrincipal}. */
export interface GrantOptions {
  /** Who receives the permissions. */
  readonly grantee: IGrantable;
  /** Exact actions, e.g. `["s3:GetObject"]`. No `*` and no `service:*`. */
  readonly actions: readonly string[];
  /** Exact ARNs the actions apply to. `"*"` only when every action is unscopable. */
  readonly resourceArns: readonly string[];
  /** Conditions on the statement. @default none */
  readonly conditions?: PolicyConditions;
}

/** Options of {@link Grant.addToPrincipalAndResource}. */
export interface GrantOnResourceOptions extends GrantOptions {
  /** The resource whose policy also names the grantee. */
  readonly resource: IResourceWithPolicy;
  /** ARNs used in the resource policy statement. @default the `resourceArns` */
  readonly resourceSelfArns?: readonly string[];
}

/** The outcome of a grant: the statements it added. */
export class Grant {
  /** Adds `actions` on `resourceArns` to the grantee's identity policy. Throws on wildcards. */
  static addToPrincipal(options: GrantOptions): Grant {
    const statement: PolicyStatement = {
      actions: [...options.actions],
      resources: [...options.resourceArns],
      ...(options.conditions === undefined ? {} : { conditions: options.conditions }),
    };
    const principal = options.grantee.grantPrincipal;
    validateStatement(principal.principalScope.node.path, statement);
    principal.addToPrincipalPolicy(statement);
    return new Grant([statement], []);
  }

  /**
   * Adds the statement to the grantee's identity policy and a matching statement naming the
   * grantee to the resource policy (needed for KMS keys, whose key policy must name principals).
   */
  static addToPrincipalAndResource(options: GrantOnResourceOptions): Grant {
    const identity = Grant.addToPrincipal(options);
    const resourceStatement: PolicyStatement = {
      actions: [...options.actions],
      resources: [...(options.resourceSelfArns ?? options.resourceArns)],
      principal: options.grantee.grantPrincipal.policyPrincipal,
      ...(options.conditions === undefined ? {} : { conditions: options.conditions }),
    };
    validateStatement(options.resource.policyScope.node.path, resourceStatement, { resourcePolicy: true });
    options.resource.addToResourcePolicy(resourceStatement);
    return new Grant(identity.principalStatements, [resourceStatement]);
  }

  /** Combines several grants into one. */
  static combine(...grants: readonly Grant[]): Grant {
    return new Grant(
      grants.flatMap((g) => g.principalStatements),
      grants.flatMap((g) => g.resourceStatements),
    );
  }

  /** Statements added to the grantee's identity policy. */
  readonly principalStatements: readonly PolicyStatement[];
  /** Statements added to the resource's policy. */
  readonly resourceStatements: readonly PolicyStatement[];

  private constructor(principalStatements: readonly PolicyStatement[], resourceStatements: readonly PolicyStatement[]) {
    this.principalStatements = principalStatements;
    this.resourceStatements = resourceStatements;
  }
}
