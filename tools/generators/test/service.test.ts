import { describe, expect, it } from "vitest";
import { serviceGenerator } from "../src/service/generator.ts";
import { readEnvironmentConfig, readConstObject } from "../src/source.ts";
import { SERVICE, changedSince, estateTree, snapshot } from "./helpers.ts";

function config(tree: ReturnType<typeof estateTree>, env: string): Record<string, unknown> {
  const org = readConstObject("org.ts", tree.read("stacks/src/environments/org.ts", "utf-8")!, "ORG");
  return readEnvironmentConfig("config.ts", tree.read(`stacks/environments/${env}/config.ts`, "utf-8")!, org);
}

describe("service generator", () => {
  it("appends the service to the environment's config and changes nothing else", () => {
    const tree = estateTree();
    const before = tree.read("stacks/environments/dev/config.ts", "utf-8")!;
    const snap = snapshot(tree);
    serviceGenerator(tree, { ...SERVICE });
    expect(changedSince(tree, snap)).toEqual(["UPDATE stacks/environments/dev/config.ts"]);
    const after = tree.read("stacks/environments/dev/config.ts", "utf-8")!;
    expect(after).toContain(`      {
        name: "ledger",
        owner: "ledger-team",
        costCenter: "CC-3010",
        dataClassification: "confidential",
        image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1",
        domainName: "ledger.dev.acme.example",
      },
    ],`);
    // the existing text is kept: the new entry is pure insertion
    const inserted = after.length - before.length;
    expect(after.slice(0, before.indexOf("\n    ],"))).toBe(before.slice(0, before.indexOf("\n    ],")));
    expect(inserted).toBeGreaterThan(0);
    const services = config(tree, "dev")["services"] as { name: string }[];
    expect(services.map((s) => s.name)).toEqual(["payments-api", "ledger"]);
  });

  it("defaults the domain to <name>.<zone>, the classification to internal, and records database: false", () => {
    const tree = estateTree();
    const { dataClassification: _d, ...rest } = SERVICE;
    serviceGenerator(tree, { ...rest, environment: "prod", image: "333333333333.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1", database: false });
    const ledger = (config(tree, "prod")["services"] as Record<string, unknown>[]).find((s) => s["name"] === "ledger");
    expect(ledger).toEqual({
      name: "ledger",
      owner: "ledger-team",
      costCenter: "CC-3010",
      dataClassification: "internal",
      image: "333333333333.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1",
      domainName: "ledger.acme.example",
      database: false,
    });
  });

  it.each([
    [{ costCenter: "1234" }, /services\[1\]\.costCenter is missing or invalid/],
    [{ owner: "" }, /services\[1\]\.owner is missing or invalid/],
    [{ image: "ledger:latest" }, /services\[1\]\.image must be pinned/],
    [{ domain: "ledger.other.example" }, /services\[1\]\.domainName must be inside the environment's DNS zone "dev\.acme\.example"/],
    [{ name: "payments-api" }, /'payments-api' is used twice/],
    [{ name: "network" }, /reserved for the shared stacks/],
    [{ name: "Ledger" }, /must be a lowercase slug/],
    [{ dataClassification: "secret" }, /dataClassification must be one of/],
  ])("refuses %j with the environment schema's message and writes nothing", (patch, message) => {
    const tree = estateTree();
    const snap = snapshot(tree);
    expect(() => serviceGenerator(tree, { ...SERVICE, ...patch })).toThrow(message);
    expect(() => serviceGenerator(tree, { ...SERVICE, ...patch })).toThrow(/^cannot add service '.*' to stacks\/environments\/dev\/config\.ts:/);
    expect(changedSince(tree, snap)).toEqual([]);
  });

  it("refuses an unknown environment, naming the existing ones", () => {
    expect(() => serviceGenerator(estateTree(), { ...SERVICE, environment: "qa" })).toThrow(
      "environment 'qa' does not exist; use one of dev, prod, stage, or add it with 'nx g @baseplate/generators:environment'.",
    );
  });

  it("refuses an environment config that is not a plain literal, naming the line", () => {
    const tree = estateTree();
    const text = tree.read("stacks/environments/dev/config.ts", "utf-8")!;
    tree.write("stacks/environments/dev/config.ts", text.replace('azCount: 2,', "azCount: Number(process.env.AZ),"));
    expect(() => serviceGenerator(tree, { ...SERVICE })).toThrow(/stacks\/environments\/dev\/config\.ts:\d+: 'Number\(process\.env\.AZ\)' is not a literal value/);
  });
});
