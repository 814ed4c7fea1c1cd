import {
  ALLOWED_REGIONS,
  DATA_CLASSIFICATIONS,
  TAG_RULES,
  TIERS,
  environmentProblems,
  overlaps,
  parseCidr,
  type DataClassification,
  type EnvironmentContext,
  type Tier,
} from "@baseplate/modules";

/** A service deployed into an environment. */
export interface ServiceConfig {
  /** Service slug, unique within the environment; part of every name, e.g. `payments-api`. */
  readonly name: string;
  /** Owning team slug or email (`Owner` tag). */
  readonly owner: string;
  /** Finance cost centre, `CC-` and 4-6 digits (`CostCenter` tag). */
  readonly costCenter: string;
  /** Most sensitive data the service holds (`DataClassification` tag). */
  readonly dataClassification: DataClassification;
  /** Container image, pinned by digest or immutable tag. */
  readonly image: string;
  /** Host name served by the service's load balancer, inside the environment's DNS zone. */
  readonly domainName: string;
  /** Whether the service has a PostgreSQL database. @default true */
  readonly database?: boolean;
}

/** Everything that distinguishes one environment from another. */
export interface EnvironmentConfig {
  /** Organisation prefix used in names. */
  readonly org: string;
  /** Repository managing the estate, `owner/name`. */
  readonly repository: string;
  /** Environment name, e.g. `dev`. */
  readonly name: string;
  /** Tier: the baselines (sizes, retention, protection) come from it. */
  readonly tier: Tier;
  /** 12-digit AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** Team owning the shared stacks (platform, network) of this environment. */
  readonly platformOwner: string;
  /** Cost centre of the shared stacks. */
  readonly platformCostCenter: string;
  /** IPv4 CIDR of the environment's VPC, /16 to /22; must not overlap another environment's. */
  readonly vpcCidr: string;
  /** Number of availability zones, 2 or 3. */
  readonly azCount: 2 | 3;
  /** Public Route 53 hosted zone of the environment. */
  readonly dns: { readonly zoneName: string; readonly zoneId: string };
  /** Services deployed into the environment. */
  readonly services: readonly ServiceConfig[];
}

/** An environment config that passed validation. */
export interface Environment extends EnvironmentConfig {
  /** The context handed to `BaselineStack`. */
  readonly context: EnvironmentContext;
}

/** Raised for an invalid environment config; lists every problem with its fix. */
export class EnvironmentConfigError extends Error {
  readonly problems: readonly string[];
  constructor(where: string, problems: readonly string[]) {
    super(`${where}: invalid environment config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvironmentConfigError";
    this.problems = problems;
  }
}

/** True when two valid CIDRs (modules' parseCidr: aligned IPv4 blocks) share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const pa = parseCidr(a);
  const pb = parseCidr(b);
  if (typeof pa === "string" || typeof pb === "string") return false;
  return overlaps(pa, pb);
}

const SLUG = /^[a-z][a-z0-9-]{0,39}$/;
const own = (o: object, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined);

/** Problems with one environment config (empty when valid). Safe on any input value. */
export function environmentConfigProblems(config: unknown): string[] {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return ["the config must be an object"];
  }
  const c = config;
  const problems = environmentProblems({
    org: own(c, "org"),
    name: own(c, "name"),
    tier: own(c, "tier"),
    account: own(c, "account"),
    region: own(c, "region"),
    repository: own(c, "repository"),
  }).map(([p, fix]) => `${p}; ${fix}`);
  const owner = own(c, "platformOwner");
  if (typeof owner !== "string" || !TAG_RULES.Owner.valid(owner)) problems.push(`platformOwner ${JSON.stringify(owner) ?? "undefined"} is missing or invalid; ${TAG_RULES.Owner.fix}`);
  const cc = own(c, "platformCostCenter");
  if (typeof cc !== "string" || !TAG_RULES.CostCenter.valid(cc)) problems.push(`platformCostCenter ${JSON.stringify(cc) ?? "undefined"} is missing or invalid; ${TAG_RULES.CostCenter.fix}`);
  const cidr = own(c, "vpcCidr");
  const parsed = typeof cidr === "string" ? parseCidr(cidr) : null;
  if (parsed === null || typeof parsed === "string") problems.push(`vpcCidr ${JSON.stringify(cidr) ?? "undefined"} is not an IPv4 network in CIDR form; use e.g. '10.10.0.0/16' with no host bits set`);
  else if (parsed.prefix < 16 || parsed.prefix > 22) problems.push(`vpcCidr ${String(cidr)} must be between /16 and /22`);
  const az = own(c, "azCount");
  if (az !== 2 && az !== 3) problems.push(`azCount ${JSON.stringify(az) ?? "undefined"} must be 2 or 3`);
  const dns = own(c, "dns");
  if (typeof dns !== "object" || dns === null || typeof own(dns, "zoneName") !== "string" || !/^Z[A-Z0-9]{4,32}$/.test(String(own(dns, "zoneId")))) {
    problems.push("dns must be { zoneName: 'dev.example.com', zoneId: 'Z0123456789ABC' } (a Route 53 hosted zone id)");
  }
  const services = own(c, "services");
  if (!Array.isArray(services)) {
    problems.push("services must be a list (it may be empty)");
    return problems;
  }
  const seen = new Set<string>();
  services.forEach((s: unknown, i) => {
    const at = `services[${i}]`;
    if (typeof s !== "object" || s === null) {
      problems.push(`${at} must be an object`);
      return;
    }
    const name = own(s, "name");
    if (typeof name !== "string" || !SLUG.test(name)) problems.push(`${at}.name ${JSON.stringify(name) ?? "undefined"} must be a lowercase slug such as 'payments-api'`);
    else if (["platform", "network"].includes(name)) problems.push(`${at}.name '${name}' is reserved for the shared stacks`);
    else if (seen.has(name)) problems.push(`${at}.name '${name}' is used twice; service names are unique within an environment`);
    else seen.add(name);
    const so = own(s, "owner");
    if (typeof so !== "string" || !TAG_RULES.Owner.valid(so)) problems.push(`${at}.owner is missing or invalid; ${TAG_RULES.Owner.fix}`);
    const scc = own(s, "costCenter");
    if (typeof scc !== "string" || !TAG_RULES.CostCenter.valid(scc)) problems.push(`${at}.costCenter is missing or invalid; ${TAG_RULES.CostCenter.fix}`);
    const dc = own(s, "dataClassification");
    if (typeof dc !== "string" || !(DATA_CLASSIFICATIONS as readonly string[]).includes(dc)) problems.push(`${at}.dataClassification must be one of ${DATA_CLASSIFICATIONS.join(", ")}`);
    const image = own(s, "image");
    if (typeof image !== "string" || !/^[a-z0-9./_-]+(?::[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/.test(image) || image.endsWith(":latest")) {
      problems.push(`${at}.image must be pinned by digest or an immutable tag (not ':latest')`);
    }
    const domain = own(s, "domainName");
    const zone = typeof dns === "object" && dns !== null ? own(dns, "zoneName") : undefined;
    if (typeof domain !== "string" || typeof zone !== "string" || !(domain === zone || domain.endsWith(`.${zone}`))) {
      problems.push(`${at}.domainName must be inside the environment's DNS zone ${JSON.stringify(zone) ?? ""}`);
    }
  });
  return problems;
}

/**
 * Declares an environment. Validates at runtime too (configs can come from JSON or a generator):
 * throws {@link EnvironmentConfigError} listing every problem and its fix.
 */
export function defineEnvironment(config: EnvironmentConfig, where = `environment '${String(config?.name)}'`): Environment {
  const problems = environmentConfigProblems(config);
  if (problems.length > 0) throw new EnvironmentConfigError(where, problems);
  return {
    ...config,
    context: {
      org: config.org,
      name: config.name,
      tier: config.tier,
      account: config.account,
      region: config.region,
      repository: config.repository,
    },
  };
}

/** Checks a set of environments together: unique names, and VPC CIDRs that never overlap. */
export function validateEstate(environments: readonly Environment[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const e of environments) {
    if (names.has(e.name)) problems.push(`environment name '${e.name}' is defined twice`);
    names.add(e.name);
  }
  for (let i = 0; i < environments.length; i++) {
    for (let j = i + 1; j < environments.length; j++) {
      const a = environments[i]!;
      const b = environments[j]!;
      if (cidrsOverlap(a.vpcCidr, b.vpcCidr)) {
        problems.push(`VPC CIDR ${a.vpcCidr} of '${a.name}' overlaps ${b.vpcCidr} of '${b.name}'; give each environment its own range`);
      }
    }
  }
  if (problems.length > 0) throw new EnvironmentConfigError("stacks/src/environments", problems);
}

export { ALLOWED_REGIONS, TIERS };
