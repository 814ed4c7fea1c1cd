/**
 * Hostile inputs through the CLI's input pipeline (read, decode, parse, recognise, normalize):
 * random JSON, random synth- and plan-shaped documents with wrong types and prototype keys, byte
 * mutations of a real stack (truncation, invalid UTF-8, byte order marks, flipped bytes), deep
 * nesting and huge strings. Every case ends in a normalized input that meets the contract or a
 * CliError naming the file; any other exception fails the property.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPlan } from "../../bench/generate.ts";
import {
  NOW,
  SHOWN,
  SHOWN_PLAN,
  contractProblems,
  fcParams,
  findingKeys,
  messageProblems,
  policyBundle,
  rawFixture,
  runs,
  text,
  throughPipeline,
  type Outcome,
} from "./helpers.ts";

/** Keys that break naive object handling. */
const NASTY_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "//", "", " ", "${x}", "a.b", "a[0]", "\u0000", "\ud83d\ude00"];
const key = fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 12 }), fc.constantFrom("aws_s3_bucket", "aws_security_group", "aws_iam_role", "aws_kms_key"));
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom("${aws_kms_key.k.arn}", "${data.aws_iam_policy_document.p.json}", "${", "}", "${}", "${aws_s3_bucket.}", "0.0.0.0/0", "*"),
);
/** JSON values whose object keys include the nasty ones (built as JSON text, so `__proto__` is an own key). */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.array(fc.tuple(key, tie("node")), { maxLength: 4 }),
})).node.map(toJsonCompatible);

/** Arrays of [key, value] pairs become objects through JSON text (own `__proto__` keys survive). */
function toJsonCompatible(v: unknown): unknown {
  return JSON.parse(jsonText(v)) as unknown;
}

function jsonText(v: unknown): string {
  if (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "string")) {
    return `{${(v as [string, unknown][]).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(",")}}`;
  }
  if (Array.isArray(v)) return `[${v.map(jsonText).join(",")}]`;
  return JSON.stringify(v) ?? "null";
}

function entries(k: fc.Arbitrary<string>, v: fc.Arbitrary<unknown>, max = 4): fc.Arbitrary<string> {
  return fc.array(fc.tuple(k, v), { maxLength: max }).map((pairs) => `{${pairs.map(([a, b]) => `${JSON.stringify(a)}:${JSON.stringify(b)}`).join(",")}}`);
}

/** A synthesized-stack-shaped document with random structure, as JSON text. */
const synthDoc = fc
  .record({
    meta: fc.oneof(value, entries(key, value).map((t) => JSON.parse(t) as unknown)),
    resource: fc.oneof(value, entries(key, fc.oneof(value, entries(key, value).map((t) => JSON.parse(t) as unknown))).map((t) => JSON.parse(t) as unknown)),
    data: fc.option(value),
    provider: fc.option(fc.oneof(value, fc.record({ aws: fc.array(value, { maxLength: 3 }) }))),
    extra: entries(key, value),
  })
  .map(({ meta, resource, data, provider, extra }) => {
    const parts = [`"//":${JSON.stringify(typeof meta === "object" && meta !== null && !Array.isArray(meta) ? meta : { metadata: meta })}`, `"resource":${JSON.stringify(resource)}`];
    if (data !== null) parts.push(`"data":${JSON.stringify(data)}`);
    if (provider !== null) parts.push(`"provider":${JSON.stringify(provider)}`);
    const inner = extra.slice(1, -1);
    return `{${[...parts, ...(inner === "" ? [] : [inner])].join(",")}}`;
  });

/** A plan-shaped document with random resource changes, as JSON text. */
const change = fc.record(
  {
    address: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("aws_s3_bucket.b", 'module.m.aws_s3_bucket.b["x"]', "__proto__.x", "data.aws_iam_policy_document.p"), value),
    mode: fc.oneof(fc.constantFrom("managed", "data"), value),
    type: fc.oneof(fc.constantFrom("aws_s3_bucket", "aws_security_group", "__proto__", "constructor"), value),
    name: fc.oneof(fc.string({ maxLength: 10 }), value),
    change: fc.oneof(
      value,
      fc.record({
        actions: fc.oneof(fc.constantFrom(["create"], ["delete"], ["delete", "create"], ["no-op"], ["forget"], ["read"], ["update"]), value),
        before: value,
        after: value,
        after_unknown: value,
        after_sensitive: value,
      }),
    ),
  },
  { requiredKeys: [] },
);
const planDoc = fc
  .record({
    version: fc.constantFrom("0.1", "0.2", "1.0", "1.2", "1.99"),
    changes: fc.oneof(fc.array(change, { maxLength: 5 }), value),
    configuration: fc.option(value),
    planned: fc.option(value),
    extra: entries(key, value),
  })
  .map(({ version, changes, configuration, planned, extra }) => {
    const parts = [`"format_version":${JSON.stringify(version)}`, `"resource_changes":${JSON.stringify(changes)}`];
    if (configuration !== null) parts.push(`"configuration":${JSON.stringify(configuration)}`);
    if (planned !== null) parts.push(`"planned_values":${JSON.stringify(planned)}`);
    const inner = extra.slice(1, -1);
    return `{${[...parts, ...(inner === "" ? [] : [inner])].join(",")}}`;
  });

/** Fails unless the outcome is a conforming input or a clear error naming the file. */
function expectSound(outcome: Outcome, file: string): void {
  if (outcome.kind === "ok") expect(contractProblems(outcome.input), "normalized input breaks the contract").toEqual([]);
  else expect(messageProblems(outcome.message, file), outcome.message).toEqual([]);
}

function prototypeIntact(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe["polluted"]).toBeUndefined();
  expect(probe["bucket"]).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

describe("normalizer on random documents", () => {
  it("any JSON value: a conforming input or a clear error", () => {
    fc.assert(
      fc.property(value, (doc) => {
        expectSound(throughPipeline(text(jsonText(doc))), SHOWN);
      }),
      fcParams(runs(300)),
    );
    prototypeIntact();
  });

  it("synth-shaped documents with wrong types and prototype keys: a conforming input or a clear error", () => {
    fc.assert(
      fc.property(synthDoc, (doc) => {
        expectSound(throughPipeline(text(doc)), SHOWN);
      }),
      fcParams(runs(300)),
    );
    prototypeIntact();
  });

  it("plan-shaped documents with wrong types and prototype keys: a conforming input or a clear error", () => {
    fc.assert(
      fc.property(planDoc, (doc) => {
        expectSound(throughPipeline(text(doc), SHOWN_PLAN), SHOWN_PLAN);
      }),
      fcParams(runs(300)),
    );
    prototypeIntact();
  });

  it("every input that normalizes also evaluates without a rule failing at runtime", async () => {
    const bundle = await policyBundle();
    fc.assert(
      fc.property(fc.oneof(synthDoc.map((d) => [d, SHOWN] as const), planDoc.map((d) => [d, SHOWN_PLAN] as const)), ([doc, file]) => {
        const outcome = throughPipeline(text(doc), file);
        if (outcome.kind === "ok") findingKeys(bundle, outcome.input);
      }),
      fcParams(runs(150, 4)),
    );
  });
});

describe("normalizer on byte mutations of a real stack", () => {
  const fixture = `${JSON.stringify(rawFixture(), null, 2)}\n`;
  const bytes = Buffer.from(fixture, "utf8");

  it("the unmutated fixture normalizes and fails the gate", async () => {
    const outcome = throughPipeline(bytes);
    expect(outcome.kind).toBe("ok");
    if (outcome.kind !== "ok") return;
    const keys = findingKeys(await policyBundle(), outcome.input);
    expect(keys).toContain("NET-002 aws_security_group.ssh_inline");
    expect(keys).toContain("RDS-001 aws_db_instance.open_db");
  });

  it("truncation: a clear error naming the file and saying it is truncated (or the same document)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (at) => {
        const outcome = throughPipeline(bytes.subarray(0, at));
        if (fixture.slice(0, at).trim() === fixture.trim()) return expectSound(outcome, SHOWN);
        expect(outcome.kind).toBe("error");
        if (outcome.kind === "error") {
          expect(messageProblems(outcome.message, SHOWN), outcome.message).toEqual([]);
          expect(outcome.message).toMatch(/truncated|empty|malformed/);
        }
      }),
      fcParams(runs(200)),
    );
  });

  it("invalid UTF-8 anywhere: rejected with the byte offset, never replaced", () => {
    const invalid = fc.constantFrom([0xff], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length }), invalid, (at, bad) => {
        const mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
        const outcome = throughPipeline(mutated);
        expect(outcome.kind).toBe("error");
        if (outcome.kind === "error") {
          expect(messageProblems(outcome.message, SHOWN), outcome.message).toEqual([]);
          expect(outcome.message).toContain(`offset ${at}`);
        }
      }),
      fcParams(runs(200)),
    );
  });

  it("byte order marks: UTF-8, UTF-16 LE and UTF-16 BE give the same findings as plain UTF-8", async () => {
    const bundle = await policyBundle();
    const plain = throughPipeline(bytes);
    if (plain.kind !== "ok") throw new Error(plain.message);
    const expected = findingKeys(bundle, plain.input);
    const le = Buffer.from(fixture, "utf16le");
    const be = Buffer.from(le);
    be.swap16();
    for (const variant of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    ]) {
      const outcome = throughPipeline(variant);
      expect(outcome.kind).toBe("ok");
      if (outcome.kind === "ok") expect(findingKeys(bundle, outcome.input)).toEqual(expected);
    }
    // A BOM with an odd number of UTF-16 bytes, or a BOM in the middle, is an error, not a pass.
    expect(throughPipeline(Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, le.length - 1)])).kind).toBe("error");
    expect(throughPipeline(Buffer.concat([bytes.subarray(0, 10), Buffer.from([0xef, 0xbb, 0xbf]), bytes.subarray(10)])).kind).toBe("error");
  });

  it("random byte flips and splices: a conforming input or a clear error", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const mutated = Buffer.from(bytes);
        for (const [at, b] of edits) mutated[at] = b;
        expectSound(throughPipeline(mutated), SHOWN);
      }),
      fcParams(runs(300)),
    );
  });

  it("huge strings and many resources stay correct", async () => {
    const doc = rawFixture();
    const resource = doc["resource"] as Record<string, Record<string, Record<string, unknown>>>;
    const bucket = resource["aws_s3_bucket"]?.["bare_bucket"];
    if (bucket === undefined) throw new Error("fixture changed: aws_s3_bucket.bare_bucket is missing");
    bucket["zz_blob"] = "x".repeat(8 * 1024 * 1024);
    const keys = resource["aws_kms_key"] ?? {};
    for (let i = 0; i < 2000; i++) keys[`extra_key_${i}`] = { enable_key_rotation: true, description: "y".repeat(200) };
    const outcome = throughPipeline(text(doc));
    expect(outcome.kind).toBe("ok");
    if (outcome.kind !== "ok") return;
    expect(outcome.input.resources["aws_kms_key"]?.length).toBe(2003);
    expect(findingKeys(await policyBundle(), outcome.input)).toContain("S3-004 aws_s3_bucket.bare_bucket");
  });

  it("nesting within the limit (depth 500) normalizes and keeps references found deep down", () => {
    const depth = 500;
    const deep = `"zz_deep":${"[".repeat(depth)}"\${aws_kms_key.good_key.arn}"${"]".repeat(depth)},`;
    const source = JSON.stringify(rawFixture());
    expect(source).toContain('"bucket":"acme-prod-raw-bare"');
    const outcome = throughPipeline(text(source.replace('"bucket":"acme-prod-raw-bare"', `${deep}"bucket":"acme-prod-raw-bare"`)));
    expect(outcome.kind).toBe("ok");
    if (outcome.kind === "ok") {
      const r = outcome.input.resources["aws_s3_bucket"]?.find((x) => x.address === "aws_s3_bucket.bare_bucket");
      expect(r?.references).toEqual(["aws_kms_key.good_key"]);
    }
  });

  // Input nested deeper than MAX_NESTING (512) is refused with a clear error naming the file, and
  // the reference walk is iterative, so no depth overflows the call stack.
  it("deep nesting (depth 20000) ends in a clear error naming the file or a conforming input", () => {
    const depth = 20_000;
    const doc = `{"//":{"metadata":{}},"resource":{"aws_s3_bucket":{"b":{"bucket":"x","tags":${"[".repeat(depth)}${"]".repeat(depth)}}}}}`;
    expectSound(throughPipeline(text(doc)), SHOWN);
  });
});

describe("no silent pass: unrelated junk keeps every violation", () => {
  const junkKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "zz_note", "zz_${x}", "zz_\u0000"), fc.string({ minLength: 1, maxLength: 8 }).map((s) => `zz_${s}`));
  // Distinct keys: a key written twice in one object is refused (tested in parsers and input-faults).
  const junk = fc.uniqueArray(fc.tuple(junkKey, value), { minLength: 1, maxLength: 3, selector: ([key]) => key });

  /** Adds junk as own keys (through JSON text) to an object. */
  function withJunk(objText: string, pairs: [string, unknown][]): string {
    const inner = pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",");
    return objText === "{}" ? `{${inner}}` : `{${inner},${objText.slice(1)}`;
  }

  it("synth: junk keys in resources, metadata, providers and the top level, and unknown resource types", async () => {
    const bundle = await policyBundle();
    const original = rawFixture();
    const baseline = throughPipeline(text(original));
    if (baseline.kind !== "ok") throw new Error(baseline.message);
    const expected = findingKeys(bundle, baseline.input);
    expect(expected.size).toBeGreaterThan(20);
    fc.assert(
      fc.property(
        fc.record({ top: junk, meta: junk, provider: junk, perResource: fc.array(fc.option(junk, { freq: 2 }), { minLength: 40, maxLength: 40 }), types: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }) }),
        ({ top, meta, provider, perResource, types }) => {
          const doc = structuredClone(original);
          const resource = doc["resource"] as Record<string, Record<string, unknown>>;
          for (const t of types) resource[`zz_unknown_${t}`] = { thing: { value: 1 } };
          let i = 0;
          const resourceText = `{${Object.entries(resource)
            .map(([type, byName]) => {
              const namesText = Object.entries(byName)
                .map(([name, body]) => {
                  const extra = perResource[i++ % perResource.length] ?? null;
                  return `${JSON.stringify(name)}:${extra === null ? JSON.stringify(body) : withJunk(JSON.stringify(body), extra)}`;
                })
                .join(",");
              return `${JSON.stringify(type)}:{${namesText}}`;
            })
            .join(",")}}`;
          const providerText = withJunk(JSON.stringify((doc["provider"] as { aws: unknown[] }).aws[0]), provider);
          const metaText = withJunk(JSON.stringify(doc["//"]), meta);
          const rest = { ...doc };
          delete rest["resource"];
          delete rest["provider"];
          delete rest["//"];
          const mutated = withJunk(`{"//":${metaText},"provider":{"aws":[${providerText}]},"resource":${resourceText},${JSON.stringify(rest).slice(1)}`, top);
          const outcome = throughPipeline(text(mutated));
          expect(outcome.kind).toBe("ok");
          if (outcome.kind !== "ok") return;
          const got = findingKeys(bundle, outcome.input);
          const missing = [...expected].filter((k) => !got.has(k));
          expect(missing, "violations vanished after adding unrelated keys").toEqual([]);
        },
      ),
      fcParams(runs(60, 20)),
    );
  });

  it("plan: junk keys in changes, values and the top level keep every violation", async () => {
    const bundle = await policyBundle();
    const doc = rawFixture();
    const plan = toPlan({ name: "raw-noncompliant", doc, resources: 0 });
    const baseline = throughPipeline(text(plan), SHOWN_PLAN);
    if (baseline.kind !== "ok") throw new Error(baseline.message);
    const expected = findingKeys(bundle, baseline.input);
    expect(expected.size).toBeGreaterThan(20);
    fc.assert(
      fc.property(fc.record({ top: junk, perChange: fc.array(fc.option(junk, { freq: 2 }), { minLength: 30, maxLength: 30 }), inAfter: fc.boolean() }), ({ top, perChange, inAfter }) => {
        const changes = (plan["resource_changes"] as Record<string, unknown>[]).map((c, i) => {
          const extra = perChange[i % perChange.length] ?? null;
          if (extra === null) return JSON.stringify(c);
          if (!inAfter) return withJunk(JSON.stringify(c), extra);
          const ch = c["change"] as Record<string, unknown>;
          const afterText = withJunk(JSON.stringify(ch["after"]), extra);
          const chText = `{"after":${afterText},${JSON.stringify({ ...ch, after: undefined }).slice(1)}`;
          return `{"change":${chText},${JSON.stringify({ ...c, change: undefined }).slice(1)}`;
        });
        const rest = { ...plan, resource_changes: undefined };
        const mutated = withJunk(`{"resource_changes":[${changes.join(",")}],${JSON.stringify(rest).slice(1)}`, top);
        const outcome = throughPipeline(text(mutated), SHOWN_PLAN);
        expect(outcome.kind).toBe("ok");
        if (outcome.kind !== "ok") return;
        const got = findingKeys(bundle, outcome.input);
        expect([...expected].filter((k) => !got.has(k)), "violations vanished after adding unrelated keys").toEqual([]);
      }),
      fcParams(runs(60, 20)),
    );
  });

  // A synthesized stack whose resource body is not an object (null, a string, a number) must not
  // be dropped, or a stack holding only such resources would pass the gate with "0 resources":
  // it is rejected with a CliError naming the file. An array of one object is Terraform's other
  // JSON form for a block body (hcl2json writes it): it is read, and its violations are found.
  it("a resource body that is not an object is rejected, not dropped; an array-form body is read", async () => {
    const sg = '{"name":"x","ingress":[{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["0.0.0.0/0"]}]}';
    for (const body of ["null", '"x"', "1", "[1]", `[${sg},${sg}]`]) {
      const outcome = throughPipeline(text(`{"//":{"metadata":{}},"resource":{"aws_security_group":{"open":${body}}}}`));
      expect(outcome.kind, body).toBe("error");
    }
    const outcome = throughPipeline(text(`{"//":{"metadata":{}},"resource":{"aws_security_group":{"open":[${sg}]}}}`));
    if (outcome.kind !== "ok") throw new Error(outcome.message);
    const keys = findingKeys(await policyBundle(), outcome.input);
    expect([...keys].some((k) => k.includes("NET-002") && k.includes("aws_security_group.open")), [...keys].join("\n")).toBe(true);
  });
});

describe("plan entries with empty names", () => {
  // The plan reader rejects empty addresses, types and names with a CliError naming the file, so
  // no finding can name no resource.
  it("a resource change with an empty address is rejected", () => {
    const doc = `{"format_version":"1.2","resource_changes":[{"address":"","mode":"managed","type":"aws_s3_bucket","name":"","change":{"actions":["create"],"before":null,"after":{"bucket":"x"}}}]}`;
    const outcome = throughPipeline(text(doc), SHOWN_PLAN);
    expect(outcome.kind).toBe("error");
  });
});

describe("evaluation time is passed through, never read from the clock", () => {
  it("now is the caller's", () => {
    const outcome = throughPipeline(text(rawFixture()));
    expect(outcome.kind === "ok" && outcome.input.now).toBe(NOW);
  });
});
