// End to end: the generators run through `nx g` on a copy of the workspace, and what they
// produce passes type-check, lint, synthesis and the policy gate with no edits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, copyWorkspace, node, removeWorkspace, type Run } from "./workspace.ts";

interface Finding {
  rule: string;
  address: string;
  observed?: unknown;
}
interface Report {
  stacks: { stack: string; findings: Finding[] }[];
  summary: { stacks: number; mandatory: number };
}

function ok(run: Run, what: string): void {
  expect(run.code, `${what} failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
}

async function check(root: string, path: string): Promise<{ run: Run; report: Report }> {
  const run = await node(root, [BIN.baseplate, "check", path, "--format", "json", "--now", "2026-11-25T00:00:00Z"]);
  expect(run.stderr).toBe("");
  return { run, report: JSON.parse(run.stdout) as Report };
}

describe("service generator, end to end", () => {
  let root: string;
  beforeAll(() => {
    root = copyWorkspace();
  });
  afterAll(() => removeWorkspace(root));

  it("adds a service that type-checks, lints, synthesizes and passes the gate with no findings", async () => {
    const gen = await node(root, [
      BIN.nx,
      "g",
      "@baseplate/generators:service",
      "--name=ledger",
      "--environment=dev",
      "--owner=ledger-team",
      "--costCenter=CC-3010",
      "--dataClassification=confidential",
      "--image=111111111111.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1",
      "--no-interactive",
    ]);
    ok(gen, "nx g service");
    expect(gen.stdout).toContain("UPDATE stacks/environments/dev/config.ts");
    expect(gen.stdout).toContain("its stack is ledger-dev");
    expect(readFileSync(join(root, "stacks/environments/dev/config.ts"), "utf8")).toContain('name: "ledger"');

    const [tsc, eslint, synth] = await Promise.all([
      node(root, [BIN.tsc, "-p", "stacks/tsconfig.json"]),
      node(root, [BIN.eslint, "--max-warnings=0", "stacks/environments/dev/config.ts"]),
      node(root, [BIN.baseplate, "synth", "ledger-dev"]),
    ]);
    ok(tsc, "tsc");
    ok(eslint, "eslint");
    ok(synth, "baseplate synth");
    expect(synth.stdout).toContain("synthesized ledger-dev -> cdktf.out/stacks/ledger-dev/cdk.tf.json");

    const { run, report } = await check(root, "cdktf.out/stacks/ledger-dev");
    expect(report.stacks.map((s) => s.stack)).toEqual(["ledger-dev"]);
    expect(report.stacks[0]!.findings).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe("environment generator, end to end", () => {
  let root: string;
  beforeAll(() => {
    root = copyWorkspace();
  });
  afterAll(() => removeWorkspace(root));

  it("adds an environment that type-checks, lints, synthesizes, passes the gate and is its own Nx project", async () => {
    const gen = await node(root, [
      BIN.nx,
      "g",
      "@baseplate/generators:environment",
      "--name=qa",
      "--tier=stage",
      "--account=444444444444",
      "--vpcCidr=10.40.0.0/16",
      "--zoneName=qa.acme.example",
      "--zoneId=Z0QA00000000001",
      "--no-interactive",
    ]);
    ok(gen, "nx g environment");
    for (const line of ["CREATE stacks/environments/qa/config.ts", "CREATE stacks/environments/qa/project.json", "UPDATE stacks/src/environments/index.ts"]) {
      expect(gen.stdout).toContain(line);
    }
    const svc = await node(root, [
      BIN.nx,
      "g",
      "@baseplate/generators:service",
      "--name=ledger",
      "--environment=qa",
      "--owner=ledger-team",
      "--costCenter=CC-3010",
      "--image=444444444444.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1",
      "--no-interactive",
    ]);
    ok(svc, "nx g service");

    const [tscEnv, tscStacks, eslint, synth, affected] = await Promise.all([
      node(root, [BIN.tsc, "-p", "stacks/environments/qa/tsconfig.json"]),
      node(root, [BIN.tsc, "-p", "stacks/tsconfig.json"]),
      node(root, [BIN.eslint, "--max-warnings=0", "stacks/environments/qa/config.ts", "stacks/src/environments/index.ts"]),
      node(root, [BIN.baseplate, "synth", "--env", "qa", "--out", "stacks/environments/qa/cdktf.out"]),
      node(root, [BIN.nx, "show", "projects", "--affected", "--files=stacks/environments/qa/config.ts", "--json"]),
    ]);
    ok(tscEnv, "tsc (environment project)");
    ok(tscStacks, "tsc (stacks)");
    ok(eslint, "eslint");
    ok(synth, "baseplate synth --env qa");
    ok(affected, "nx show projects --affected");
    expect(synth.stdout.trim().split("\n").map((l) => l.split(" ")[1])).toEqual(["platform-qa", "network-qa", "ledger-qa"]);
    expect(JSON.parse(affected.stdout)).toEqual(["env-qa"]);

    const { run, report } = await check(root, "stacks/environments/qa/cdktf.out");
    expect(report.stacks.map((s) => s.stack)).toEqual(["ledger-qa", "network-qa", "platform-qa"]);
    expect(report.stacks.flatMap((s) => s.findings.map((f) => `${s.stack} ${f.rule} ${f.address}`))).toEqual([]);
    expect(run.code).toBe(0);
  });
});
