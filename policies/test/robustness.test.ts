/**
 * Broken input never crashes the bundle: every case input, with random parts replaced by random
 * JSON (wrong types, nulls, references, unknown markers), evaluates to a list of findings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCaseFiles } from "../scripts/cases.ts";
import { evaluate } from "../src/index.ts";
import { sharedBundle } from "./helpers.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const inputs = loadCaseFiles()
  .flatMap((f) => f.cases.map((c) => c.input))
  .filter((i): i is Record<string, Json> => typeof i === "object" && i !== null && !Array.isArray(i));

/** Every path (keys and indices) inside x. */
function paths(x: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(x)) x.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (x !== null && typeof x === "object") for (const [k, v] of Object.entries(x)) paths(v, [...prefix, k], out);
  return out;
}

function replaceAt(x: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(x) && typeof head === "number") return x.map((v, i) => (i === head ? replaceAt(v, rest, value) : v));
  if (x !== null && typeof x === "object" && !Array.isArray(x) && typeof head === "string") {
    return { ...x, [head]: replaceAt(x[head] ?? null, rest, value) };
  }
  return x;
}

const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.constantFrom("${aws_s3_bucket.x.id}", "*", "arn:aws:iam::aws:policy/AdministratorAccess", "{not json", '{"Statement":"x"}', "0.0.0.0/0", ""),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

describe("robustness", () => {
  it("has case inputs to mutate", () => {
    expect(inputs.length).toBeGreaterThan(100);
  });

  it("evaluates mutated case inputs without crashing", async () => {
    const { policy } = await sharedBundle();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 4 }),
        (which, mutations) => {
          let input: Json = inputs[which] ?? {};
          for (const [at, value] of mutations) {
            const all = paths(input);
            input = replaceAt(input, all[at % all.length] ?? [], value);
          }
          const findings = evaluate(policy, JSON.stringify(input));
          expect(Array.isArray(findings)).toBe(true);
        },
      ),
      { numRuns: 400, seed: 20261124 },
    );
  });

  it("evaluates arbitrary JSON documents without crashing", async () => {
    const { policy } = await sharedBundle();
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
        expect(Array.isArray(evaluate(policy, JSON.stringify(doc)))).toBe(true);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
