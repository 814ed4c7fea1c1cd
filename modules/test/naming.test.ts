import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Construct } from "constructs";
import { BaselineError, formatName, NAME_RULES, nameProblem, shortHash, untruncatedName, type NameKind, type NameParts, type NameRule } from "../src/index.ts";
import { KmsKey, SecureBucket } from "../src/index.ts";
import { makeStack } from "./helpers.ts";

// A fixed seed (FC_SEED overrides, FC_SEED=random draws one), so CI runs the same cases every time
// and a failure reproduces; run with other seeds locally to search further.
const seedGiven = process.env["FC_SEED"];
if (seedGiven !== "random") fc.configureGlobal({ seed: seedGiven === undefined || seedGiven === "" ? 20261125 : Number(seedGiven) });

const KINDS = Object.keys(NAME_RULES) as NameKind[];

const org = fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/);
const envName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const service = fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/);
/** Free-form resource names: any printable text with at least one letter or digit. */
const name = fc.string({ minLength: 1, maxLength: 300 }).filter((s) => /[a-z0-9]/i.test(s));
const attributes = fc.array(fc.stringMatching(/^[a-z0-9]{1,20}$/), { maxLength: 3 });
const parts: fc.Arbitrary<NameParts> = fc.record({ org, environment: envName, service, name, attributes });

describe("formatName (property-based)", () => {
  it("gives every kind a name within its length, charset and pattern for any valid parts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), parts, (kind, p) => {
        const result = formatName(kind, p);
        const rule: NameRule = NAME_RULES[kind];
        expect(result.length).toBeLessThanOrEqual(rule.maxLength);
        expect(result).toMatch(rule.pattern);
        if (rule.lowercase) expect(result).toBe(result.toLowerCase());
        expect(nameProblem(kind, result)).toBeNull();
        if (rule.prefix !== undefined) expect(result.startsWith(rule.prefix)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("is deterministic", () => {
    fc.assert(fc.property(fc.constantFrom(...KINDS), parts, (kind, p) => formatName(kind, p) === formatName(kind, { ...p })));
  });

  it("never maps two different full names to the same truncated name", () => {
    // Long names sharing a long prefix force truncation, where collisions would appear.
    const longPair = fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9]{60,200}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/))
      .filter(([, a, b]) => a !== b);
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), org, envName, service, longPair, (kind, o, e, s, [prefix, a, b]) => {
        const pa: NameParts = { org: o, environment: e, service: s, name: prefix + a };
        const pb: NameParts = { org: o, environment: e, service: s, name: prefix + b };
        fc.pre(untruncatedName(kind, pa) !== untruncatedName(kind, pb));
        expect(formatName(kind, pa)).not.toBe(formatName(kind, pb));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps names that fit unchanged and ends truncated names with the hash of the full name", () => {
    expect(formatName("s3-bucket", { org: "acme", environment: "prod", service: "payments-api", name: "Invoices_2024" })).toBe(
      "acme-prod-payments-api-invoices-2024",
    );
    const p: NameParts = { org: "acme", environment: "prod", service: "payments-api", name: "x".repeat(80) };
    const truncated = formatName("s3-bucket", p);
    expect(truncated).toHaveLength(63);
    expect(truncated.endsWith(`-${shortHash(untruncatedName("s3-bucket", p))}`)).toBe(true);
    expect(formatName("kms-alias", { ...p, name: "data" })).toBe("alias/acme-prod-payments-api-data");
  });

  it("never starts a security group name with the sg- AWS reserves for group ids (an org named sg)", () => {
    // Found by the property above: org "sg" gave "sg-aa-a-0", which AWS refuses.
    expect(formatName("security-group", { org: "sg", environment: "aa", service: "a", name: "0 " })).toBe("n-sg-aa-a-0");
    expect(formatName("security-group", { org: "sgx", environment: "dev", service: "api", name: "web" })).toBe("sgx-dev-api-web");
    expect(formatName("s3-bucket", { org: "sg", environment: "dev", service: "api", name: "data" })).toBe("sg-dev-api-data");
  });
});

describe("name registry", () => {
  it("rejects any name claimed twice by different constructs, and allows the same construct to ask again", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), name, (kind, n) => {
        const stack = makeStack();
        const a = new Construct(stack, "a");
        const b = new Construct(stack, "b");
        const first = stack.physicalName(a, kind, n);
        expect(stack.physicalName(a, kind, n)).toBe(first);
        expect(() => stack.physicalName(b, kind, n)).toThrow(BaselineError);
        expect(() => stack.physicalName(b, kind, n)).toThrow(/already used by payments-api-dev\/a/);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects two buckets with the same name in one stack, naming both paths and the fix", () => {
    const stack = makeStack();
    new SecureBucket(stack, "one", { name: "invoices" });
    expect(() => new SecureBucket(stack, "two", { name: "invoices" })).toThrow(
      "payments-api-dev/two: the s3-bucket name 'acme-dev-payments-api-invoices' is already used by payments-api-dev/one. Fix: give one of the two constructs a different name or attribute",
    );
  });

  it("rejects an over-long exact name that cannot be hashed (alias override), with the path and the fix", () => {
    const stack = makeStack();
    let err: unknown;
    try {
      new KmsKey(stack, "key", { name: "data", aliasName: `alias/${"a".repeat(260)}` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).constructPath).toBe("payments-api-dev/key");
    expect((err as BaselineError).message).toMatch(/is 266 characters; kms-alias names allow at most 256/);
    expect((err as BaselineError).fix).toMatch(/leave aliasName unset/);
  });

  it("rejects an over-long exact bucket name claimed directly", () => {
    const stack = makeStack();
    const scope = new Construct(stack, "s");
    expect(() => stack.claimName(scope, "s3-bucket", "a".repeat(64))).toThrow(/payments-api-dev\/s: '.*' is 64 characters; s3-bucket names allow at most 63\. Fix: /);
  });

  it("keeps an org called sg from giving security group names AWS reserves", () => {
    const stack = makeStack({ org: "sg" });
    expect(stack.physicalName(new Construct(stack, "web"), "security-group", "web")).toBe("n-sg-dev-payments-api-web");
  });

  it("turns a name the type's pattern rejects into a BaselineError with the path", () => {
    // Security group names may not start with 'sg-'.
    const stack = makeStack();
    const scope = new Construct(stack, "web");
    let err: unknown;
    try {
      stack.claimName(scope, "security-group", "sg-web");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).constructPath).toBe("payments-api-dev/web");
    expect((err as BaselineError).message).toMatch(/sg-web/);
  });
});
