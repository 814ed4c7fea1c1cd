import { Construct } from "constructs";
import { Lazy } from "../engine/index.ts";
import type { IResourceWithPolicy } from "./grant.ts";
import { policyDocument, validateStatement, type PolicyStatement } from "./policy.ts";

/**
 * The one holder of a resource policy (a key policy, a bucket policy): a construct whose policy
 * collects validated statements (its own baseline statement first, then grants and
 * `addToResourcePolicy`) and renders them as one policy document when the stack is synthesized,
 * so statements added after the resource was created still land in it.
 */
export abstract class ResourceWithPolicy extends Construct implements IResourceWithPolicy {
  private readonly statements: PolicyStatement[] = [];

  get policyScope(): Construct {
    return this;
  }

  /** Resource policy statements so far (the construct's own baseline statement first). */
  get policyStatements(): readonly PolicyStatement[] {
    return this.statements;
  }

  /** Adds a validated statement to the resource policy (principals must be named, or `*` with conditions). */
  addToResourcePolicy(statement: PolicyStatement): void {
    validateStatement(this.node.path, statement, { resourcePolicy: true });
    this.statements.push(statement);
  }

  /** The policy document as a token, resolved at synthesis from every statement added by then. */
  protected resourcePolicyDocument(): string {
    return Lazy.stringValue({ produce: () => policyDocument(this.statements) });
  }
}
