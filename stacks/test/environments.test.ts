import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseCidr } from "@baseplate/modules";
import {
  ENVIRONMENTS,
  EnvironmentConfigError,
  cidrsOverlap,
  defineEnvironment,
  environmentConfigProblems,
  validateEstate,
  type EnvironmentConfig,
} from "../src/environments/index.ts";

const base: EnvironmentConfig = {
  org: "acme",
  repository: "acme/infrastructure",
  name: "qa",
  tier: "stage",
  account: "444444444444",
  region: "eu-west-1",
  platformOwner: "platform-team",
  platformCostCenter: "CC-1000",
  vpcCidr: "10.40.0.0/16",
  azCount: 2,
  dns: { zoneName: "qa.acme.example", zoneId: "Z0QA00000000001" },
  services: [
    {
      name: "payments-api",
      owner: "payments-team",
      costCenter: "CC-2040",
      dataClassification: "confidential",
      image: "444444444444.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.42.0",
      domainName: "payments.qa.acme.example",
    },
  ],
};

function problemsOf(patch: Record<string, unknown>): string[] {
  return environmentConfigProblems({ ...base, ...patch });
}

describe("defineEnvironment", () => {
  it("accepts the shipped environments, which do not overlap", () => {
    expect(ENVIRONMENTS.map((e) => e.name)).toEqual(["dev", "stage", "prod"]);
    expect(ENVIRONMENTS.map((e) => e.context.tier)).toEqual(["dev", "stage", "prod"]);
    expect(() => validateEstate(ENVIRONMENTS)).not.toThrow();
  });

  it("accepts a valid config and derives the construct context", () => {
    const env = defineEnvironment(base);
    expect(env.context).toEqual({
      org: "acme",
      name: "qa",
      tier: "stage",
      account: "444444444444",
      region: "eu-west-1",
      repository: "acme/infrastructure",
    });
  });

  it.each([
    [{ account: "12345" }, /account id "12345" is invalid/],
    [{ account: 444444444444 }, /account id 444444444444 is invalid/],
    [{ region: "mars-north-1" }, /region "mars-north-1" is not allowed/],
    [{ tier: "production" }, /tier "production" is unknown/],
    [{ vpcCidr: "10.40.0.1/16" }, /vpcCidr "10.40.0.1\/16" is not an IPv4 network/],
    [{ vpcCidr: "10.0.0.0/8" }, /must be between \/16 and \/22/],
    [{ platformOwner: "" }, /platformOwner "" is missing or invalid/],
    [{ platformCostCenter: undefined }, /platformCostCenter undefined is missing or invalid/],
    [{ azCount: 4 }, /azCount 4 must be 2 or 3/],
    [{ dns: { zoneName: "x", zoneId: "nope" } }, /Route 53 hosted zone id/],
    [{ services: "payments" }, /services must be a list/],
  ])("rejects %j with a message saying what to fix", (patch, message) => {
    const problems = problemsOf(patch);
    expect(problems.join("\n")).toMatch(message);
    expect(() => defineEnvironment({ ...base, ...patch } as EnvironmentConfig)).toThrow(EnvironmentConfigError);
  });

  it("rejects duplicate service names, a missing owner or cost centre, a mutable image and a foreign domain", () => {
    const svc = base.services[0]!;
    const problems = problemsOf({
      services: [svc, { ...svc }, { ...svc, name: "ledger", owner: undefined, costCenter: "1042", image: "ledger:latest", domainName: "ledger.other.example" }],
    });
    expect(problems).toEqual([
      "services[1].name 'payments-api' is used twice; service names are unique within an environment",
      expect.stringMatching(/^services\[2\]\.owner is missing or invalid/),
      expect.stringMatching(/^services\[2\]\.costCenter is missing or invalid/),
      expect.stringMatching(/^services\[2\]\.image must be pinned/),
      expect.stringMatching(/^services\[2\]\.domainName must be inside/),
    ]);
  });

  it("names the environment and every problem in the error", () => {
    expect(() => defineEnvironment({ ...base, account: "x", region: "y" })).toThrow(
      /environment 'qa': invalid environment config:\n {2}- account id "x" is invalid.*\n {2}- region "y" is not allowed/,
    );
  });

  it("never throws on hostile input; reports problems instead", () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (value) => {
        const problems = environmentConfigProblems(value);
        expect(Array.isArray(problems)).toBe(true);
        expect(problems.length).toBeGreaterThan(0);
      }),
      { seed: 42, numRuns: 300 },
    );
    expect(environmentConfigProblems(JSON.parse('{"__proto__": {"tier": "prod"}, "constructor": 1}'))).toContain(
      'tier undefined is unknown; use one of dev, stage, prod',
    );
  });
});

describe("validateEstate", () => {
  it("rejects overlapping VPC ranges and duplicate names", () => {
    const a = defineEnvironment(base);
    const b = defineEnvironment({ ...base, name: "qa2", vpcCidr: "10.40.128.0/20" });
    const c = defineEnvironment({ ...base, vpcCidr: "10.50.0.0/16" });
    expect(() => validateEstate([a, b])).toThrow(/10\.40\.0\.0\/16 of 'qa' overlaps 10\.40\.128\.0\/20 of 'qa2'/);
    expect(() => validateEstate([a, c])).toThrow(/environment name 'qa' is defined twice/);
  });
});

describe("CIDR arithmetic", () => {
  it("parses and compares ranges", () => {
    // the one parser is the modules' (aligned IPv4 blocks); the environment checks use it
    expect(parseCidr("10.0.0.0/16")).toEqual({ network: 167772160, prefix: 16 });
    expect(parseCidr("10.0.0.1/16")).toMatch(/host bits set/);
    expect(parseCidr("300.0.0.0/8")).toMatch(/not a valid IPv4 CIDR block/);
    expect(cidrsOverlap("10.0.0.1/16", "10.0.0.0/16")).toBe(false);
    expect(cidrsOverlap("10.0.0.0/16", "10.0.255.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
  });

  it("overlap is symmetric and matches a brute-force check", () => {
    const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 })).map(([o, p]) => {
      const size = 2 ** (32 - p);
      const addr = Math.floor((10 * 2 ** 24 + o * 2 ** 16) / size) * size;
      return { s: `${[24, 16, 8, 0].map((sh) => Math.floor(addr / 2 ** sh) % 256).join(".")}/${p}`, lo: addr, hi: addr + size };
    });
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(cidrsOverlap(a.s, b.s)).toBe(a.lo < b.hi && b.lo < a.hi);
        expect(cidrsOverlap(a.s, b.s)).toBe(cidrsOverlap(b.s, a.s));
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
