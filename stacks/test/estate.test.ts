import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MANDATORY_TAG_KEYS, stateBucketName } from "@baseplate/modules";
import { listStacks, stackDefinitions } from "../src/app.ts";
import { ENVIRONMENTS } from "../src/environments/index.ts";
import { resources, synthEstate, type SynthStack } from "./helpers.ts";

/** Every file below `dir`, relative to it, sorted. */
function files(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

let first: { dir: string; stacks: SynthStack[] };
beforeAll(() => {
  first = synthEstate();
});

function stack(name: string): SynthStack {
  const found = first.stacks.find((s) => s.name === name);
  if (!found) throw new Error(`stack ${name} was not synthesized`);
  return found;
}

describe("the estate", () => {
  it("synthesizes every stack of every environment", () => {
    const expected = ENVIRONMENTS.flatMap((e) => [`platform-${e.name}`, `network-${e.name}`, ...e.services.map((s) => `${s.name}-${e.name}`)]);
    expect(first.stacks.map((s) => s.name)).toEqual([...expected].sort());
    expect(listStacks().map((s) => s.name)).toEqual(expected);
  });

  it("synthesizes deterministically: two syntheses are byte-identical", () => {
    const second = synthEstate();
    const a = files(first.dir);
    expect(a).toEqual(files(second.dir));
    expect(a.length).toBeGreaterThanOrEqual(first.stacks.length + 1);
    for (const f of a) expect(readFileSync(join(second.dir, f), "utf8"), f).toBe(readFileSync(join(first.dir, f), "utf8"));
  });

  it("gives each stack a unique name and its own S3 state key in its environment's state bucket", () => {
    const names = first.stacks.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const keys = new Set<string>();
    for (const s of first.stacks) {
      const env = ENVIRONMENTS.find((e) => e.name === s.json["//"]?.baseplate?.environment?.name);
      expect(env, s.name).toBeDefined();
      const backend = s.json.terraform?.backend?.s3;
      expect(backend, s.name).toMatchObject({ key: `stacks/${s.name}/terraform.tfstate`, bucket: stateBucketName(env!.context), encrypt: true, use_lockfile: true });
      keys.add(`${backend!.bucket}/${backend!.key}`);
    }
    expect(keys.size).toBe(first.stacks.length);
  });

  it("declares for each stack the files it is built from", () => {
    for (const def of stackDefinitions()) {
      expect(def.inputs, def.name).toContain(`stacks/environments/${def.environment}/config.ts`);
      for (const input of def.inputs) expect(() => readFileSync(join(import.meta.dirname, "..", "..", input)), input).not.toThrow();
    }
  });

  it("takes tier differences from the tier: prod databases are Multi-AZ with deletion protection, dev's are not", () => {
    const db = (name: string): Record<string, unknown> => {
      const dbs = resources(stack(name).json).filter(([type]) => type === "aws_db_instance");
      expect(dbs, name).toHaveLength(1);
      return dbs[0]![2];
    };
    expect(db("payments-api-prod")).toMatchObject({ multi_az: true, deletion_protection: true });
    expect(db("payments-api-dev")).toMatchObject({ multi_az: false, deletion_protection: false });
  });

  it("runs a NAT gateway per AZ in prod and a single one in dev", () => {
    const nat = (name: string): number => resources(stack(name).json).filter(([type]) => type === "aws_nat_gateway").length;
    const prod = ENVIRONMENTS.find((e) => e.name === "prod")!;
    expect(prod.azCount).toBe(3);
    expect(nat("network-prod")).toBe(prod.azCount);
    expect(nat("network-dev")).toBe(1);
  });

  it("tags every resource with every mandatory tag through the provider's default_tags", () => {
    for (const s of first.stacks) {
      const providers = s.json.provider?.aws ?? [];
      expect(providers.length, s.name).toBeGreaterThan(0);
      const tagsOf = new Map<string, Record<string, string>>();
      for (const p of providers) {
        const tags = p.default_tags?.[0]?.tags ?? {};
        for (const key of MANDATORY_TAG_KEYS) expect(tags[key], `${s.name} provider ${p.alias ?? "default"} tag ${key}`).toMatch(/\S/);
        expect(tags["Environment"]).toBe(s.json["//"]?.baseplate?.environment?.name);
        tagsOf.set(p.alias === undefined ? "aws" : `aws.${p.alias}`, tags);
      }
      const all = resources(s.json);
      expect(all.length, s.name).toBeGreaterThan(0);
      for (const [type, name, cfg] of all) {
        const provider = typeof cfg["provider"] === "string" ? cfg["provider"] : "aws";
        const tags = tagsOf.get(provider);
        expect(tags, `${s.name} ${type}.${name} uses provider ${provider}`).toBeDefined();
        // an explicit tag may add to the defaults but never contradict a mandatory one
        const own = (cfg["tags"] ?? {}) as Record<string, string>;
        for (const key of MANDATORY_TAG_KEYS) if (key in own) expect(own[key], `${s.name} ${type}.${name} tag ${key}`).toBe(tags![key]);
      }
    }
  });
});
