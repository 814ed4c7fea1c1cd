import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/input/errors.ts";
import { normalizePlan } from "../../src/input/plan.ts";
import { collectTokenReferences, referenceTarget } from "../../src/input/references.ts";
import { normalizeSynth } from "../../src/input/synth.ts";
import { NOW } from "./helpers.ts";

// A fixed seed (FC_SEED overrides, FC_SEED=random draws one), so CI runs the same cases every time
// and a failure reproduces; run with other seeds locally to search further.
const seedGiven = process.env["FC_SEED"];
if (seedGiven !== "random") fc.configureGlobal({ seed: seedGiven === undefined || seedGiven === "" ? 20261125 : Number(seedGiven) });

const json = fc.jsonValue({ maxDepth: 4 });
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "//", "prototype", "toString"));
const object = fc.dictionary(key, json, { maxKeys: 5 });

describe("normalizer properties", () => {
  it("any synth-shaped document normalizes to JSON-serialisable input with sorted, grouped resources, or fails with a InputError on empty names", () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.dictionary(key, object, { maxKeys: 4 }), { maxKeys: 4 }), object, (resource, provider) => {
        const emptyName = Object.entries(resource).some(([type, byName]) => type === "" || Object.keys(byName).includes(""));
        if (emptyName) {
          expect(() => normalizeSynth({ "//": { metadata: {} }, resource, provider: { aws: [provider] } }, { now: NOW })).toThrow(InputError);
          return;
        }
        const input = normalizeSynth({ "//": { metadata: {} }, resource, provider: { aws: [provider] } }, { now: NOW });
        const round = JSON.parse(JSON.stringify(input)) as { resources: Record<string, { address: string; type: string }[]> };
        for (const [type, list] of Object.entries(round.resources)) {
          const addresses = list.map((r) => r.address);
          expect(addresses).toEqual([...addresses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
          for (const r of list) expect(r.type).toBe(type);
        }
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("any plan-shaped document either normalizes or fails with a InputError, never a crash", () => {
    const change = fc.record({
      address: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(undefined)),
      mode: fc.constantFrom("managed", "data", 7),
      type: fc.oneof(fc.constantFrom("aws_s3_bucket", "__proto__"), fc.string({ maxLength: 8 })),
      name: fc.string({ maxLength: 8 }),
      module_address: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      change: fc.oneof(object, fc.record({ actions: fc.array(fc.constantFrom("create", "delete", "update", "no-op", "read", "forget")), before: json, after: json, after_unknown: json, after_sensitive: json })),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 6 }), json, (changes, configuration) => {
        try {
          const input = normalizePlan({ format_version: "1.2", resource_changes: changes, configuration }, { now: NOW, file: "p.json" });
          expect(typeof JSON.stringify(input)).toBe("string");
        } catch (thrown) {
          expect(thrown).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reference extraction never throws and only yields resource, data or module addresses", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30 }), (prefix, body) => {
        const into = new Set<string>();
        collectTokenReferences(`${prefix}\${${body}}`, into);
        for (const address of into) {
          expect(address).toMatch(/^(data\.[A-Za-z][A-Za-z0-9]*_\w+\.[\w-]+|module\.[\w-]+|[A-Za-z][A-Za-z0-9]*_\w+\.[\w-]+)(\[.*\])?$/);
          expect(referenceTarget(address)).toBe(address);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
