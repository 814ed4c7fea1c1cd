import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group/index.js";
import { Eip } from "@cdktf/provider-aws/lib/eip/index.js";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway/index.js";
import { Route } from "@cdktf/provider-aws/lib/route/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint/index.js";
import type { Tier } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { ServiceRole } from "../iam/service-role.ts";
import { LogGroup } from "../observability/log-group.ts";
import { formatCidr, MAX_AZS, parseCidr, subnetLayout, type Ipv4Block, type SubnetTier } from "./cidr.ts";

/** How many NAT gateways a VPC gets. */
export type NatGatewayMode = "single" | "per-az";

/** Props of {@link Vpc}. */
export interface VpcProps {
  /** Short name of the VPC, part of its `Name` tag. @default the construct id */
  readonly name?: string;
  /** IPv4 block of the VPC, prefix /16 to /22, split deterministically into subnets. @default "10.0.0.0/16" */
  readonly cidr?: string;
  /** Number of availability zones (2 or 3). @default 2 in dev and stage, 3 in prod */
  readonly azCount?: number;
  /**
   * Availability zone names, in order. @default the first `azCount` of `<region>a`, `<region>b`, `<region>c`
   */
  readonly availabilityZones?: readonly string[];
  /** One NAT gateway for the VPC or one per AZ. @default "single" in dev and stage, "per-az" in prod */
  readonly natGateways?: NatGatewayMode;
  /**
   * Gateway endpoints for S3 and DynamoDB on the private and isolated route tables: free, and
   * that traffic stays off the NAT gateways and the internet.
   * @default true
   */
  readonly gatewayEndpoints?: boolean;
  /** Traffic the flow log records. @default "ALL" */
  readonly flowLogTrafficType?: "ALL" | "REJECT" | "ACCEPT";
  /** Flow log retention in days. @default the tier's log retention (dev 30, stage 90, prod 365) */
  readonly flowLogRetentionDays?: number;
}

/** One subnet of a {@link Vpc}. */
export interface VpcSubnet {
  /** Subnet tier. */
  readonly tier: SubnetTier;
  /** Availability zone. */
  readonly availabilityZone: string;
  /** IPv4 block. */
  readonly cidr: string;
  /** Subnet id. */
  readonly subnetId: string;
  /** The underlying `aws_subnet`. */
  readonly resource: Subnet;
}

/**
 * The parts of a VPC other constructs need. A {@link Vpc} is one; so is a plain object built from
 * another stack's outputs or data sources.
 */
export interface IVpcRef {
  /** VPC id. */
  readonly vpcId: string;
  /** Public subnet ids (load balancers, NAT gateways), one per AZ. */
  readonly publicSubnetIds: readonly string[];
  /** Private subnet ids (services; egress through NAT), one per AZ. */
  readonly privateSubnetIds: readonly string[];
  /** Isolated subnet ids (databases; no route out), one per AZ. */
  readonly isolatedSubnetIds: readonly string[];
}

/** Tag carrying the VPC's name on the VPC and its subnets (read by {@link VpcLookup}). */
export const NETWORK_TAG = "baseplate:network";
/** Tag carrying a subnet's tier. */
export const SUBNET_TIER_TAG = "baseplate:subnet-tier";

/** Default AZ count by tier. */
export const VPC_AZ_COUNT: Readonly<Record<Tier, number>> = { dev: 2, stage: 2, prod: 3 };
/** Default NAT gateway mode by tier. */
export const VPC_NAT_MODE: Readonly<Record<Tier, NatGatewayMode>> = { dev: "single", stage: "single", prod: "per-az" };

const AZ_LETTERS = ["a", "b", "c"] as const;

/** The VPC's block, checked (aligned, /16 to /22). */
function parseBlock(path: string, cidr: string): Ipv4Block {
  const block = parseCidr(cidr);
  if (typeof block === "string") throw new BaselineError(path, `cidr ${block}`, "use an aligned IPv4 block such as 10.20.0.0/16");
  if (block.prefix < 16 || block.prefix > 22) {
    throw new BaselineError(path, `cidr ${cidr} has prefix /${block.prefix}`, "use a VPC block from /16 to /22 (AWS allows /16 at most; below /22 the subnets get too small)");
  }
  return block;
}

/** The availability zones, checked: 2 or 3, in the stack's region, each once, agreeing with azCount. */
function parseZones(path: string, region: string, tier: Tier, props: VpcProps): string[] {
  const azCount = props.availabilityZones?.length ?? props.azCount ?? VPC_AZ_COUNT[tier];
  if (!Number.isInteger(azCount) || azCount < 2 || azCount > MAX_AZS) {
    throw new BaselineError(path, `${azCount} availability zones requested`, `use 2 or ${MAX_AZS} availability zones`);
  }
  const azs = props.availabilityZones ? [...props.availabilityZones] : AZ_LETTERS.slice(0, azCount).map((l) => `${region}${l}`);
  const foreign = azs.find((az) => !az.startsWith(region));
  if (foreign !== undefined) {
    throw new BaselineError(path, `availability zone ${foreign} is not in the stack's region ${region}`, `name zones of ${region}, e.g. ${region}a`);
  }
  if (new Set(azs).size !== azs.length) throw new BaselineError(path, `availability zones ${azs.join(", ")} repeat a zone`, "name each zone once");
  if (props.azCount !== undefined && props.availabilityZones && props.azCount !== props.availabilityZones.length) {
    throw new BaselineError(path, `azCount ${props.azCount} disagrees with ${props.availabilityZones.length} availability zones`, "set one of azCount and availabilityZones");
  }
  return azs;
}

/**
 * A VPC with public, private and isolated subnets across 2-3 AZs, an internet gateway, NAT
 * gateways (one in dev and stage, one per AZ in prod), route tables, S3 and DynamoDB gateway
 * endpoints, flow logs to an encrypted log group, and the default security group adopted with
 * no rules.
 *
 * - public subnets route to the internet gateway (load balancers, NAT gateways);
 * - private subnets route to a NAT gateway (services);
 * - isolated subnets have no route out (databases).
 */
export class Vpc extends Construct implements IVpcRef {
  /** The underlying `aws_vpc`. */
  readonly resource: AwsVpc;
  /** VPC id. */
  readonly vpcId: string;
  /** VPC IPv4 block. */
  readonly cidr: string;
  /** Availability zones, in order. */
  readonly availabilityZones: readonly string[];
  /** Public subnets, one per AZ. */
  readonly publicSubnets: readonly VpcSubnet[];
  /** Private subnets (egress through NAT), one per AZ. */
  readonly privateSubnets: readonly VpcSubnet[];
  /** Isolated subnets (no route out), one per AZ. */
  readonly isolatedSubnets: readonly VpcSubnet[];
  /** NAT gateways. */
  readonly natGateways: readonly NatGateway[];
  /** The flow log's log group. */
  readonly flowLogGroup: LogGroup;
  /** The `aws_flow_log`. */
  readonly flowLog: FlowLog;

  /** The VPC's short name, in its tags and its parts' names. */
  private readonly networkName: string;

  constructor(scope: Construct, id: string, props: VpcProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const tier = stack.environment.tier;
    const cidr = props.cidr ?? "10.0.0.0/16";
    const block = parseBlock(this.node.path, cidr);
    this.availabilityZones = parseZones(this.node.path, stack.environment.region, tier, props);
    this.cidr = cidr;
    this.networkName = props.name ?? id;

    this.resource = new AwsVpc(this, "vpc", {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: this.label("vpc"), [NETWORK_TAG]: this.networkName },
    });
    this.vpcId = this.resource.id;
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: this.label("default-deny") },
    });
    const igw = new InternetGateway(this, "internet-gateway", { vpcId: this.vpcId, tags: { Name: this.label("igw") } });

    this.publicSubnets = this.createSubnets(block, "public");
    this.privateSubnets = this.createSubnets(block, "private");
    this.isolatedSubnets = this.createSubnets(block, "isolated");
    this.routePublic(igw);
    this.natGateways = this.createNatGateways(igw, props.natGateways ?? VPC_NAT_MODE[tier]);
    const innerTables = [...this.routePrivate(), this.routeIsolated()];
    if (props.gatewayEndpoints ?? true) this.createGatewayEndpoints(stack.environment.region, innerTables);

    // Flow logs to an encrypted log group, written by a role scoped to that log group.
    this.flowLogGroup = new LogGroup(this, "flow-logs", {
      name: `${this.networkName}-flow-logs`,
      ...(props.flowLogRetentionDays === undefined ? {} : { retentionDays: props.flowLogRetentionDays }),
    });
    this.flowLog = this.createFlowLog(props.flowLogTrafficType ?? "ALL");
  }

  /** A `Name` tag value: the naming convention's name of this VPC with `attributes`. */
  private label(...attributes: string[]): string {
    return BaselineStack.of(this).physicalName(this, "generic", this.networkName, attributes);
  }

  /** One subnet of `tierName` per AZ, its block from the deterministic layout. */
  private createSubnets(block: Ipv4Block, tierName: SubnetTier): VpcSubnet[] {
    return this.availabilityZones.map((az, i) => {
      const subnetCidr = formatCidr(subnetLayout(block, i, tierName));
      const resource = new Subnet(this, `${tierName}-${i}`, {
        vpcId: this.vpcId,
        availabilityZone: az,
        cidrBlock: subnetCidr,
        mapPublicIpOnLaunch: false,
        tags: { Name: this.label(tierName, az), [NETWORK_TAG]: this.networkName, [SUBNET_TIER_TAG]: tierName },
      });
      return { tier: tierName, availabilityZone: az, cidr: subnetCidr, subnetId: resource.id, resource };
    });
  }

  /** Public: one route table with the default route to the internet gateway. */
  private routePublic(igw: InternetGateway): void {
    const table = new RouteTable(this, "public-routes", { vpcId: this.vpcId, tags: { Name: this.label("public") } });
    new Route(this, "public-default-route", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    this.publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public-${i}-routes`, { routeTableId: table.id, subnetId: s.subnetId }));
  }

  /** NAT gateways in the public subnets: one, or one per AZ. */
  private createNatGateways(igw: InternetGateway, mode: NatGatewayMode): NatGateway[] {
    const count = mode === "per-az" ? this.availabilityZones.length : 1;
    const nats: NatGateway[] = [];
    for (let i = 0; i < count; i++) {
      const subnet = this.publicSubnets[i];
      if (!subnet) break;
      const eip = new Eip(this, `nat-${i}-eip`, { domain: "vpc", tags: { Name: this.label("nat", subnet.availabilityZone) }, dependsOn: [igw] });
      nats.push(
        new NatGateway(this, `nat-${i}`, {
          allocationId: eip.allocationId,
          subnetId: subnet.subnetId,
          tags: { Name: this.label("nat", subnet.availabilityZone) },
          dependsOn: [igw],
        }),
      );
    }
    return nats;
  }

  /** Private: one route table per AZ, default route to that AZ's NAT (or the single NAT). */
  private routePrivate(): RouteTable[] {
    const nats = this.natGateways;
    return this.privateSubnets.map((s, i) => {
      const table = new RouteTable(this, `private-${i}-route-table`, { vpcId: this.vpcId, tags: { Name: this.label("private", s.availabilityZone) } });
      const nat = nats[Math.min(i, nats.length - 1)];
      if (nat) new Route(this, `private-${i}-default-route`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-${i}-routes`, { routeTableId: table.id, subnetId: s.subnetId });
      return table;
    });
  }

  /** Isolated: one route table, local routes only. */
  private routeIsolated(): RouteTable {
    const table = new RouteTable(this, "isolated-routes", { vpcId: this.vpcId, tags: { Name: this.label("isolated") } });
    this.isolatedSubnets.forEach((s, i) => new RouteTableAssociation(this, `isolated-${i}-routes`, { routeTableId: table.id, subnetId: s.subnetId }));
    return table;
  }

  /** S3 and DynamoDB gateway endpoints on the private and isolated route tables. */
  private createGatewayEndpoints(region: string, tables: readonly RouteTable[]): void {
    for (const service of ["s3", "dynamodb"]) {
      new VpcEndpoint(this, `${service}-endpoint`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: tables.map((t) => t.id),
        tags: { Name: this.label(service, "endpoint") },
      });
    }
  }

  /** The flow log, written by a role that may write only to its log group. */
  private createFlowLog(trafficType: "ALL" | "REJECT" | "ACCEPT"): FlowLog {
    const role = new ServiceRole(this, "flow-log-role", {
      name: `${this.networkName}-flow-logs`,
      description: `VPC flow logs of ${this.node.path} write to their log group`,
      servicePrincipal: "vpc-flow-logs.amazonaws.com",
    });
    this.flowLogGroup.grantWrite(role);
    return new FlowLog(this, "flow-log", {
      vpcId: this.vpcId,
      trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.logGroupArn,
      iamRoleArn: role.roleArn,
      maxAggregationInterval: 60,
      tags: { Name: this.label("flow-log") },
    });
  }

  get publicSubnetIds(): readonly string[] {
    return this.publicSubnets.map((s) => s.subnetId);
  }

  get privateSubnetIds(): readonly string[] {
    return this.privateSubnets.map((s) => s.subnetId);
  }

  get isolatedSubnetIds(): readonly string[] {
    return this.isolatedSubnets.map((s) => s.subnetId);
  }
}
