import { mkdirSync, writeFileSync, copyFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadInputs, MAX_NESTING, nestingDepth, readInput, resolveInputPaths, synthOutputFiles } from "../src/input/index.ts";
import { fixture, tempDir } from "./helpers.ts";

function synthDir(stacks: string[], manifestStacks: string[] = stacks): string {
  const cwd = tempDir();
  for (const name of stacks) {
    mkdirSync(join(cwd, "cdktf.out", "stacks", name), { recursive: true });
    copyFileSync(fixture("synth", "clean", "cdk.tf.json"), join(cwd, "cdktf.out", "stacks", name, "cdk.tf.json"));
  }
  mkdirSync(join(cwd, "cdktf.out"), { recursive: true });
  const manifest = {
    version: "0.21.0",
    stacks: Object.fromEntries(
      manifestStacks.map((name) => [
        name,
        { name, constructPath: name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}`, annotations: [], dependencies: [] },
      ]),
    ),
  };
  writeFileSync(join(cwd, "cdktf.out", "manifest.json"), JSON.stringify(manifest));
  return cwd;
}

describe("input discovery", () => {
  it("reads every stack of cdktf.out when no path is given, with the stack hint from the directory", () => {
    const cwd = synthDir(["b-dev", "a-dev"]);
    const inputs = loadInputs([], cwd);
    expect(inputs.map((i) => i.file)).toEqual(["cdktf.out/stacks/a-dev/cdk.tf.json", "cdktf.out/stacks/b-dev/cdk.tf.json"]);
    expect(inputs.map((i) => i.stackHint)).toEqual(["a-dev", "b-dev"]);
    expect(inputs.every((i) => i.kind === "synth")).toBe(true);
  });

  it("fails closed when a stack in manifest.json has no cdk.tf.json", () => {
    const cwd = synthDir(["a-dev"], ["a-dev", "payments-prod"]);
    expect(() => synthOutputFiles("cdktf.out", cwd)).toThrow(
      /Stack payments-prod is listed in cdktf\.out\/manifest\.json but cdktf\.out\/stacks\/payments-prod\/cdk\.tf\.json is missing or unreadable, so it was synthesized but would not be evaluated/,
    );
  });

  it("says to run synth when cdktf.out is missing or empty", () => {
    const cwd = tempDir();
    expect(() => loadInputs([], cwd)).toThrow(/cdktf\.out\/ does not exist; run `baseplate synth` first/);
    mkdirSync(join(cwd, "cdktf.out"));
    expect(() => loadInputs([], cwd)).toThrow(/cdktf\.out\/ holds no synthesized stacks/);
  });

  it("walks a directory for cdk.tf.json, *.plan.json and *.tfplan.json, sorted, skipping node_modules", () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "in", "x"), { recursive: true });
    mkdirSync(join(cwd, "in", "node_modules", "y"), { recursive: true });
    copyFileSync(fixture("synth", "clean", "cdk.tf.json"), join(cwd, "in", "x", "cdk.tf.json"));
    copyFileSync(fixture("plan", "v1.0.plan.json"), join(cwd, "in", "a.plan.json"));
    copyFileSync(fixture("plan", "v1.0.plan.json"), join(cwd, "in", "b.tfplan.json"));
    copyFileSync(fixture("plan", "v1.0.plan.json"), join(cwd, "in", "ignored.json"));
    copyFileSync(fixture("synth", "clean", "cdk.tf.json"), join(cwd, "in", "node_modules", "y", "cdk.tf.json"));
    const files = resolveInputPaths(["in"], cwd).map((f) => f.slice(cwd.length + 1));
    expect(files).toEqual(["in/a.plan.json", "in/b.tfplan.json", "in/x/cdk.tf.json"]);
    const hints = loadInputs(["in"], cwd).map((i) => i.stackHint);
    expect(hints).toEqual(["a", "b", "x"]);
  });

  it("rejects a missing path and a directory without inputs", () => {
    const cwd = tempDir();
    expect(() => resolveInputPaths(["nope.json"], cwd)).toThrow(/nope\.json does not exist/);
    mkdirSync(join(cwd, "empty"));
    expect(() => resolveInputPaths(["empty"], cwd)).toThrow(/empty is a directory with no cdk\.tf\.json/);
  });

  it("rejects an empty file and an unreadable file", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "empty.json"), "  \n");
    expect(() => readInput(join(cwd, "empty.json"), cwd)).toThrow(/^empty\.json is empty/);
    if (process.getuid?.() !== 0) {
      writeFileSync(join(cwd, "locked.json"), "{}");
      chmodSync(join(cwd, "locked.json"), 0o000);
      expect(() => readInput(join(cwd, "locked.json"), cwd)).toThrow(/Cannot read locked\.json \(EACCES\)/);
    }
  });
});

describe("nestingDepth", () => {
  it("counts objects and arrays, not scalars", () => {
    expect(nestingDepth("text", 10)).toBe(0);
    expect(nestingDepth(null, 10)).toBe(0);
    expect(nestingDepth({}, 10)).toBe(1);
    expect(nestingDepth({ a: 1, b: [2, { c: [] }] }, 10)).toBe(4);
    expect(nestingDepth([[[[]]], {}], 10)).toBe(4);
  });

  it("counts keys named like prototype members as data", () => {
    const parsed = JSON.parse('{"__proto__": {"constructor": {"prototype": [[]]}}}') as unknown;
    expect(nestingDepth(parsed, 10)).toBe(5);
  });

  it("stops past the limit without walking the rest, and needs no recursion", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    expect(nestingDepth(deep, MAX_NESTING)).toBe(MAX_NESTING + 1);
    expect(nestingDepth(deep, 200_000)).toBe(100_000);
  });
});
