import { Aspects, S3Backend, TerraformStack } from "../engine/index.ts";
import type { IConstruct } from "constructs";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { assertEnvironment, type EnvironmentContext } from "./environment.ts";
import { BaselineError } from "./errors.ts";
import { formatName, nameProblem, type NameKind } from "./naming.ts";
import { callerLocation } from "./source.ts";
import { MANAGED_BY, tagProblems, type DataClassification, type MandatoryTags } from "./tags.ts";
import { TagEnforcer } from "./tag-enforcer.ts";

/** Where the stack keeps its Terraform state. */
export interface StateBackendOptions {
  /** State bucket name. @default `<org>-<env>-platform-tfstate` shaped as an S3 bucket name */
  readonly bucket?: string;
  /** Region of the state bucket. @default the environment's region */
  readonly region?: string;
  /** Object key of this stack's state. @default `stacks/<stack name>/terraform.tfstate` */
  readonly key?: string;
}

/** Props of {@link BaselineStack}. */
export interface BaselineStackProps {
  /** The environment this stack deploys to (validated: account id, tier, region, names). */
  readonly environment: EnvironmentContext;
  /** Service this stack belongs to; becomes the `Service` tag and part of every name, e.g. `payments-api`. */
  readonly service: string;
  /** Owning team slug or email; becomes the `Owner` tag. */
  readonly owner: string;
  /** Finance cost centre, `CC-` and 4-6 digits; becomes the `CostCenter` tag. */
  readonly costCenter: string;
  /** Most sensitive data the stack holds; becomes the `DataClassification` tag. @default "internal" */
  readonly dataClassification?: DataClassification;
  /**
   * Remote state: an S3 backend with native lockfile locking (one state per stack), or `false`
   * for local state (tests, bootstrap of the state bucket itself).
   * @default S3 backend in the environment's state bucket
   */
  readonly backend?: StateBackendOptions | false;
}

const STACK_MARK = Symbol.for("baseplate.BaselineStack");

/**
 * A Terraform stack with the company baseline: the AWS provider pinned to the environment's
 * account and region with every mandatory tag as `default_tags`, a tag enforcer for resources
 * `default_tags` does not reach, one S3 state per stack, and name and tag helpers for the
 * constructs inside it. Every Baseplate construct must live inside one.
 */
export class BaselineStack extends TerraformStack {
  /** The stack containing `scope`; throws a clear error when there is none. */
  static override of(scope: IConstruct): BaselineStack {
    for (let node: IConstruct | undefined = scope; node; node = node.node.scope) {
      if ((node as unknown as Record<symbol, unknown>)[STACK_MARK] === true) return node as BaselineStack;
    }
    throw new BaselineError(
      scope.node.path || "(root)",
      "this construct is not inside a BaselineStack",
      "create it inside a stack built with `new BaselineStack(app, name, { environment, service, owner, costCenter })`",
    );
  }

  readonly environment: EnvironmentContext;
  readonly service: string;
  readonly mandatoryTags: MandatoryTags;
  readonly provider: AwsProvider;
  readonly stackName: string;
  private readonly names = new Map<string, string>();
  private readonly providers: AwsProvider[] = [];
  private readonly sources: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id);
    Object.defineProperty(this, STACK_MARK, { value: true });
    this.stackName = id;
    const path = this.node.path;
    assertEnvironment(path, props.environment);
    this.environment = props.environment;
    this.service = props.service;
    this.mandatoryTags = {
      Owner: props.owner,
      CostCenter: props.costCenter,
      Environment: props.environment.name,
      Service: props.service,
      DataClassification: props.dataClassification ?? "internal",
      ManagedBy: MANAGED_BY,
      Repository: props.environment.repository,
    };
    const problems = tagProblems(this.mandatoryTags);
    const first = problems[0];
    if (first) throw new BaselineError(path, first[0], first[1]);

    this.provider = this.awsProvider("aws");
    this.recordSource(this);

    if (props.backend !== false) {
      const b = props.backend ?? {};
      const backend = new S3Backend(this, {
        bucket: b.bucket ?? stateBucketName(props.environment),
        key: b.key ?? `stacks/${id}/terraform.tfstate`,
        region: b.region ?? props.environment.region,
        encrypt: true,
      });
      backend.addOverride("use_lockfile", true);
    }

    Aspects.of(this).add(new TagEnforcer(this));
    this.addOverride("//.baseplate", {
      schema: "baseplate/stack-metadata@1",
      stack: id,
      service: props.service,
      environment: {
        name: props.environment.name,
        tier: props.environment.tier,
        account: props.environment.account,
        region: props.environment.region,
      },
      sources: this.sources,
    });
  }

  /**
   * An AWS provider for this stack's account with the mandatory tags as `default_tags`.
   * Use for a second region (e.g. `us-east-1` for CloudFront certificates).
   */
  awsProvider(id: string, region?: string): AwsProvider {
    const provider = new AwsProvider(this, id, {
      region: region ?? this.environment.region,
      allowedAccountIds: [this.environment.account],
      defaultTags: [{ tags: { ...this.mandatoryTags } }],
      ...(id === "aws" ? {} : { alias: id.replace(/[^A-Za-z0-9_]/g, "_") }),
    });
    this.providers.push(provider);
    return provider;
  }

  /** Providers created by this stack with the mandatory default tags. */
  get taggedProviders(): readonly AwsProvider[] {
    return this.providers;
  }

  /**
   * The physical name for a resource of `kind`, `<org>-<env>-<service>-<name>[-attributes]`,
   * within the type's length and charset. Two constructs asking for the same name in one stack
   * is an error, not a silent clash.
   */
  physicalName(scope: IConstruct, kind: NameKind, name: string, attributes: readonly string[] = []): string {
    let result: string;
    try {
      result = this.physicalNameOf(kind, name, attributes);
    } catch (e) {
      throw new BaselineError(
        scope.node.path,
        e instanceof Error ? e.message : String(e),
        `choose a name (or org) that fits the ${kind} naming rule, e.g. letters and digits such as 'invoices'`,
      );
    }
    return this.claimName(scope, kind, result);
  }

  /** The name {@link physicalName} would give, without claiming it (for ARNs of resources named elsewhere). */
  physicalNameOf(kind: NameKind, name: string, attributes: readonly string[] = []): string {
    return formatName(kind, { org: this.environment.org, environment: this.environment.name, service: this.service, name, attributes });
  }

  /**
   * Registers a name computed elsewhere (e.g. {@link stateBucketName}) for `scope`: checks it
   * against the rule for `kind` and against names already used in this stack, and returns it.
   */
  claimName(scope: IConstruct, kind: NameKind, name: string): string {
    const problem = nameProblem(kind, name);
    if (problem !== null) throw new BaselineError(scope.node.path, problem, "use a name that fits the naming rule for this resource type");
    const key = `${kind}:${name}`;
    const owner = this.names.get(key);
    if (owner !== undefined && owner !== scope.node.path) {
      throw new BaselineError(
        scope.node.path,
        `the ${kind} name '${name}' is already used by ${owner}`,
        "give one of the two constructs a different name or attribute",
      );
    }
    this.names.set(key, scope.node.path);
    return name;
  }

  /** The mandatory tags merged with `extra` (mandatory keys cannot be overridden). */
  tags(extra: Record<string, string> = {}): Record<string, string> {
    return { ...extra, ...this.mandatoryTags };
  }

  /** Records the file and line that declared `construct` (called by Baseplate constructs). */
  recordSource(construct: IConstruct): void {
    const location = callerLocation();
    if (location !== null) this.sources[construct.node.path] = location;
  }
}

/** Name of the environment's Terraform state bucket. */
export function stateBucketName(env: EnvironmentContext): string {
  return formatName("s3-bucket", { org: env.org, environment: env.name, service: "platform", name: "tfstate", attributes: [env.account] });
}
