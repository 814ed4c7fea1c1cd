import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accountId, environmentGenerator, registryIdentifier } from "../src/environment/generator.ts";
import { serviceGenerator } from "../src/service/generator.ts";
import { readConstObject, readEnvironmentConfig, readRegistry } from "../src/source.ts";
import { renderEnvironmentProject, renderEnvironmentTsconfig } from "../src/templates.ts";
import { ENVIRONMENT, REPO_ROOT, SERVICE, changedSince, estateTree, snapshot } from "./helpers.ts";

const REGISTRY = "stacks/src/environments/index.ts";

function registryOrder(tree: ReturnType<typeof estateTree>): string[] {
  return readRegistry(REGISTRY, tree.read(REGISTRY, "utf-8")!).map((e) => e.identifier);
}

describe("environment generator", () => {
  it("creates the environment's project and registers it in promotion order", () => {
    const tree = estateTree();
    const snap = snapshot(tree);
    environmentGenerator(tree, { ...ENVIRONMENT });
    expect(changedSince(tree, snap)).toEqual([
      "CREATE stacks/environments/qa/config.ts",
      "CREATE stacks/environments/qa/project.json",
      "CREATE stacks/environments/qa/tsconfig.json",
      "UPDATE stacks/src/environments/index.ts",
    ]);
    expect(registryOrder(tree)).toEqual(["dev", "stage", "qa", "prod"]);
    const registry = tree.read(REGISTRY, "utf-8")!;
    expect(registry).toContain('import prod from "../../environments/prod/config.ts";\nimport qa from "../../environments/qa/config.ts";\n');
    expect(registry).toContain("export const ENVIRONMENTS: readonly Environment[] = [dev, stage, qa, prod];");

    const org = readConstObject("org.ts", tree.read("stacks/src/environments/org.ts", "utf-8")!, "ORG");
    expect(readEnvironmentConfig("config.ts", tree.read("stacks/environments/qa/config.ts", "utf-8")!, org)).toEqual({
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
      services: [],
    });
    const project = JSON.parse(tree.read("stacks/environments/qa/project.json", "utf-8")!) as { name: string; targets: Record<string, { options: { command: string } }> };
    expect(project.name).toBe("env-qa");
    expect(Object.keys(project.targets).sort()).toEqual(["gate", "lint", "synth", "test", "typecheck"]);
    expect(project.targets["synth"]!.options.command).toBe("node tools/cli/bin/baseplate.js synth --env qa --out stacks/environments/qa/cdktf.out");
  });

  it("puts a dev environment after dev and a prod one last; prod gets three AZs by default", () => {
    const tree = estateTree();
    environmentGenerator(tree, { ...ENVIRONMENT, name: "sandbox", tier: "dev" });
    environmentGenerator(tree, { ...ENVIRONMENT, name: "prod-us", tier: "prod", account: "555555555555", region: "us-east-1", vpcCidr: "10.50.0.0/16", zoneName: "us.acme.example", zoneId: "Z0PRODUS0000001" });
    expect(registryOrder(tree)).toEqual(["dev", "sandbox", "stage", "prod", "prodUs"]);
    expect(tree.read("stacks/environments/prod-us/config.ts", "utf-8")).toContain("    azCount: 3,\n");
    expect(tree.read("stacks/environments/prod-us/config.ts", "utf-8")).toContain('    region: "us-east-1",\n');
  });

  it("makes an environment the service generator can extend", () => {
    const tree = estateTree();
    environmentGenerator(tree, { ...ENVIRONMENT });
    serviceGenerator(tree, { ...SERVICE, environment: "qa", image: "444444444444.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1" });
    expect(tree.read("stacks/environments/qa/config.ts", "utf-8")).toContain('    services: [\n      {\n        name: "ledger",');
  });

  it.each([
    [{ vpcCidr: "10.10.128.0/20" }, /vpcCidr 10\.10\.128\.0\/20 overlaps 10\.10\.0\.0\/16 of 'dev' \(stacks\/environments\/dev\/config\.ts\)/],
    [{ vpcCidr: "10.40.0.1/16" }, /vpcCidr "10\.40\.0\.1\/16" is not an IPv4 network/],
    [{ tier: "production" }, /tier "production" is unknown; use one of dev, stage, prod/],
    [{ account: "4444" }, /account id "4444" is invalid/],
    [{ name: "QA" }, /environment name "QA" is invalid/],
    [{ region: "mars-1" }, /region "mars-1" is not allowed/],
    [{ zoneId: "Z0DEV0000000001" }, /zoneId Z0DEV0000000001 is already the hosted zone of 'dev'/],
    [{ zoneId: "nope" }, /Route 53 hosted zone id/],
    [{ azCount: 4 }, /azCount 4 must be 2 or 3/],
  ])("refuses %j and writes nothing", (patch, message) => {
    const tree = estateTree();
    const snap = snapshot(tree);
    expect(() => environmentGenerator(tree, { ...ENVIRONMENT, ...patch })).toThrow(message);
    expect(changedSince(tree, snap)).toEqual([]);
  });

  it("refuses an environment that exists", () => {
    expect(() => environmentGenerator(estateTree(), { ...ENVIRONMENT, name: "stage", vpcCidr: "10.60.0.0/16" })).toThrow(
      "stacks/environments/stage already exists; choose another environment name.",
    );
  });

  it("restores an account id that the Nx argument parser turned into a number", () => {
    expect(accountId(12345678901)).toBe("012345678901");
    expect(accountId("012345678901")).toBe("012345678901");
    const tree = estateTree();
    environmentGenerator(tree, { ...ENVIRONMENT, account: 44444444444 });
    expect(tree.read("stacks/environments/qa/config.ts", "utf-8")).toContain('    account: "044444444444",\n');
    expect(() => environmentGenerator(estateTree(), { ...ENVIRONMENT, account: 1234567890123 })).toThrow(/account id "1234567890123" is invalid/);
  });

  it("names registry variables after the environment", () => {
    expect(registryIdentifier("qa")).toBe("qa");
    expect(registryIdentifier("prod-eu")).toBe("prodEu");
    expect(registryIdentifier("prod-eu-2")).toBe("prodEu2");
    expect(registryIdentifier("do")).toBe("doEnv");
    expect(registryIdentifier("new")).toBe("newEnv");
  });
});

describe("the shipped environments", () => {
  it.each(["dev", "stage", "prod"])("%s uses the generator's project templates", (name) => {
    const dir = join(REPO_ROOT, "stacks", "environments", name);
    expect(readFileSync(join(dir, "project.json"), "utf8")).toBe(renderEnvironmentProject(name));
    expect(readFileSync(join(dir, "tsconfig.json"), "utf8")).toBe(renderEnvironmentTsconfig());
  });
});
