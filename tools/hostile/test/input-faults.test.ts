/**
 * Faults of what the gate is given to read, through the real CLI process: FIFOs and devices
 * (explicit paths, directory walks and the no-path mode the PR gate uses), oversized inputs, a
 * catalog with mistyped enum values, symbolic links, duplicate keys, and values that try to forge
 * output lines or GitHub Actions workflow commands.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

/** A synth output directory (cdktf.out with manifest) holding the raw fixture as stack `raw`. */
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

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

/** Exit 2 within seconds, one line on stderr naming `file` and matching `reason`, no stack trace, no PASS. */
function expectRefused(run: CliRun, file: string, reason: RegExp): void {
  expect(run.timedOut, "the CLI hung").toBe(false);
  expect(run.status, `stderr: ${run.stderr}`).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^baseplate: error: /);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(reason);
  expect(run.stderr).not.toMatch(/\n\s+at\s|internal error|defect in a rule/);
  expect(run.stdout).not.toMatch(/PASS/);
}

const QUICK = 10_000;

describe("FIFOs and devices are refused at once", () => {
  it("a FIFO passed as a path", () => {
    const cwd = workDir("fifo");
    mkfifo(join(cwd, "stack.plan.json"));
    expectRefused(runCli(["check", "--no-waivers", "stack.plan.json"], cwd, QUICK), "stack.plan.json", /named pipe \(FIFO\), not a regular file/);
  });

  it("a FIFO found while walking a directory", () => {
    const cwd = workDir("fifo-walk");
    mkdirSync(join(cwd, "in", "s"), { recursive: true });
    mkfifo(join(cwd, "in", "s", "cdk.tf.json"));
    expectRefused(runCli(["check", "--no-waivers", "in"], cwd, QUICK), join("in", "s", "cdk.tf.json"), /named pipe/);
  });

  it("a FIFO as a stack's cdk.tf.json in the no-path mode (cdktf.out)", () => {
    const cwd = synthDir();
    const file = join("cdktf.out", "stacks", "raw", "cdk.tf.json");
    rmSync(join(cwd, file));
    mkfifo(join(cwd, file));
    expectRefused(runCli(["check", "--no-waivers"], cwd, QUICK), file, /named pipe/);
  });

  it("a FIFO as cdktf.out/manifest.json in the no-path mode", () => {
    const cwd = synthDir();
    const file = join("cdktf.out", "manifest.json");
    rmSync(join(cwd, file));
    mkfifo(join(cwd, file));
    expectRefused(runCli(["check", "--no-waivers"], cwd, QUICK), file, /named pipe/);
  });

  it("a FIFO in a stack directory without a manifest (no-path mode)", () => {
    const cwd = workDir("fifo-nomanifest");
    mkdirSync(join(cwd, "cdktf.out", "stacks", "s"), { recursive: true });
    mkfifo(join(cwd, "cdktf.out", "stacks", "s", "cdk.tf.json"));
    expectRefused(runCli(["check", "--no-waivers"], cwd, QUICK), join("cdktf.out", "stacks", "s", "cdk.tf.json"), /named pipe/);
  });

  it("/dev/zero passed as a path", () => {
    const cwd = workDir("zero");
    expectRefused(runCli(["check", "--no-waivers", "/dev/zero"], cwd, QUICK), "/dev/zero", /character device, not a regular file/);
  });

  it("/dev/zero as the plan of review and the input of report", () => {
    const cwd = workDir("zero-review");
    expectRefused(runCli(["review", "--no-waivers", "/dev/zero"], cwd, QUICK), "/dev/zero", /character device/);
    expectRefused(runCli(["report", "/dev/zero"], cwd, QUICK), "/dev/zero", /character device/);
  });
});

describe("a size limit with a clear message and a flag to raise it", () => {
  it("a 200 MB input is refused as too large, naming the flag, never blaming a rule", () => {
    const cwd = workDir("big");
    // A sparse file: 200 MiB by size, nothing written. Refused from its size before any read.
    writeFileSync(join(cwd, "big.plan.json"), "");
    truncateSync(join(cwd, "big.plan.json"), 200 * 1024 * 1024);
    expectRefused(runCli(["check", "--no-waivers", "big.plan.json"], cwd, QUICK), "big.plan.json", /200 MiB, over the 128 MiB input limit.*--max-input-mb 201/);
  });

  it("--max-input-mb lowers and raises the limit", () => {
    const cwd = synthDir();
    const file = join("cdktf.out", "stacks", "raw", "cdk.tf.json");
    const padded = `${readFileSync(RAW_FIXTURE, "utf8")}${" ".repeat(2 * 1024 * 1024)}`;
    writeFileSync(join(cwd, file), padded);
    expectRefused(runCli(["check", "--no-waivers", "--max-input-mb", "1"], cwd, QUICK), file, /over the 1\.0 MiB input limit/);
    const raised = runCli(["check", "--no-waivers", "--max-input-mb", "3"], cwd);
    expect(raised.status, raised.stderr).toBe(1);
    expect(raised.stdout).toContain("NET-002");
  });

  it("--max-input-mb must be a whole number of MiB", () => {
    const run = runCli(["check", "--max-input-mb", "lots"], synthDir(), QUICK);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--max-input-mb lots is not a whole number of MiB/);
  });
});

describe("the catalog is validated against its schema at load", () => {
  function bundleWith(edit: (catalog: { rules: Record<string, unknown>[] }) => void): string {
    const dir = workDir("bundle");
    cpSync(BUNDLE, dir, { recursive: true });
    const file = join(dir, "catalog.json");
    const catalog = JSON.parse(readFileSync(file, "utf8")) as { rules: Record<string, unknown>[] };
    edit(catalog);
    writeFileSync(file, JSON.stringify(catalog));
    return dir;
  }

  const cases: [string, (catalog: { rules: Record<string, unknown>[] }) => void, RegExp][] = [
    ["enforcement Mandatory", (c) => { for (const r of c.rules) r["enforcement"] = "Mandatory"; }, /enforcement must be one of "mandatory", "advisory"/],
    ["severity CRITICAL", (c) => { c.rules[0]!["severity"] = "CRITICAL"; }, /severity must be one of/],
    ["sources all", (c) => { c.rules[0]!["sources"] = "all"; }, /sources must be one of/],
    ["a rule without enforcement", (c) => { delete c.rules[0]!["enforcement"]; }, /enforcement is missing/],
    ["an unknown field", (c) => { c.rules[0]!["enforcment"] = "mandatory"; }, /enforcment is not a catalog field/],
    ["a rule id twice", (c) => { c.rules.push({ ...c.rules[0]! }); }, /lists rule [A-Z0-9-]+ twice/],
  ];
  for (const [what, edit, reason] of cases) {
    it(`${what}: the bundle does not load (exit 2 naming catalog.json)`, () => {
      const run = runCli(["check", "--no-waivers", "--bundle", bundleWith(edit)], synthDir());
      expectRefused(run, "catalog.json", reason);
    });
  }
});

describe("symbolic links are followed inside the repository or refused, never skipped", () => {
  it("a symlinked stack directory under cdktf.out/stacks is evaluated", () => {
    const cwd = synthDir();
    const real = join(cwd, "elsewhere", "raw");
    mkdirSync(join(cwd, "elsewhere"), { recursive: true });
    cpSync(join(cwd, "cdktf.out", "stacks", "raw"), real, { recursive: true });
    rmSync(join(cwd, "cdktf.out", "manifest.json"));
    mkdirSync(join(cwd, "cdktf.out", "stacks", "linked"));
    rmSync(join(cwd, "cdktf.out", "stacks", "linked"), { recursive: true });
    symlinkSync(real, join(cwd, "cdktf.out", "stacks", "linked"));
    const run = runCli(["check", "--no-waivers"], cwd);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain(join("cdktf.out", "stacks", "linked", "cdk.tf.json"));
    expect(run.stdout).toContain(join("cdktf.out", "stacks", "raw", "cdk.tf.json"));
    expect(run.stdout).toMatch(/; 2 stacks,/);
  });

  it("a symlinked directory and a symlinked file found while walking are evaluated", () => {
    const cwd = workDir("links");
    mkdirSync(join(cwd, "real", "a"), { recursive: true });
    cpSync(RAW_FIXTURE, join(cwd, "real", "a", "cdk.tf.json"));
    mkdirSync(join(cwd, "in", "b"), { recursive: true });
    symlinkSync(join(cwd, "real", "a"), join(cwd, "in", "a"));
    symlinkSync(join(cwd, "real", "a", "cdk.tf.json"), join(cwd, "in", "b", "cdk.tf.json"));
    const run = runCli(["check", "--no-waivers", "in"], cwd);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain(join("in", "a", "cdk.tf.json"));
    expect(run.stdout).toContain(join("in", "b", "cdk.tf.json"));
    expect(run.stdout).toMatch(/; 2 stacks,/);
  });

  it("a link out of the repository is refused with a message naming it", () => {
    const outside = workDir("outside");
    mkdirSync(join(outside, "s"), { recursive: true });
    cpSync(RAW_FIXTURE, join(outside, "s", "cdk.tf.json"));
    const cwd = synthDir();
    symlinkSync(join(outside, "s"), join(cwd, "cdktf.out", "stacks", "s"));
    expectRefused(runCli(["check", "--no-waivers"], cwd, QUICK), join("cdktf.out", "stacks", "s"), /symbolic link to .* outside the repository/);
    mkdirSync(join(cwd, "in"));
    symlinkSync(join(outside, "s", "cdk.tf.json"), join(cwd, "in", "cdk.tf.json"));
    expectRefused(runCli(["check", "--no-waivers", "in"], cwd, QUICK), join("in", "cdk.tf.json"), /outside the repository/);
    expectRefused(runCli(["check", "--no-waivers", join("in", "cdk.tf.json")], cwd, QUICK), join("in", "cdk.tf.json"), /outside the repository/);
  });

  it("a dangling link and a link loop are refused, not skipped", () => {
    const cwd = workDir("dangling");
    mkdirSync(join(cwd, "in"));
    cpSync(RAW_FIXTURE, join(cwd, "in", "cdk.tf.json"));
    symlinkSync(join(cwd, "nowhere"), join(cwd, "in", "x.plan.json"));
    expectRefused(runCli(["check", "--no-waivers", "in"], cwd, QUICK), join("in", "x.plan.json"), /symbolic link to nothing/);
    rmSync(join(cwd, "in", "x.plan.json"));
    symlinkSync(join(cwd, "in", "loop"), join(cwd, "in", "loop"));
    expectRefused(runCli(["check", "--no-waivers", "in"], cwd, QUICK), join("in", "loop"), /symbolic link loop/);
  });
});

describe("a key written twice is refused with file:line", () => {
  it('a second "resource" key in a synthesized stack', () => {
    const cwd = workDir("dup");
    mkdirSync(join(cwd, "s"));
    writeFileSync(
      join(cwd, "s", "cdk.tf.json"),
      '{\n  "//": {"metadata": {"backend": "local"}},\n  "resource": {"aws_s3_bucket": {"a": {"bucket": "a"}}},\n  "resource": {"aws_security_group": {"open": {"ingress": []}}}\n}\n',
    );
    expectRefused(runCli(["check", "--no-waivers", "s"], cwd, QUICK), `${join("s", "cdk.tf.json")}:4:3`, /duplicate key "resource" \(first at line 3, column 3\)/);
  });

  it("a repeated attribute in a plan", () => {
    const cwd = workDir("dup-plan");
    writeFileSync(join(cwd, "p.plan.json"), '{"format_version":"1.2","resource_changes":[{"address":"a.b","address":"c.d"}]}');
    expectRefused(runCli(["check", "--no-waivers", "p.plan.json"], cwd, QUICK), "p.plan.json:1:", /duplicate key "address"/);
  });
});

describe("values cannot forge output lines or workflow commands", () => {
  const forged = "CC-1\n::error::forged annotation\n::add-mask::secret\nPASS 0 mandatory violations, 0 advisory findings\u001b[2K";

  function hostileStack(): string {
    const cwd = workDir("forge");
    mkdirSync(join(cwd, "s"));
    const stack = {
      "//": { metadata: { backend: "local", stackName: "s", version: "0.21.0" } },
      provider: { aws: [{ region: "eu-west-1" }] },
      resource: {
        aws_sqs_queue: {
          q: {
            name: "q",
            tags: { CostCenter: forged, Owner: "::warning::team", Environment: "dev", Service: "s", DataClassification: "internal", ManagedBy: "baseplate", Runbook: "docs/runbooks/x.md" },
          },
        },
        "aws_s3_bucket": { "b\n::error::by address": { bucket: "x" } },
      },
    };
    writeFileSync(join(cwd, "s", "cdk.tf.json"), JSON.stringify(stack));
    return cwd;
  }

  /** No line of `text` starts (after white space) a workflow command or reads as a verdict line. */
  function expectNoForgedLine(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      expect(line, text).not.toMatch(/^\s*(::|##\[)/);
      expect(line).not.toMatch(/^\s*PASS 0 mandatory/);
    }
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  }

  it("terminal, markdown, JUnit and SARIF outputs keep each value on its line", () => {
    const cwd = hostileStack();
    const run = runCli(
      ["check", "--no-waivers", "--stack", "s", "s", "--format", "terminal", "--format", "markdown=out.md", "--format", "junit=out.xml", "--format", "sarif=out.sarif"],
      cwd,
    );
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("TAG-005");
    expect(run.stdout).toContain("CC-1\\n::error::forged annotation\\n::add-mask::secret\\nPASS 0 mandatory violations, 0 advisory findings\\u001b[2K");
    expectNoForgedLine(run.stdout);
    expect(run.stdout.trim().split("\n").at(-2)).toMatch(/^FAIL /);
    const md = readFileSync(join(cwd, "out.md"), "utf8");
    expectNoForgedLine(md);
    expectNoForgedLine(readFileSync(join(cwd, "out.xml"), "utf8"));
    const sarif = JSON.parse(readFileSync(join(cwd, "out.sarif"), "utf8")) as { runs: { results: { message: { text: string } }[] }[] };
    const messages = sarif.runs[0]!.results.map((r) => r.message.text);
    expect(messages.some((m) => m.includes("CostCenter"))).toBe(true);
    for (const m of messages) expectNoForgedLine(m);
  });

  it("report and review outputs, and error messages naming a hostile file", () => {
    const cwd = hostileStack();
    const report = runCli(["report", "--stack", "s", "s"], cwd);
    expect(report.status, report.stderr).toBe(0);
    expectNoForgedLine(report.stdout);
    const md = runCli(["report", "--stack", "s", "s", "--format", "markdown"], cwd);
    expectNoForgedLine(md.stdout);
    const name = "x\n::error::file name.plan.json";
    writeFileSync(join(cwd, name), "{");
    const run = runCli(["check", "--no-waivers", name], cwd, QUICK);
    expect(run.status).toBe(2);
    expectNoForgedLine(run.stderr);
    expect(run.stderr).toContain("x\\n::error::file name.plan.json");
  });
});
