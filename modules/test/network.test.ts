import { describe, expect, it } from "vitest";
import {
  Database,
  formatCidr,
  MANDATORY_TAG_KEYS,
  overlaps,
  parseCidr,
  SecurityGroup,
  subnetLayout,
  Vpc,
  VpcLookup,
  type Ipv4Block,
  type SubnetTier,
} from "../src/index.ts";
import { expectBaselineError, expectMandatoryTags, expectNamesWithinLimits } from "./construct-helpers.ts";
import { makeStack, only, policy, resources, synth, asList } from "./helpers.ts";

const TAGS = {
  Owner: "payments-team",
  CostCenter: "CC-1042",
  Service: "payments-api",
  DataClassification: "internal",
  ManagedBy: "baseplate",
  Repository: "acme/infrastructure",
};

function prodStack() {
  return makeStack({ name: "prod", tier: "prod" }, {}, "payments-api-prod");
}

describe("CIDR layout", () => {
  it("parses, formats and rejects unaligned blocks", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual({ network: 10 * 2 ** 24 + 20 * 2 ** 16, prefix: 16 });
    expect(formatCidr(parseCidr("172.16.8.0/21") as Ipv4Block)).toBe("172.16.8.0/21");
    expect(parseCidr("10.0.0.1/16")).toMatch(/host bits set.*10\.0\.0\.0\/16/);
    expect(parseCidr("10.0.0.0/33")).toMatch(/not a valid/);
    expect(parseCidr("ten/8")).toMatch(/not an IPv4 CIDR/);
  });

  it("splits every VPC size into nine disjoint subnets inside the block", () => {
    for (const prefix of [16, 18, 20, 22]) {
      const vpc = parseCidr(`10.0.0.0/${prefix}`) as Ipv4Block;
      const blocks: Ipv4Block[] = [];
      for (const tier of ["public", "private", "isolated"] as SubnetTier[]) {
        for (let az = 0; az < 3; az++) blocks.push(subnetLayout(vpc, az, tier));
      }
      for (const b of blocks) {
        expect(b.network).toBeGreaterThanOrEqual(vpc.network);
        expect(b.network + 2 ** (32 - b.prefix)).toBeLessThanOrEqual(vpc.network + 2 ** (32 - vpc.prefix));
      }
      for (let i = 0; i < blocks.length; i++) {
        for (let j = i + 1; j < blocks.length; j++) expect(overlaps(blocks[i] as Ipv4Block, blocks[j] as Ipv4Block)).toBe(false);
      }
    }
  });
});

describe("Vpc", () => {
  it("dev: two AZs, one NAT gateway, deterministic subnets, DNS on", () => {
    const stack = makeStack();
    new Vpc(stack, "main", { cidr: "10.20.0.0/16" });
    const s = synth(stack);
    const vpc = only(s, "aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.20.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    const subnets = resources(s, "aws_subnet");
    expect(subnets).toHaveLength(6);
    const byTier = (tier: string) =>
      subnets.filter((x) => (x["tags"] as Record<string, string>)["baseplate:subnet-tier"] === tier).map((x) => [x["availability_zone"], x["cidr_block"]]);
    expect(byTier("private")).toEqual([
      ["eu-west-1a", "10.20.0.0/18"],
      ["eu-west-1b", "10.20.64.0/18"],
    ]);
    expect(byTier("public")).toEqual([
      ["eu-west-1a", "10.20.192.0/21"],
      ["eu-west-1b", "10.20.200.0/21"],
    ]);
    expect(byTier("isolated")).toEqual([
      ["eu-west-1a", "10.20.224.0/21"],
      ["eu-west-1b", "10.20.232.0/21"],
    ]);
    expect(subnets.every((x) => x["map_public_ip_on_launch"] === false)).toBe(true);
    expect(resources(s, "aws_nat_gateway")).toHaveLength(1);
    expect(resources(s, "aws_eip")).toHaveLength(1);
    expect(resources(s, "aws_internet_gateway")).toHaveLength(1);
    // public table, two private tables, one isolated table
    expect(resources(s, "aws_route_table")).toHaveLength(4);
    const routes = resources(s, "aws_route");
    expect(routes.filter((r) => typeof r["gateway_id"] === "string")).toHaveLength(1);
    const natRoutes = routes.filter((r) => typeof r["nat_gateway_id"] === "string");
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => r["nat_gateway_id"])).size).toBe(1);
    expect(resources(s, "aws_route_table_association")).toHaveLength(6);
  });

  it("prod: three AZs and one NAT gateway per AZ, each private subnet routed to its own", () => {
    const stack = prodStack();
    new Vpc(stack, "main");
    const s = synth(stack);
    expect(resources(s, "aws_subnet")).toHaveLength(9);
    expect(resources(s, "aws_nat_gateway")).toHaveLength(3);
    const natRoutes = resources(s, "aws_route").filter((r) => typeof r["nat_gateway_id"] === "string");
    expect(new Set(natRoutes.map((r) => r["nat_gateway_id"])).size).toBe(3);
    const azs = resources(s, "aws_subnet").map((x) => x["availability_zone"]);
    expect(new Set(azs)).toEqual(new Set(["eu-west-1a", "eu-west-1b", "eu-west-1c"]));
  });

  it("isolated subnets have no route out", () => {
    const stack = makeStack();
    new Vpc(stack, "main");
    const s = synth(stack);
    const tables = s.resource["aws_route_table"] ?? {};
    const isolatedId = Object.keys(tables).find((k) => k.includes("isolated"));
    expect(isolatedId).toBeDefined();
    const ref = `\${aws_route_table.${isolatedId}.id}`;
    expect(resources(s, "aws_route").filter((r) => r["route_table_id"] === ref)).toHaveLength(0);
    expect(resources(s, "aws_route_table_association").filter((a) => a["route_table_id"] === ref)).toHaveLength(2);
  });

  it("adds S3 and DynamoDB gateway endpoints to the private and isolated route tables", () => {
    const stack = makeStack();
    new Vpc(stack, "main");
    const s = synth(stack);
    const endpoints = resources(s, "aws_vpc_endpoint");
    expect(endpoints.map((e) => `${String(e["service_name"])} ${String(e["vpc_endpoint_type"])}`).sort()).toEqual([
      "com.amazonaws.eu-west-1.dynamodb Gateway",
      "com.amazonaws.eu-west-1.s3 Gateway",
    ]);
    const tables = Object.keys(s.resource["aws_route_table"] ?? {});
    const expected = tables.filter((k) => !k.includes("public")).map((k) => `\${aws_route_table.${k}.id}`).sort();
    for (const e of endpoints) expect([...(e["route_table_ids"] as string[])].sort()).toEqual(expected);
    const none = makeStack();
    new Vpc(none, "main", { gatewayEndpoints: false });
    expect(resources(synth(none), "aws_vpc_endpoint")).toHaveLength(0);
  });

  it("adopts the default security group with no rules", () => {
    const stack = makeStack();
    new Vpc(stack, "main");
    const sg = only(synth(stack), "aws_default_security_group");
    expect(sg["ingress"]).toBeUndefined();
    expect(sg["egress"]).toBeUndefined();
    expect(sg["vpc_id"]).toMatch(/^\$\{aws_vpc\./);
  });

  it("sends flow logs to an encrypted log group through a role scoped to that log group", () => {
    const stack = prodStack();
    new Vpc(stack, "main");
    const s = synth(stack);
    const flow = only(s, "aws_flow_log");
    expect(flow).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const logGroups = s.resource["aws_cloudwatch_log_group"] ?? {};
    const [lgId, lg] = Object.entries(logGroups)[0] ?? [];
    expect(flow["log_destination"]).toBe(`\${aws_cloudwatch_log_group.${lgId}.arn}`);
    expect(lg?.["retention_in_days"]).toBe(365);
    expect(lg?.["kms_key_id"]).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    const role = only(s, "aws_iam_role");
    const trust = policy(role["assume_role_policy"]);
    expect(trust.Statement[0]?.Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(trust.Statement[0]?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    expect(role["permissions_boundary"]).toMatch(/^arn:aws:iam::123456789012:policy\//);
    const doc = policy(only(s, "aws_iam_role_policy")["policy"]);
    expect(doc.Statement).toHaveLength(1);
    expect(asList(doc.Statement[0]?.Action)).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    expect(asList(doc.Statement[0]?.Resource)).toEqual([`\${aws_cloudwatch_log_group.${lgId}.arn}:*`]);
    // The logs key is opened to CloudWatch Logs of this account and region only.
    const key = policy(only(s, "aws_kms_key")["policy"]);
    const logsUse = key.Statement.find((st) => st.Sid === "CloudWatchLogsUse");
    expect(logsUse?.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
  });

  it("dev flow logs keep 30 days", () => {
    const stack = makeStack();
    new Vpc(stack, "main");
    expect(only(synth(stack), "aws_cloudwatch_log_group")["retention_in_days"]).toBe(30);
  });

  it("tags every taggable resource with the mandatory tags and keeps names within limits", () => {
    const stack = prodStack();
    new Vpc(stack, "main");
    const s = synth(stack);
    expect(expectMandatoryTags(s, { ...TAGS, Environment: "prod" })).toBeGreaterThan(20);
    expect(expectNamesWithinLimits(s)).toBeGreaterThan(2);
    expect(MANDATORY_TAG_KEYS.length).toBe(7);
  });

  it("refuses bad CIDRs and AZ settings with the path and the fix", () => {
    expectBaselineError(() => new Vpc(makeStack(), "main", { cidr: "10.0.0.0/24" }), "payments-api-dev/main", /prefix \/24/, /\/16 to \/22/);
    expectBaselineError(() => new Vpc(makeStack(), "main", { cidr: "10.0.0.5/16" }), "payments-api-dev/main", /host bits/, /aligned IPv4 block/);
    expectBaselineError(() => new Vpc(makeStack(), "main", { azCount: 4 }), "payments-api-dev/main", /4 availability zones/, /2 or 3/);
    expectBaselineError(
      () => new Vpc(makeStack(), "main", { availabilityZones: ["eu-west-1a", "us-east-1a"] }),
      "payments-api-dev/main",
      /us-east-1a is not in the stack's region/,
      /eu-west-1a/,
    );
  });
});

describe("SecurityGroup", () => {
  it("refuses SSH from the world, naming the path and the fix", () => {
    const stack = makeStack();
    const sg = new SecurityGroup(stack, "bastion", { vpcId: "vpc-123" });
    expectBaselineError(() => sg.allowFromCidr("0.0.0.0/0", 22, "ssh"), "payments-api-dev/bastion", /world \(0\.0\.0\.0\/0\) on port 22 .*administration port/, /SSM Session Manager/);
    expectBaselineError(() => sg.allowFromCidr("::/0", { from: 20, to: 30 }, "ssh range"), "payments-api-dev/bastion", /ports 20-30/, /never open these ports/);
  });

  it("refuses SSH, RDP and database ports from the world even on a public load balancer group", () => {
    const stack = makeStack();
    const lb = new SecurityGroup(stack, "lb", { vpcId: "vpc-123", publicLoadBalancer: true });
    for (const port of [22, 3389, 5432, 3306]) {
      expectBaselineError(() => lb.allowFromCidr("0.0.0.0/0", port, "x"), "payments-api-dev/lb", new RegExp(`port ${port}`), /never open these ports/);
    }
    expectBaselineError(() => lb.allowFromCidr("0.0.0.0/0", 8080, "x"), "payments-api-dev/lb", /only TCP 80 and 443/, /open only port 443/);
    expectBaselineError(() => lb.allowFromCidr("0.0.0.0/0", { from: 80, to: 443 }, "x"), "payments-api-dev/lb", /ports 80-443/, /open only port 443/);
  });

  it("refuses world-open 443 on a group that is not a public load balancer group", () => {
    const stack = makeStack();
    const sg = new SecurityGroup(stack, "app", { vpcId: "vpc-123" });
    expectBaselineError(
      () => sg.allowFromCidr("0.0.0.0/0", 443, "https"),
      "payments-api-dev/app",
      /world \(0\.0\.0\.0\/0\) on port 443 is not allowed on a group that is not a public load balancer group/,
      /publicLoadBalancer: true/,
    );
    expectBaselineError(() => sg.allowFromCidr("::/0", 443, "https"), "payments-api-dev/app", /::\/0/, /publicLoadBalancer: true/);
  });

  it("allows 80 and 443 from the world on a public load balancer group, and peers and private CIDRs anywhere", () => {
    const stack = makeStack();
    const lb = new SecurityGroup(stack, "lb", { vpcId: "vpc-123", publicLoadBalancer: true, allowAllOutbound: false });
    const app = new SecurityGroup(stack, "app", { vpcId: "vpc-123" });
    lb.allowFromCidr("0.0.0.0/0", 443, "HTTPS from the internet");
    lb.allowFromCidr("::/0", 80, "HTTP from the internet");
    lb.allowTo(app, 8080);
    app.allowFrom(lb, 8080);
    app.allowFrom(lb, 8080); // idempotent
    app.allowFromCidr("10.0.0.0/8", 22, "SSH from the corporate network");
    const s = synth(stack);
    const ingress = resources(s, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toHaveLength(4);
    expect(ingress.filter((r) => r["cidr_ipv4"] === "0.0.0.0/0").map((r) => r["from_port"])).toEqual([443]);
    expect(ingress.filter((r) => r["cidr_ipv6"] === "::/0").map((r) => r["from_port"])).toEqual([80]);
    const peer = ingress.filter((r) => typeof r["referenced_security_group_id"] === "string");
    expect(peer).toHaveLength(1);
    expect(peer[0]).toMatchObject({ ip_protocol: "tcp", from_port: 8080, to_port: 8080 });
    const egress = resources(s, "aws_vpc_security_group_egress_rule");
    // lb: only to app; app: all outbound
    expect(egress).toHaveLength(2);
    expect(egress.filter((r) => r["cidr_ipv4"] === "0.0.0.0/0")).toHaveLength(1);
    const groups = resources(s, "aws_security_group");
    expect(groups.every((g) => g["ingress"] === undefined && g["egress"] === undefined)).toBe(true);
    expect(groups.map((g) => g["name"]).sort()).toEqual(["acme-dev-payments-api-app", "acme-dev-payments-api-lb"]);
  });

  it("refuses invalid ports and empty descriptions", () => {
    const sg = new SecurityGroup(makeStack(), "app", { vpcId: "vpc-123" });
    expectBaselineError(() => sg.allowFromCidr("10.0.0.0/8", 70000, "x"), "payments-api-dev/app", /not a TCP port/, /0-65535/);
    expectBaselineError(() => sg.allowFromCidr("10.0.0.0/8", 443, " "), "payments-api-dev/app", /no description/, /who or what connects/);
  });
});

describe("SecurityGroup descriptions", () => {
  it("refuses descriptions EC2 would reject", () => {
    const sg = new SecurityGroup(makeStack(), "app", { vpcId: "vpc-123" });
    expectBaselineError(() => sg.allowFromCidr("10.0.0.0/8", 443, "from the office's VPN"), "payments-api-dev/app", /uses characters AWS refuses/, /letters, digits, spaces/);
    expectBaselineError(() => new SecurityGroup(makeStack(), "g", { vpcId: "vpc-1", description: "é" }), "payments-api-dev/g", /uses characters AWS refuses/, /letters, digits/);
  });
});

describe("VpcLookup", () => {
  it("finds the environment's VPC and subnets by the tags Vpc writes, usable by other constructs", () => {
    const network = makeStack();
    new Vpc(network, "main");
    const written = synth(network);
    expect(only(written, "aws_vpc")["tags"]).toMatchObject({ "baseplate:network": "main" });
    for (const subnet of resources(written, "aws_subnet")) expect(subnet["tags"]).toMatchObject({ "baseplate:network": "main" });

    const stack = makeStack({}, {}, "ledger-dev");
    const vpc = new VpcLookup(stack, "network");
    new Database(stack, "ledger", { vpc, alarms: false });
    const s = synth(stack);
    const vpcs = Object.entries(s.data?.["aws_vpc"] ?? {});
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0]?.[1]["filter"]).toEqual([
      { name: "tag:baseplate:network", values: ["main"] },
      { name: "tag:Environment", values: ["dev"] },
    ]);
    const isolated = Object.keys(s.data?.["aws_subnets"] ?? {}).find((k) => k.includes("isolated"));
    const subnetData = (s.data?.["aws_subnets"] ?? {})[isolated ?? ""];
    expect(subnetData?.["filter"]).toEqual([
      { name: "vpc-id", values: [`\${data.aws_vpc.${vpcs[0]?.[0]}.id}`] },
      { name: "tag:baseplate:subnet-tier", values: ["isolated"] },
    ]);
    expect(only(s, "aws_db_subnet_group")["subnet_ids"]).toBe(`\${data.aws_subnets.${isolated}.ids}`);
    expect(only(s, "aws_security_group")["vpc_id"]).toBe(`\${data.aws_vpc.${vpcs[0]?.[0]}.id}`);
  });
});
