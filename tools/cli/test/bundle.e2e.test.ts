import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_ROOT, NOW, fixture, runCli, tempDir } from "./helpers.ts";

const OPA = join(CLI_ROOT, "..", "..", ".tools", "bin", "opa");

const RULE = {
  id: "T-001",
  title: "Test rule",
  description: "A rule used to exercise the engine against real OPA-Wasm bundles.",
  severity: "high",
  enforcement: "mandatory",
  controls: ["TEST 1"],
  remediation: "None.",
  message: "{address} matched.",
  package: "baseplate.rules.test",
  resource_types: ["aws_security_group"],
  sources: "both",
};

/** Compiles a one-file Rego policy to a bundle directory shaped like policies/build. */
function buildBundle(rego: string): string {
  const dir = tempDir("baseplate-bundle-");
  // the two entrypoints the loader requires (policies/rego/main.rego)
  const result = `
result := {"input_parsed": _input_parsed, "findings": findings}
default _input_parsed := false
_input_parsed if {
  _ = input
}
`;
  writeFileSync(join(dir, "policy.rego"), rego + result);
  execFileSync(OPA, ["build", "-t", "wasm", "-e", "baseplate/findings", "-e", "baseplate/result", "-o", join(dir, "bundle.tar.gz"), join(dir, "policy.rego")], { stdio: "pipe" });
  execFileSync("tar", ["-xzf", join(dir, "bundle.tar.gz"), "-C", dir, "/policy.wasm"], { stdio: "pipe" });
  const out = join(dir, "build");
  mkdirSync(out);
  const wasm = readFileSync(join(dir, "policy.wasm"));
  writeFileSync(join(out, "policy.wasm"), wasm);
  writeFileSync(join(out, "catalog.json"), JSON.stringify({ schema: "baseplate/catalog@1", opa_version: "test", rules: [RULE] }));
  writeFileSync(
    join(out, "manifest.json"),
    JSON.stringify({
      schema: "baseplate/policy-bundle@1",
      sha256: createHash("sha256").update(wasm).digest("hex"),
      rules: 1,
      opa_version: "test",
      entrypoints: ["baseplate/findings", "baseplate/result"],
      inputs_sha256: "0".repeat(64),
    }),
  );
  return out;
}

describe.skipIf(!existsSync(OPA))("real OPA-Wasm bundles", () => {
  let unknownRule = "";
  let runtimeError = "";
  let working = "";

  beforeAll(() => {
    working = buildBundle(`package baseplate
import rego.v1
findings contains {"rule": "T-001", "address": r.address} if {
  some r in input.resources.aws_security_group
}
`);
    unknownRule = buildBundle(`package baseplate
import rego.v1
findings contains {"rule": "ZZ-404", "address": r.address} if {
  some r in input.resources.aws_security_group
}
`);
    runtimeError = buildBundle(`package baseplate
import rego.v1
findings contains {"rule": "T-001", "address": r.address, "observed": units.parse_bytes(r.values.name)} if {
  some r in input.resources.aws_security_group
}
`);
  }, 120_000);

  it("maps the findings of a bundle through its catalog", () => {
    const result = runCli(["check", "--no-waivers", "--now", NOW, "--bundle", working, "--format", "json", fixture("synth", "clean", "cdk.tf.json")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { bundle: { rules: number }; stacks: { findings: { rule: string; message: string }[] }[] };
    expect(report.bundle.rules).toBe(1);
    expect(report.stacks[0]?.findings).toEqual([expect.objectContaining({ rule: "T-001", message: "aws_security_group.web_sg_1F2E3D4C matched." })]);
  });

  it("fails closed with exit 2 when a rule returns an id missing from the catalog", () => {
    const result = runCli(["check", "--no-waivers", "--now", NOW, "--bundle", unknownRule, fixture("synth", "clean", "cdk.tf.json")]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^baseplate: error: A policy returned rule id ZZ-404, which is not in the catalog/);
  });

  it("fails closed with exit 2 when a rule errors at runtime (a builtin OPA-Wasm lacks)", () => {
    const result = runCli(["check", "--no-waivers", "--now", NOW, "--bundle", runtimeError, fixture("synth", "clean", "cdk.tf.json")]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^baseplate: error: Policy evaluation failed for .*clean\/cdk\.tf\.json \(stack web-dev\): .*units\.parse_bytes.*; this is a defect in a rule or the bundle/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
