/**
 * Hostile inputs to the waiver parser (tools/cli/src/waivers.ts) and the environment-config
 * validator (`environmentConfigProblems`, `defineEnvironment` of @baseplate/stacks): random text,
 * random and mutated documents with prototype keys and wrong types. Each case ends in a correct
 * result or a clear error; a broken waiver is never applied and a broken config is never accepted.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError } from "../../cli/src/errors.ts";
import { parseWaivers, type WaiverSet } from "../../cli/src/waivers.ts";
import { testAuthority } from "../../cli/test/fixtures/authority.ts";
import { ENVIRONMENTS, EnvironmentConfigError, defineEnvironment, environmentConfigProblems } from "@baseplate/stacks";
import { NOW, fcParams, messageProblems, policyBundle, runs } from "./helpers.ts";

const FILE = "governance/waivers.json";
const authority = testAuthority();
const NASTY = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

function parse(text: string, rules: { id: string }[]): { set: WaiverSet } | { error: string } {
  try {
    return { set: parseWaivers(text, FILE, { now: NOW, catalog: rules as never, authority }) };
  } catch (thrown) {
    if (thrown instanceof CliError) return { error: thrown.message };
    throw thrown;
  }
}

/** A waiver that is valid at NOW (2026-11-25) against the real catalog. */
const VALID = {
  rule: "S3-001",
  target: "payments-api-prod/documents/*",
  reason: "The bucket is fronted by a reviewed access point policy that blocks public access.",
  ticket: "SEC-123",
  requestedBy: "@jo-junior",
  approvedBy: "@sam-senior",
  created: "2026-11-20",
  expires: "2027-01-15",
};

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const fieldValue = fc.oneof(fc.string({ maxLength: 40 }), jsonValue, fc.constantFrom("", " ", "*", "**", "2026-02-30", "9999-12-31", "2026-11-25", "@", "S3-001", "SEC-1"));

function objectText(pairs: [string, unknown][]): string {
  return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
}

describe("waivers parser", () => {
  it("random text: a waiver set or a CliError naming the file", async () => {
    const rules = (await policyBundle()).rules;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), jsonValue.map((v) => JSON.stringify(v))), (text) => {
        const r = parse(text, rules);
        if ("error" in r) expect(messageProblems(r.error, FILE), r.error).toEqual([]);
      }),
      fcParams(runs(300)),
    );
  });

  it("entries with random fields and prototype keys: only complete, current entries are applied", async () => {
    const rules = (await policyBundle()).rules;
    const ruleIds = new Set(rules.map((r) => r.id));
    const entry = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...Object.keys(VALID), ...NASTY, "stack"), fc.string({ maxLength: 8 })), fieldValue), { maxLength: 9 });
    const fromValid = fc.record({ drop: fc.subarray(Object.keys(VALID)), extra: fc.array(fc.tuple(fc.constantFrom(...NASTY, ...Object.keys(VALID)), fieldValue), { maxLength: 3 }) }).map(({ drop, extra }) => [
      ...extra,
      ...Object.entries(VALID).filter(([k]) => !drop.includes(k)),
    ]);
    fc.assert(
      fc.property(fc.array(fc.oneof(entry, fromValid), { maxLength: 5 }), (entries) => {
        const text = `{"waivers":[${entries.map((e) => objectText(e as [string, unknown][])).join(",")}]}`;
        const r = parse(text, rules);
        if ("error" in r) {
          expect(messageProblems(r.error, FILE), r.error).toEqual([]);
          return;
        }
        expect(r.set.waivers.length + r.set.problems.length).toBe(entries.length);
        for (const w of r.set.waivers) {
          // Every applied waiver is complete, names a known rule and is in force at NOW.
          for (const field of ["rule", "target", "reason", "ticket", "approvedBy", "expires"] as const) expect(typeof w[field]).toBe("string");
          expect(ruleIds.has(w.rule)).toBe(true);
          expect(Date.parse(`${w.expires}T00:00:00Z`)).toBeGreaterThan(Date.parse(NOW));
          expect(Object.getPrototypeOf(w)).toBe(Object.prototype);
          expect(Object.keys(w).every((k) => !NASTY.includes(k))).toBe(true);
        }
        for (const p of r.set.problems) {
          expect(p.enforcement).toBe("mandatory");
          expect(p.problem).toContain(FILE);
        }
      }),
      fcParams(runs(300)),
    );
    expect(({} as Record<string, unknown>)["rule"]).toBeUndefined();
  });

  it("a valid waiver with one field broken is never applied", async () => {
    const rules = (await policyBundle()).rules;
    expect(parse(JSON.stringify({ waivers: [VALID] }), rules)).toMatchObject({ set: { waivers: [{ rule: "S3-001" }], problems: [] } });
    const breakage = fc.oneof(
      fc.constantFrom(...(["rule", "target", "reason", "ticket", "requestedBy", "approvedBy", "expires"] as const)).map((field) => ({ ...VALID, [field]: undefined })),
      fc.constantFrom("@mallory", "@acme/platform-seniors", "@ACME/Platform-Seniors", "sam-senior", "@sam-senior ").map((approvedBy) => ({ ...VALID, approvedBy })),
      fc.constantFrom("@sam-senior", "@SAM-senior", "@Sam-Senior").map((requestedBy) => ({ ...VALID, requestedBy })),
      fc.constantFrom("*_*", "p*/**", "payments-api-prod/**", "aws_s3_bucket.*", "*.*").map((target) => ({ ...VALID, target })),
      fc.constantFrom("2026-11-25", "2026-11-24", "2020-01-01", "2026-02-30", "27-01-15", "2027-13-01").map((expires) => ({ ...VALID, expires })),
      fc.constantFrom("*", "**", "*/*", "???").map((target) => ({ ...VALID, target })),
      fc.constantFrom("S3-999", "s3-001", "S3001", "").map((rule) => ({ ...VALID, rule })),
      fc.constantFrom("ok", "because", "fine fine", "x".repeat(30)).map((reason) => ({ ...VALID, reason })),
      fc.constantFrom("2027-12-31", "2028-01-01").map((expires) => ({ ...VALID, expires })),
      fc.constantFrom("2026-12-31").map((created) => ({ ...VALID, created })),
      jsonValue.filter((v) => typeof v !== "string").map((v) => ({ ...VALID, expires: v })),
    );
    fc.assert(
      fc.property(breakage, (broken) => {
        const r = parse(JSON.stringify({ waivers: [broken] }), rules);
        if ("error" in r) return;
        expect(r.set.waivers, `applied: ${JSON.stringify(broken)}`).toEqual([]);
        expect(r.set.problems).toHaveLength(1);
      }),
      fcParams(runs(200)),
    );
  });

  it("a malformed file shape is a clear error, never an empty set", async () => {
    const rules = (await policyBundle()).rules;
    for (const text of ["", "{", "[]", "null", "{}", '{"waivers":{}}', '{"waivers":"x"}', '{"waivers":[],"extra":1}', '{"__proto__":{"waivers":[]}}', "\ufeff{\"waivers\":[]}"]) {
      const r = parse(text, rules);
      if ("set" in r) {
        // Only a well-formed empty list may come back as an empty set.
        expect(JSON.parse(text.replace(/^\ufeff/, ""))).toEqual({ waivers: [] });
      } else {
        expect(messageProblems(r.error, FILE), r.error).toEqual([]);
      }
    }
  });
});

describe("environment configs", () => {
  const dev = ENVIRONMENTS.find((e) => e.name === "dev");
  if (dev === undefined) throw new Error("the estate has no dev environment");
  const { context: _context, ...valid } = dev;

  it("the estate's dev config is valid", () => {
    expect(environmentConfigProblems(valid)).toEqual([]);
  });

  it("environmentConfigProblems never throws and returns strings for any value", () => {
    const weird = fc.oneof(
      fc.anything({ maxDepth: 3, withBoxedValues: true, withMap: true, withSet: true, withObjectString: true, withNullPrototype: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }),
      fc.array(fc.tuple(fc.constantFrom(...Object.keys(valid), ...NASTY), fc.jsonValue({ maxDepth: 2 })), { maxLength: 8 }).map((pairs) => JSON.parse(objectText(pairs)) as unknown),
    );
    fc.assert(
      fc.property(weird, (config) => {
        const problems = environmentConfigProblems(config);
        expect(Array.isArray(problems)).toBe(true);
        for (const p of problems) expect(typeof p).toBe("string");
      }),
      fcParams(runs(300)),
    );
  });

  it("defineEnvironment throws only EnvironmentConfigError, naming where the config lives", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withNullPrototype: true }), (config) => {
        try {
          defineEnvironment(config as never, "stacks/environments/fuzz/config.ts");
        } catch (thrown) {
          expect(thrown).toBeInstanceOf(EnvironmentConfigError);
          expect((thrown as Error).message).toContain("stacks/environments/fuzz/config.ts");
          return;
        }
        expect(environmentConfigProblems(config)).toEqual([]);
      }),
      fcParams(runs(300)),
    );
  });

  it("a valid config with one field missing or of the wrong type is rejected", () => {
    const wrongType: Record<string, fc.Arbitrary<unknown>> = {
      org: fc.oneof(fc.constant(undefined), fc.integer(), fc.constant(""), fc.constant("Org With Spaces")),
      name: fc.oneof(fc.constant(undefined), fc.integer(), fc.constant(""), fc.constant("__proto__")),
      tier: fc.oneof(fc.constant(undefined), fc.constantFrom("production", "qa", "", "PROD"), fc.integer()),
      account: fc.oneof(fc.constant(undefined), fc.constantFrom("1234", "12345678901x", ""), fc.integer()),
      region: fc.oneof(fc.constant(undefined), fc.constantFrom("mars-1", "", "eu-west-1 "), fc.integer()),
      repository: fc.oneof(fc.constant(undefined), fc.constantFrom("", "no-slash"), fc.integer()),
      platformOwner: fc.oneof(fc.constant(undefined), fc.constant(""), fc.integer()),
      platformCostCenter: fc.oneof(fc.constant(undefined), fc.constantFrom("", "1000", "CC-1"), fc.integer()),
      vpcCidr: fc.oneof(fc.constant(undefined), fc.constantFrom("10.0.0.1/16", "10.0.0.0/8", "10.0.0.0/24", "300.0.0.0/16", "x"), fc.integer()),
      azCount: fc.oneof(fc.constant(undefined), fc.constantFrom(0, 1, 4, "2", 2.5)),
      dns: fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant({ zoneName: "dev.acme.example", zoneId: "nope" }), fc.string()),
      services: fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant({}), fc.string(), fc.constant([{ name: "platform" }])),
    };
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(wrongType)).chain((field) => (wrongType[field] ?? fc.constant(undefined)).map((v) => [field, v] as const)), ([field, v]) => {
        const config: Record<string, unknown> = { ...valid };
        if (v === undefined) delete config[field];
        else config[field] = v;
        expect(environmentConfigProblems(config).length, `${field} = ${JSON.stringify(v)}`).toBeGreaterThan(0);
        expect(() => defineEnvironment(config as never, "fuzz")).toThrow(EnvironmentConfigError);
      }),
      fcParams(runs(200)),
    );
  });
});
