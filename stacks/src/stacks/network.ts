import { BaselineStack, Vpc } from "@baseplate/modules";
import type { Construct } from "constructs";
import type { Environment } from "../environments/index.ts";
import { NETWORK_SERVICE } from "./shared.ts";

export interface NetworkStackProps {
  readonly environment: Environment;
}

/**
 * Per environment: the VPC (public, private and isolated subnets across the environment's AZs,
 * NAT by tier, flow logs, the default security group stripped). Service stacks find it with
 * `VpcLookup`, so they need no cross-stack state.
 */
export class NetworkStack extends BaselineStack {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    const env = props.environment;
    super(scope, id, {
      environment: env.context,
      service: NETWORK_SERVICE,
      owner: env.platformOwner,
      costCenter: env.platformCostCenter,
      dataClassification: "internal",
    });
    this.vpc = new Vpc(this, "vpc", { cidr: env.vpcCidr, azCount: env.azCount });
  }
}
