import { Construct } from "constructs";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets/index.js";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import type { SubnetTier } from "./cidr.ts";
import { NETWORK_TAG, SUBNET_TIER_TAG, type IVpcRef } from "./vpc.ts";

/** Props of {@link VpcLookup}. */
export interface VpcLookupProps {
  /** Name the {@link Vpc} was created with (its `name` prop, else its construct id). @default "main" */
  readonly name?: string;
  /** Environment whose VPC to find. @default the stack's environment */
  readonly environment?: string;
}

/**
 * Finds, at plan time, a {@link Vpc} created by another stack of the same environment (the
 * network stack) and exposes it as an {@link IVpcRef}: data sources filter on the tags the `Vpc`
 * writes (`baseplate:network`, `baseplate:subnet-tier`) and on the `Environment` tag. Subnet id
 * lists are references resolved when Terraform plans.
 */
export class VpcLookup extends Construct implements IVpcRef {
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly isolatedSubnetIds: readonly string[];

  constructor(scope: Construct, id: string, props: VpcLookupProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const name = props.name ?? "main";
    const environment = props.environment ?? stack.environment.name;
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new BaselineError(this.node.path, `VPC name '${name}' is invalid`, "pass the name the Vpc construct was created with, e.g. 'main'");
    }
    const vpc = new DataAwsVpc(this, "vpc", {
      filter: [
        { name: `tag:${NETWORK_TAG}`, values: [name] },
        { name: "tag:Environment", values: [environment] },
      ],
    });
    this.vpcId = vpc.id;
    const subnets = (tier: SubnetTier): string[] =>
      new DataAwsSubnets(this, `${tier}-subnets`, {
        filter: [
          { name: "vpc-id", values: [vpc.id] },
          { name: `tag:${SUBNET_TIER_TAG}`, values: [tier] },
        ],
      }).ids;
    this.publicSubnetIds = subnets("public");
    this.privateSubnetIds = subnets("private");
    this.isolatedSubnetIds = subnets("isolated");
  }
}
