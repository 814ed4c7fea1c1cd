import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { changedStacks, SynthTreeError, withoutMetadata } from "../src/changes.ts";
import { ENVIRONMENTS, type Environment } from "../src/environments/index.ts";
import { synthEstate, tempDir } from "./helpers.ts";

/** The estate with one environment's config replaced. */
function withEnvironment(name: string, patch: (e: Environment) => Environment): Environment[] {
  return ENVIRONMENTS.map((e) => (e.name === name ? patch(e) : e));
}

describe("changedStacks", () => {
  let base: string;
  beforeAll(() => {
    base = synthEstate().dir;
  });

  it("finds nothing between two syntheses of the same estate", () => {
    expect(changedStacks(base, synthEstate().dir)).toEqual([]);
  });

  it("finds exactly the stack whose config changed", () => {
    const head = synthEstate({
      environments: withEnvironment("stage", (e) => ({
        ...e,
        services: e.services.map((s) => ({ ...s, image: s.image.replace(":1.42.0", ":1.43.0") })),
      })),
    }).dir;
    expect(changedStacks(base, head)).toEqual([{ stack: "payments-api-stage", change: "modified" }]);
  });

  it("reports added and removed stacks", () => {
    const head = synthEstate({
      environments: withEnvironment("dev", (e) => ({
        ...e,
        services: [{ ...e.services[0]!, name: "ledger", domainName: `ledger.${e.dns.zoneName}` }],
      })),
    }).dir;
    expect(changedStacks(base, head)).toEqual([
      { stack: "ledger-dev", change: "added" },
      { stack: "payments-api-dev", change: "removed" },
    ]);
  });

  it("ignores differences only in the \"//\" metadata (source locations, construct ids)", () => {
    const head = tempDir("meta");
    cpSync(base, head, { recursive: true });
    const file = join(head, "stacks", "network-prod", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as { "//": { baseplate: { sources: Record<string, string> } } };
    for (const key of Object.keys(json["//"].baseplate.sources)) json["//"].baseplate.sources[key] = "stacks/src/stacks/network.ts:999";
    writeFileSync(file, JSON.stringify(json, null, 4));
    expect(changedStacks(base, head)).toEqual([]);
    const changed = { ...json, locals: { extra: 1 } };
    writeFileSync(file, JSON.stringify(changed));
    expect(changedStacks(base, head)).toEqual([{ stack: "network-prod", change: "modified" }]);
  });

  it("drops \"//\" keys at every depth and keeps everything else", () => {
    expect(withoutMetadata({ b: [{ "//": 1, x: 2 }], a: { "//": { m: 1 }, y: null } })).toEqual({ a: { y: null }, b: [{ x: 2 }] });
  });

  it("fails closed on a missing tree or a malformed stack, naming the file", () => {
    const missing = join(tempDir("missing"), "nope");
    expect(() => changedStacks(missing, base)).toThrow(SynthTreeError);
    expect(() => changedStacks(missing, base)).toThrow(/nope\/stacks does not exist; synthesize into .* first/);
    const broken = tempDir("broken");
    cpSync(base, broken, { recursive: true });
    writeFileSync(join(broken, "stacks", "network-dev", "cdk.tf.json"), "{ not json");
    expect(() => changedStacks(base, broken)).toThrow(/network-dev\/cdk\.tf\.json is not valid JSON/);
    rmSync(join(broken, "stacks", "network-dev", "cdk.tf.json"));
    expect(() => changedStacks(base, broken)).toThrow(/network-dev\/cdk\.tf\.json is missing/);
  });
});
