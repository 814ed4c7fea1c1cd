/**
 * IPv4 CIDR arithmetic for deterministic subnet layouts. Pure functions; no tokens.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a problem string instead when it is not an aligned IPv4 block. */
export function parseCidr(cidr: string): Ipv4Block | string {
  const m = CIDR.exec(cidr);
  if (!m) return `'${cidr}' is not an IPv4 CIDR block like 10.0.0.0/16`;
  const octets = [m[1], m[2], m[3], m[4]].map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return `'${cidr}' is not a valid IPv4 CIDR block`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    const aligned = formatCidr({ network: address - (address % size), prefix });
    return `'${cidr}' has host bits set (the network address of that block is ${aligned})`;
  }
  return { network: address, prefix };
}

/** Formats a block as `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  const n = block.network;
  const octets = [Math.floor(n / 2 ** 24) % 256, Math.floor(n / 2 ** 16) % 256, Math.floor(n / 2 ** 8) % 256, n % 256];
  return `${octets.join(".")}/${block.prefix}`;
}

/**
 * The `index`-th sub-block of `parent` with `newBits` more prefix bits (like Terraform's
 * `cidrsubnet`). Throws a RangeError when the result does not fit.
 */
export function subnetOf(parent: Ipv4Block, newBits: number, index: number): Ipv4Block {
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`sub-block ${index} of /${parent.prefix} with ${newBits} new bits does not fit`);
  }
  return { network: parent.network + index * 2 ** (32 - prefix), prefix };
}

/** True when the two blocks share any address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  const aEnd = a.network + 2 ** (32 - a.prefix);
  const bEnd = b.network + 2 ** (32 - b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/** Subnet tiers of a VPC. */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Most availability zones a layout provides for. */
export const MAX_AZS = 3;

/**
 * The fixed subnet layout of a VPC block `/n` (16 <= n <= 22), laid out for three AZs so adding
 * an AZ later never moves an existing subnet:
 * - private subnets: quarters 0-2 of the block (`/n+2` each, the bulk of the addresses);
 * - public subnets: eighths 0-2 of the last quarter (`/n+5`);
 * - isolated subnets: eighths 4-6 of the last quarter (`/n+5`).
 */
export function subnetLayout(vpc: Ipv4Block, azIndex: number, tier: SubnetTier): Ipv4Block {
  if (azIndex < 0 || azIndex >= MAX_AZS) throw new RangeError(`AZ index ${azIndex} is outside 0-${MAX_AZS - 1}`);
  switch (tier) {
    case "private":
      return subnetOf(vpc, 2, azIndex);
    case "public":
      return subnetOf(subnetOf(vpc, 2, 3), 3, azIndex);
    case "isolated":
      return subnetOf(subnetOf(vpc, 2, 3), 3, 4 + azIndex);
  }
}
