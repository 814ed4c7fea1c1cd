import { Token } from "../engine/index.ts";
import { Construct } from "constructs";
import { SecurityGroup as AwsSecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { shortHash } from "../baseline/naming.ts";
import { BaselineStack } from "../baseline/stack.ts";

/** Remote administration ports: never reachable from the world. */
export const ADMIN_PORTS: readonly number[] = [22, 3389];
/** Database and data-store ports: never reachable from the world. */
export const DATABASE_PORTS: readonly number[] = [3306, 5432, 1433, 1521, 5439, 6379, 27017, 9200];
/** The only ports a public load balancer group may open to the world. */
export const PUBLIC_WEB_PORTS: readonly number[] = [80, 443];

/** A TCP port or an inclusive TCP port range. */
export type Port = number | { readonly from: number; readonly to: number };

/** Anything with a security group id: a {@link SecurityGroup} or an existing group. */
export interface ISecurityGroupRef {
  /** The security group id (`sg-...` or a reference). */
  readonly securityGroupId: string;
}

/** Props of {@link SecurityGroup}. */
export interface SecurityGroupProps {
  /** Id of the VPC the group belongs to. */
  readonly vpcId: string;
  /** Short name of the group, part of its physical name. @default the construct id */
  readonly name?: string;
  /** What the group is for, shown in the console. @default "Baseplate security group <construct path>" */
  readonly description?: string;
  /**
   * Marks the group as the security group of an internet-facing load balancer: only then may
   * TCP 80 and 443 be opened to 0.0.0.0/0 and ::/0. Administration and database ports stay closed
   * to the world regardless.
   * @default false
   */
  readonly publicLoadBalancer?: boolean;
  /**
   * Allow all outbound traffic. Set to `false` and use {@link SecurityGroup.allowTo} for groups
   * that only talk to known peers (databases, load balancers).
   * @default true
   */
  readonly allowAllOutbound?: boolean;
}

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
/** Characters EC2 accepts in security group and rule descriptions. */
const RULE_DESCRIPTION = /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

function isWorld(cidr: string): boolean {
  if (WORLD.has(cidr)) return true;
  // Any prefix length of zero is the whole address space, whatever the address part says.
  return /\/0+$/.test(cidr.trim());
}

function range(port: Port): { from: number; to: number } {
  return typeof port === "number" ? { from: port, to: port } : { from: port.from, to: port.to };
}

function describePort(port: Port): string {
  const r = range(port);
  return r.from === r.to ? `port ${r.from}` : `ports ${r.from}-${r.to}`;
}

function portKey(port: Port): string {
  const r = range(port);
  return r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
}

/**
 * A VPC security group whose rules are added through checked helpers. Ingress from the world is
 * refused at construction except TCP 80 and 443 on a group marked as a public load balancer
 * group; administration (22, 3389) and database ports are never opened to the world.
 */
export class SecurityGroup extends Construct implements ISecurityGroupRef {
  /** The underlying `aws_security_group`. */
  readonly resource: AwsSecurityGroup;
  /** The security group id. */
  readonly securityGroupId: string;
  /** True for a public load balancer group. */
  readonly publicLoadBalancer: boolean;
  private readonly rules = new Map<string, VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule>();

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    this.publicLoadBalancer = props.publicLoadBalancer ?? false;
    const name = stack.physicalName(this, "security-group", props.name ?? id);
    const description = props.description ?? `Baseplate security group ${this.node.path}`.replace(/[^A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, "-").slice(0, 255);
    this.checkDescription(description);
    this.resource = new AwsSecurityGroup(this, "group", {
      name,
      description,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: name },
    });
    this.securityGroupId = this.resource.id;
    if (props.allowAllOutbound ?? true) {
      this.rules.set("egress-all-v4", new VpcSecurityGroupEgressRule(this, "egress-all-v4", {
        securityGroupId: this.securityGroupId,
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        description: "All outbound traffic",
      }));
    }
  }

  /**
   * Allows TCP `port` from members of `peer`. Calling it twice with the same peer and port is a
   * no-op.
   */
  allowFrom(peer: ISecurityGroupRef, port: Port, description?: string): VpcSecurityGroupIngressRule {
    this.checkPort(port);
    if (description !== undefined) this.checkDescription(description);
    const key = `ingress-sg-${this.peerKey(peer)}-${portKey(port)}`;
    const existing = this.rules.get(key);
    if (existing instanceof VpcSecurityGroupIngressRule) return existing;
    const r = range(port);
    const rule = new VpcSecurityGroupIngressRule(this, key, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: peer.securityGroupId,
      ipProtocol: "tcp",
      fromPort: r.from,
      toPort: r.to,
      description: description ?? `TCP ${describePort(port)} from a peer security group`,
    });
    this.rules.set(key, rule);
    return rule;
  }

  /**
   * Allows TCP `port` from a CIDR block (IPv4 or IPv6). The world (`0.0.0.0/0`, `::/0`) is refused
   * unless this is a public load balancer group and the port is 80 or 443; administration and
   * database ports are refused from the world always.
   */
  allowFromCidr(cidr: string, port: Port, description: string): VpcSecurityGroupIngressRule {
    this.checkPort(port);
    if (!description.trim()) {
      throw new BaselineError(this.node.path, `ingress from ${cidr} has no description`, "say who or what connects from that CIDR block");
    }
    this.checkDescription(description);
    if (!Token.isUnresolved(cidr) && isWorld(cidr)) this.checkWorld(cidr, port);
    const ipv6 = cidr.includes(":");
    const key = `ingress-cidr-${Token.isUnresolved(cidr) ? shortHash(`${this.rules.size}`) : cidr.replace(/[^A-Za-z0-9]/g, "_")}-${portKey(port)}`;
    const existing = this.rules.get(key);
    if (existing instanceof VpcSecurityGroupIngressRule) return existing;
    const r = range(port);
    const rule = new VpcSecurityGroupIngressRule(this, key, {
      securityGroupId: this.securityGroupId,
      ...(ipv6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
      ipProtocol: "tcp",
      fromPort: r.from,
      toPort: r.to,
      description,
    });
    this.rules.set(key, rule);
    return rule;
  }

  /** Allows outbound TCP `port` to members of `peer` (for groups created with `allowAllOutbound: false`). */
  allowTo(peer: ISecurityGroupRef, port: Port, description?: string): VpcSecurityGroupEgressRule {
    this.checkPort(port);
    if (description !== undefined) this.checkDescription(description);
    const key = `egress-sg-${this.peerKey(peer)}-${portKey(port)}`;
    const existing = this.rules.get(key);
    if (existing instanceof VpcSecurityGroupEgressRule) return existing;
    const r = range(port);
    const rule = new VpcSecurityGroupEgressRule(this, key, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: peer.securityGroupId,
      ipProtocol: "tcp",
      fromPort: r.from,
      toPort: r.to,
      description: description ?? `TCP ${describePort(port)} to a peer security group`,
    });
    this.rules.set(key, rule);
    return rule;
  }

  private peerKey(peer: ISecurityGroupRef): string {
    if (peer instanceof SecurityGroup) return shortHash(peer.node.path);
    if (!Token.isUnresolved(peer.securityGroupId)) return peer.securityGroupId.replace(/[^A-Za-z0-9]/g, "_");
    return shortHash(`${this.rules.size}:${peer.securityGroupId}`);
  }

  private checkDescription(description: string): void {
    if (!RULE_DESCRIPTION.test(description)) {
      throw new BaselineError(
        this.node.path,
        `rule description ${JSON.stringify(description)} is longer than 255 characters or uses characters AWS refuses`,
        "use letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ * only",
      );
    }
  }

  private checkPort(port: Port): void {
    const r = range(port);
    const valid = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65535;
    if (!valid(r.from) || !valid(r.to) || r.from > r.to) {
      throw new BaselineError(this.node.path, `${JSON.stringify(port)} is not a TCP port or port range`, "use a port 0-65535 or { from, to } with from <= to");
    }
  }

  private checkWorld(cidr: string, port: Port): void {
    const r = range(port);
    const forbidden = [...ADMIN_PORTS, ...DATABASE_PORTS].filter((p) => p >= r.from && p <= r.to);
    if (forbidden.length > 0) {
      const what = forbidden.some((p) => ADMIN_PORTS.includes(p)) ? "an administration port" : "a database port";
      throw new BaselineError(
        this.node.path,
        `ingress from the world (${cidr}) on ${describePort(port)} would expose ${what} (${forbidden.join(", ")})`,
        "reach instances through SSM Session Manager and databases through allowFrom(applicationSecurityGroup, port); never open these ports to 0.0.0.0/0 or ::/0",
      );
    }
    if (!this.publicLoadBalancer) {
      throw new BaselineError(
        this.node.path,
        `ingress from the world (${cidr}) on ${describePort(port)} is not allowed on a group that is not a public load balancer group`,
        "restrict the source to known CIDR blocks or use allowFrom(peerSecurityGroup, port); for an internet-facing load balancer create the group with publicLoadBalancer: true and open only 80 or 443",
      );
    }
    if (!(r.from === r.to && PUBLIC_WEB_PORTS.includes(r.from))) {
      throw new BaselineError(
        this.node.path,
        `ingress from the world (${cidr}) on ${describePort(port)} is not allowed; a public load balancer group may open only TCP 80 and 443`,
        "open only port 443 (and 80 for the HTTPS redirect) to the world and reach other ports from peer security groups",
      );
    }
  }
}
