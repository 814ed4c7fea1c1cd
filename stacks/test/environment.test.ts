// The checks every environment must pass. Each environment project (`env-<name>`) runs this file
// with BASEPLATE_ENV=<name>; the stacks project runs it for every environment.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listStacks } from "../src/app.ts";
import { ENVIRONMENTS, environmentConfigProblems } from "../src/environments/index.ts";
import { REPO_ROOT, resources, runCheck, synthEstate, unexpectedFindings } from "./helpers.ts";

const only = process.env["BASEPLATE_ENV"];
if (only !== undefined && !ENVIRONMENTS.some((e) => e.name === only)) {
  throw new Error(`BASEPLATE_ENV=${only} names no environment; use one of ${ENVIRONMENTS.map((e) => e.name).join(", ")} (stacks/src/environments/index.ts).`);
}

describe.each(ENVIRONMENTS.filter((e) => only === undefined || e.name === only).map((e) => [e.name, e] as const))("environment %s", (name, env) => {
  it("has its config file and Nx project under stacks/environments/", () => {
    expect(existsSync(join(REPO_ROOT, "stacks", "environments", name, "config.ts"))).toBe(true);
    expect(existsSync(join(REPO_ROOT, "stacks", "environments", name, "project.json"))).toBe(true);
    expect(environmentConfigProblems(env)).toEqual([]);
  });

  it("synthesizes its stacks, each tagged with the environment and with its own state", () => {
    const names = listStacks()
      .filter((s) => s.environment === name)
      .map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([`network-${name}`, ...env.services.map((s) => `${s.name}-${name}`)]));
    const { stacks } = synthEstate({ stacks: names });
    expect(stacks.map((s) => s.name)).toEqual([...names].sort());
    for (const s of stacks) {
      expect(s.json["//"]?.baseplate?.environment?.name).toBe(name);
      expect(s.json.terraform?.backend?.s3?.key).toBe(`stacks/${s.name}/terraform.tfstate`);
      expect(s.json.provider?.aws?.[0]?.default_tags?.[0]?.tags?.["Environment"]).toBe(name);
    }
    const network = stacks.find((s) => s.name === `network-${name}`)!;
    const subnets = resources(network.json).filter(([type]) => type === "aws_subnet");
    expect(subnets.length % env.azCount).toBe(0);
    expect(resources(network.json).find(([type]) => type === "aws_vpc")?.[2]["cidr_block"]).toBe(env.vpcCidr);
  });

  it("passes the policy gate with no findings", () => {
    const names = listStacks()
      .filter((s) => s.environment === name)
      .map((s) => s.name);
    const { dir } = synthEstate({ stacks: names });
    const { code, report, stderr } = runCheck([dir]);
    expect(stderr).toBe("");
    expect(report?.summary.stacks).toBe(names.length);
    expect(unexpectedFindings(report!)).toEqual([]);
    expect(code).toBe(0);
  });
});
