/**
 * Fault injection through the real CLI process: a corrupt policy bundle, a missing catalog, a rule
 * that fails at runtime, a synthesized stack listed in the manifest but missing, and hostile input
 * files. Each must exit 2 with one clear line on standard error naming the file (no stack trace as
 * the message), within a bounded time.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, RAW_FIXTURE, runCli, tempDir, type CliRun } from "./helpers.ts";

const BUNDLE = join(ROOT, "policies", "build");
const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function workDir(prefix: string): string {
  const dir = tempDir(prefix);
  created.push(dir);
  return dir;
}

/** A synth output directory holding the raw non-compliant fixture as stack `raw`. */
function synthDir(): string {
  const dir = workDir("synth");
  mkdirSync(join(dir, "cdktf.out", "stacks", "raw"), { recursive: true });
  cpSync(RAW_FIXTURE, join(dir, "cdktf.out", "stacks", "raw", "cdk.tf.json"));
  writeFileSync(
    join(dir, "cdktf.out", "manifest.json"),
    JSON.stringify({ version: "0.21.0", stacks: { raw: { name: "raw", synthesizedStackPath: "stacks/raw/cdk.tf.json", workingDirectory: "stacks/raw" } } }),
  );
  return dir;
}

function bundleCopy(): string {
  if (!existsSync(join(BUNDLE, "policy.wasm"))) throw new Error(`${BUNDLE}/policy.wasm is missing; run 'node policies/scripts/build.ts' first.`);
  const dir = workDir("bundle");
  cpSync(BUNDLE, dir, { recursive: true });
  return dir;
}

/** Exit 2, one line on stderr naming `file`, no stack trace, nothing on stdout that looks like a pass. */
function expectCleanFailure(run: CliRun, file: string): void {
  expect(run.timedOut, "the CLI hung").toBe(false);
  expect(run.status, `stderr: ${run.stderr}`).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^baseplate: error: /);
  expect(lines[0]).toContain(file);
  expect(run.stderr).not.toMatch(/\n\s+at\s|internal error/);
  expect(run.stdout).not.toMatch(/PASS/);
}

function opaBinary(): string {
  for (const dir of [join(ROOT, ".tools", "bin"), ...(process.env["PATH"] ?? "").split(delimiter)]) {
    const candidate = join(dir, "opa");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("opa is not installed; run 'bash tools/setup.sh' (it puts the pinned OPA in .tools/bin).");
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

describe("a broken policy bundle", () => {
  it("works when intact (the baseline for the faults below)", () => {
    const cwd = synthDir();
    const run = runCli(["check", "--no-waivers", "--bundle", bundleCopy(), "--now", "2026-11-25T00:00:00Z"], cwd);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("NET-002");
  });

  it("a truncated policy.wasm: exit 2 naming policy.wasm (sha256 no longer matches)", () => {
    const bundle = bundleCopy();
    truncateSync(join(bundle, "policy.wasm"), 1000);
    expectCleanFailure(runCli(["check", "--no-waivers", "--bundle", bundle], synthDir()), "policy.wasm");
  });

  it("a truncated policy.wasm with a matching manifest: exit 2 naming policy.wasm (not WebAssembly)", () => {
    const bundle = bundleCopy();
    truncateSync(join(bundle, "policy.wasm"), 1000);
    const manifestFile = join(bundle, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, sha256: sha256(join(bundle, "policy.wasm")) }));
    expectCleanFailure(runCli(["check", "--no-waivers", "--bundle", bundle], synthDir()), "policy.wasm");
  });

  it("a missing catalog.json: exit 2 naming catalog.json", () => {
    const bundle = bundleCopy();
    rmSync(join(bundle, "catalog.json"));
    expectCleanFailure(runCli(["check", "--no-waivers", "--bundle", bundle], synthDir()), "catalog.json");
  });

  it("a catalog that is not JSON: exit 2 naming catalog.json", () => {
    const bundle = bundleCopy();
    writeFileSync(join(bundle, "catalog.json"), '{"schema": "baseplate/catalog@1", "rules": [');
    expectCleanFailure(runCli(["check", "--no-waivers", "--bundle", bundle], synthDir()), "catalog.json");
  });

  it("a missing bundle directory: exit 2 naming the manifest", () => {
    const missing = join(workDir("nobundle"), "no-such-bundle");
    expectCleanFailure(runCli(["check", "--no-waivers", "--bundle", missing], synthDir()), "manifest.json");
  });

  it("a rule that fails at runtime (time.now_ns is not in OPA-Wasm): exit 2 naming the input file", () => {
    const src = workDir("rego");
    writeFileSync(
      join(src, "main.rego"),
      [
        "package baseplate",
        "",
        "import rego.v1",
        "",
        'findings contains {"rule": "S3-001", "address": "aws_s3_bucket.x"} if time.now_ns() > 0',
        "",
        'result := {"input_parsed": true, "findings": findings}',
        "",
      ].join("\n"),
    );
    const bundle = bundleCopy();
    const archive = join(src, "bundle.tar.gz");
    execFileSync(opaBinary(), ["build", "-t", "wasm", "-e", "baseplate/findings", "-e", "baseplate/result", "-o", archive, src], { stdio: "pipe" });
    execFileSync("tar", ["-xzf", archive, "-C", src, "/policy.wasm"], { stdio: "pipe" });
    cpSync(join(src, "policy.wasm"), join(bundle, "policy.wasm"));
    const manifestFile = join(bundle, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, sha256: sha256(join(bundle, "policy.wasm")) }));
    const run = runCli(["check", "--no-waivers", "--bundle", bundle], synthDir());
    expectCleanFailure(run, join("cdktf.out", "stacks", "raw", "cdk.tf.json"));
    expect(run.stderr).toMatch(/not implemented|time\.now_ns/);
  });
});

describe("a broken synth output", () => {
  it("a stack listed in the manifest without its cdk.tf.json: exit 2 naming the missing file", () => {
    const cwd = synthDir();
    const manifestFile = join(cwd, "cdktf.out", "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks: Record<string, unknown> };
    manifest.stacks["ghost"] = { name: "ghost", synthesizedStackPath: "stacks/ghost/cdk.tf.json", workingDirectory: "stacks/ghost" };
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expectCleanFailure(runCli(["check", "--no-waivers"], cwd), join("cdktf.out", "stacks", "ghost", "cdk.tf.json"));
  });

  it("a manifest that is not JSON: exit 2 naming manifest.json", () => {
    const cwd = synthDir();
    writeFileSync(join(cwd, "cdktf.out", "manifest.json"), "{ not json");
    expectCleanFailure(runCli(["check", "--no-waivers"], cwd), join("cdktf.out", "manifest.json"));
  });

  it("a waivers file that is not JSON: exit 2 naming the waivers file", () => {
    const cwd = synthDir();
    writeFileSync(join(cwd, "waivers.json"), '{"waivers": [');
    expectCleanFailure(runCli(["check", "--waivers", "waivers.json"], cwd), "waivers.json");
  });
});

describe("hostile input files through the CLI", () => {
  const cases: [string, Buffer][] = [
    ["truncated", readFileSync(RAW_FIXTURE).subarray(0, 900)],
    ["invalid UTF-8", Buffer.concat([readFileSync(RAW_FIXTURE).subarray(0, 50), Buffer.from([0xc0, 0xaf]), readFileSync(RAW_FIXTURE).subarray(50)])],
    ["empty", Buffer.alloc(0)],
    ["a JSON array", Buffer.from("[1,2,3]")],
    ["Terraform JSON without cdktf metadata", Buffer.from('{"resource":{"aws_s3_bucket":{"b":{}}}}')],
    ["a state file", Buffer.from('{"version":4,"terraform_version":"1.9.0","serial":1,"lineage":"x","resources":[]}')],
    ["an errored plan", Buffer.from('{"format_version":"1.2","resource_changes":[],"errored":true}')],
    ["a NUL byte", Buffer.from('{"//":{"metadata":{}},"resource":\u0000{}}')],
  ];
  for (const [what, bytes] of cases) {
    it(`${what}: exit 2 naming the file`, () => {
      const cwd = workDir("input");
      writeFileSync(join(cwd, "input.plan.json"), bytes);
      expectCleanFailure(runCli(["check", "--no-waivers", "input.plan.json"], cwd), "input.plan.json");
    });
  }

  // Deeper than MAX_NESTING: refused up front, naming the file (no call-stack overflow).
  it("a deeply nested value: exit 2 naming the file", () => {
    const cwd = workDir("deep");
    mkdirSync(join(cwd, "s"), { recursive: true });
    const depth = 20_000;
    writeFileSync(join(cwd, "s", "cdk.tf.json"), `{"//":{"metadata":{}},"resource":{"aws_s3_bucket":{"b":{"bucket":"x","tags":${"[".repeat(depth)}${"]".repeat(depth)}}}}}`);
    expectCleanFailure(runCli(["check", "--no-waivers", join("s", "cdk.tf.json")], cwd), join("s", "cdk.tf.json"));
  });
});
