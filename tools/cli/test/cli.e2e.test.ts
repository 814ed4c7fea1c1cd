import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../src/types.ts";
import { CLI_ROOT, NOW, fixture, runCli, runMain, tempDir } from "./helpers.ts";

const NONCOMPLIANT = fixture("synth", "noncompliant", "cdk.tf.json");
const CLEAN = fixture("synth", "clean", "cdk.tf.json");
const BUNDLE = join(CLI_ROOT, "..", "..", "policies", "build");

function check(...args: string[]): ReturnType<typeof runCli> {
  return runCli(["check", "--no-waivers", "--now", NOW, ...args]);
}

function jsonReport(...args: string[]): { code: number | null; report: CheckReport; stderr: string } {
  const result = check(...args, "--format", "json");
  return { code: result.code, report: JSON.parse(result.stdout) as CheckReport, stderr: result.stderr };
}

function ruleIds(report: CheckReport): string[] {
  return [...new Set(report.stacks.flatMap((s) => s.findings.map((f) => f.rule)))].sort();
}

describe("baseplate check on synthesized stacks", () => {
  it("fails a non-compliant stack with exit 1 and names the violated rules", () => {
    const { code, report, stderr } = jsonReport(NONCOMPLIANT);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    // SSH open to the world; a public access block with every flag off; "*" IAM policies (one inline
    // JSON with CRLF line ends, one through an aws_iam_policy_document data source)
    expect(ruleIds(report)).toEqual(expect.arrayContaining(["IAM-001", "NET-002", "S3-002"]));
    expect(report.stacks[0]?.findings.filter((f) => f.rule === "IAM-001").map((f) => [f.address, f.observed])).toEqual([
      ["aws_iam_policy.admin_inline_4E5F6A7B", "*"],
      ["aws_iam_policy.admin_policy_0A1B2C3D", "*"],
    ]);
    expect(report.stacks[0]?.findings.filter((f) => f.rule === "S3-002").map((f) => f.attribute)).toEqual([
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
    ]);
    const ssh = report.stacks[0]?.findings.find((f) => f.rule === "NET-002");
    expect(ssh).toMatchObject({
      severity: "critical",
      enforcement: "mandatory",
      stack: "shop-dev",
      source: "synth",
      address: "aws_security_group.bastion_sg_B9C0D1E2",
      construct: "shop-dev/bastion/sg",
      location: "stacks/src/shop.ts:70",
      waived: null,
    });
    expect(ssh?.message).toContain("aws_security_group.bastion_sg_B9C0D1E2");
    expect(ssh?.message).toContain("0.0.0.0/0");
    expect(report.summary.mandatory).toBeGreaterThanOrEqual(1);
  });

  it("passes a clean stack with exit 0", () => {
    const { code, report } = jsonReport(CLEAN);
    expect(code).toBe(0);
    expect(report.summary).toEqual({ verdict: "pass", stacks: 1, resources: 1, mandatory: 0, advisory: 0, waived: 0 });
    expect(report.stacks[0]?.findings).toEqual([]);
  });

  it("writes a complete JSON report: schema, bundle identity, stable order", () => {
    const { report } = jsonReport(NONCOMPLIANT, CLEAN);
    const manifest = JSON.parse(readFileSync(join(BUNDLE, "manifest.json"), "utf8")) as { sha256: string; rules: number; opa_version: string };
    expect(report.schema).toBe("baseplate/report@1");
    expect(report.bundle).toEqual({ sha256: manifest.sha256, rules: manifest.rules, opa_version: manifest.opa_version });
    expect(report.generatedFor).toBe(NOW);
    expect(report.stacks.map((s) => s.stack)).toEqual(["shop-dev", "web-dev"]);
    expect(report.stacks[0]?.environment).toEqual({ name: "dev", tier: "dev", account: "111111111111", region: "eu-west-1" });
    for (const finding of report.stacks.flatMap((s) => s.findings)) {
      expect(Object.keys(finding).sort()).toEqual(
        ["address", "attribute", "construct", "controls", "enforcement", "location", "message", "observed", "remediation", "rule", "severity", "source", "stack", "title", "waived"].sort(),
      );
    }
    const again = jsonReport(CLEAN, NONCOMPLIANT).report;
    expect(again).toEqual(report);
  });

  it("prints a terminal report grouped by stack and severity, without colour when piped", () => {
    const result = check(NONCOMPLIANT, CLEAN);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).not.toContain("\u001b[");
    expect(out).toMatch(/^shop-dev \(synth, .*noncompliant\/cdk\.tf\.json, 7 resources, dev, dev, 111111111111, eu-west-1\)$/m);
    expect(out).toMatch(/^ {2}CRITICAL \(\d+\)$/m);
    expect(out).toMatch(/^ {4}✖ NET-002 critical mandatory aws_security_group\.bastion_sg_B9C0D1E2$/m);
    expect(out).toContain("construct: shop-dev/bastion/sg");
    expect(out).toContain("at:        stacks/src/shop.ts:70");
    expect(out).toMatch(/fix: \S/);
    expect(out).toMatch(/^web-dev \(synth, .*\)\n {2}✔ no findings$/m);
    expect(out).toMatch(/^FAIL \d+ mandatory violations?, \d+ advisory findings?, 0 waived; 2 stacks, 8 resources$/m);
    const manifest = JSON.parse(readFileSync(join(BUNDLE, "manifest.json"), "utf8")) as { sha256: string; rules: number };
    expect(out).toContain(`policy bundle sha256:${manifest.sha256.slice(0, 12)}, ${manifest.rules} rules`);
    expect(out.indexOf("shop-dev (")).toBeLessThan(out.indexOf("web-dev ("));
  });

  it("writes several formats at once to files and one to standard output", () => {
    const dir = tempDir();
    const result = check(NONCOMPLIANT, "--format", "terminal", "--format", `json=${join(dir, "r", "check.json")}`, "--format", `sarif=${join(dir, "check.sarif")}`, "--format", `junit=${join(dir, "junit.xml")}`, "--format", `markdown=${join(dir, "comment.md")}`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("NET-002");
    const report = JSON.parse(readFileSync(join(dir, "r", "check.json"), "utf8")) as CheckReport;
    expect(ruleIds(report)).toContain("NET-002");
    const sarif = JSON.parse(readFileSync(join(dir, "check.sarif"), "utf8")) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toContain("NET-002");
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toContain("NET-002");
    expect(readFileSync(join(dir, "comment.md"), "utf8")).toContain("NET\\-002");
  });

  it("summarises on stderr when every format goes to a file", () => {
    const dir = tempDir();
    const result = check(CLEAN, "--format", `json=${join(dir, "c.json")}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^baseplate check: PASS 0 mandatory, 0 advisory, 0 waived in 1 stacks; wrote /);
  });

  it("reads UTF-8 with a BOM and UTF-16 LE/BE with a BOM the same as plain UTF-8", () => {
    const dir = tempDir();
    const text = readFileSync(NONCOMPLIANT, "utf8");
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    const variants: Record<string, Buffer> = {
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
      le: Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      be: Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    };
    const baseline = jsonReport(NONCOMPLIANT).report.stacks[0]?.findings;
    for (const [name, bytes] of Object.entries(variants)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "cdk.tf.json"), bytes);
      const { code, report } = jsonReport(join(dir, name, "cdk.tf.json"));
      expect(code, name).toBe(1);
      expect(report.stacks[0]?.findings, name).toEqual(baseline);
    }
  });

  it("reads every stack under cdktf.out when no path is given", () => {
    const cwd = tempDir();
    for (const [name, file] of [["shop-dev", NONCOMPLIANT], ["web-dev", CLEAN]] as const) {
      mkdirSync(join(cwd, "cdktf.out", "stacks", name), { recursive: true });
      copyFileSync(file, join(cwd, "cdktf.out", "stacks", name, "cdk.tf.json"));
    }
    const result = runCli(["check", "--no-waivers", "--now", NOW, "--format", "json"], { cwd });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.stacks.map((s) => [s.stack, s.file])).toEqual([
      ["shop-dev", "cdktf.out/stacks/shop-dev/cdk.tf.json"],
      ["web-dev", "cdktf.out/stacks/web-dev/cdk.tf.json"],
    ]);
  });
});

describe("baseplate check on plans", () => {
  it("evaluates a plan with nested modules and reports module addresses", () => {
    const { code, report } = jsonReport(fixture("plan", "v1.2-modules.plan.json"), "--stack", "shop-prod");
    expect(code).toBe(1);
    expect(report.stacks[0]).toMatchObject({ stack: "shop-prod", source: "plan", resourceCount: 14 });
    expect(report.stacks[0]?.environment).toEqual({ name: "prod", tier: "prod", account: "333333333333", region: "eu-west-1" });
    const net = report.stacks[0]?.findings.find((f) => f.rule === "NET-002");
    expect(net).toMatchObject({ address: 'module.net["a"].module.edge.aws_security_group.ssh', construct: null, location: null });
  });

  it("attaches construct paths and source locations from the cdk.tf.json beside the plan", () => {
    const dir = join(tempDir(), "cdktf.out", "stacks", "shop-dev");
    mkdirSync(dir, { recursive: true });
    copyFileSync(NONCOMPLIANT, join(dir, "cdk.tf.json"));
    const plan = readFileSync(fixture("plan", "v1.0.plan.json"), "utf8").replaceAll("aws_security_group.bastion", "aws_security_group.bastion_sg_B9C0D1E2").replaceAll('"name": "bastion"', '"name": "bastion_sg_B9C0D1E2"');
    writeFileSync(join(dir, "plan.json"), plan);
    const { code, report } = jsonReport(join(dir, "plan.json"), "--stack", "shop-dev");
    expect(code).toBe(1);
    expect(report.stacks[0]?.source).toBe("plan");
    expect(report.stacks[0]?.findings.find((f) => f.rule === "NET-002")).toMatchObject({
      address: "aws_security_group.bastion_sg_B9C0D1E2",
      construct: "shop-dev/bastion/sg",
      location: "stacks/src/shop.ts:70",
    });
    expect(report.stacks[0]?.findings.find((f) => f.address === "aws_s3_bucket.data")?.construct ?? null).toBeNull();
  });

  it("takes the environment from flags", () => {
    const { report } = jsonReport(fixture("plan", "v1.0.plan.json"), "--environment", "qa", "--tier", "staging", "--account", "444444444444");
    expect(report.stacks[0]?.environment).toEqual({ name: "qa", tier: "stage", account: "444444444444", region: "eu-central-1" });
  });
});

describe("baseplate check fails closed with exit 2", () => {
  function expectUsage(result: ReturnType<typeof runCli>, message: RegExp): void {
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }

  it("on a Terraform state file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "terraform.tfstate.json"), JSON.stringify({ version: 4, terraform_version: "1.9.0", serial: 1, lineage: "x", outputs: {}, resources: [] }));
    expectUsage(check(join(dir, "terraform.tfstate.json")), /terraform\.tfstate\.json is a Terraform state file, not a plan; pass the output of `terraform show -json <planfile>` or a cdk\.tf\.json/);
  });

  it("on other JSON, naming the file and what was expected", () => {
    expectUsage(check(join(CLI_ROOT, "package.json")), /package\.json is not a recognised input; a synthesized stack \(cdktf\.out\/stacks\/<stack>\/cdk\.tf\.json\) or a plan/);
  });

  it("on truncated JSON, with line and column", () => {
    const dir = tempDir();
    const text = readFileSync(NONCOMPLIANT, "utf8");
    writeFileSync(join(dir, "cdk.tf.json"), text.slice(0, 500));
    const lines = text.slice(0, 500).split("\n");
    // cut inside a string: V8 says "Unterminated string"; still reported as a truncated file
    expectUsage(check(join(dir, "cdk.tf.json")), new RegExp(`cdk\\.tf\\.json:${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}: the JSON ends early`));
  });

  it("on invalid UTF-8", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.plan.json"), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    expectUsage(check(join(dir, "x.plan.json")), /x\.plan\.json is not valid UTF-8 \(invalid byte at offset 2\)/);
  });

  it("when a stack in cdktf.out/manifest.json was synthesized but has no cdk.tf.json", () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "cdktf.out", "stacks", "web-dev"), { recursive: true });
    copyFileSync(CLEAN, join(cwd, "cdktf.out", "stacks", "web-dev", "cdk.tf.json"));
    writeFileSync(
      join(cwd, "cdktf.out", "manifest.json"),
      JSON.stringify({ version: "0.21.0", stacks: { "web-dev": { synthesizedStackPath: "stacks/web-dev/cdk.tf.json" }, "db-prod": { synthesizedStackPath: "stacks/db-prod/cdk.tf.json" } } }),
    );
    expectUsage(runCli(["check", "--no-waivers"], { cwd }), /Stack db-prod is listed in cdktf\.out\/manifest\.json but .* is missing or unreadable, so it was synthesized but would not be evaluated/);
  });

  it("on a policy bundle whose wasm does not match its manifest", () => {
    const dir = tempDir();
    cpSync(BUNDLE, join(dir, "build"), { recursive: true });
    const wasm = readFileSync(join(dir, "build", "policy.wasm"));
    wasm[wasm.length - 1] = (wasm[wasm.length - 1] ?? 0) ^ 0xff;
    writeFileSync(join(dir, "build", "policy.wasm"), wasm);
    expectUsage(check(CLEAN, "--bundle", join(dir, "build")), /does not match the sha256 in .*manifest\.json/);
  });

  it("on a missing policy bundle", () => {
    expectUsage(check(CLEAN, "--bundle", join(tempDir(), "none")), /manifest.json is missing; run/);
  });

  it("on usage errors", async () => {
    expectUsage(runCli(["deploy"]), /Unknown command "deploy"/);
    // the same entry point in process, to keep the suite fast
    const usage = async (args: string[], message: RegExp): Promise<void> => expectUsage(await runMain(args), message);
    await usage([], /Usage: baseplate <command>/);
    await usage(["check", CLEAN, "--format", "html"], /Unknown format "html" in --format html; use one of terminal, json, markdown, sarif, junit/);
    await usage(["check", CLEAN, "--format", "json", "--format", "sarif"], /Only one format can go to standard output but json and sarif were requested/);
    await usage(["check", CLEAN, "--frobnicate"], /Unknown option '--frobnicate'/);
    await usage(["check", "--now", "yesterday", CLEAN], /--now yesterday is not an RFC 3339 time/);
    await usage(["check", "--now", "2026-02-30T00:00:00Z", CLEAN], /is not an RFC 3339 time/);
    await usage(["check", CLEAN, NONCOMPLIANT, "--stack", "x"], /--stack names one stack but 2 inputs were given/);
    await usage(["check", CLEAN, "--tier", "qa"], /--tier qa is not a tier; use dev, stage or prod/);
    await usage(["check", CLEAN, "--waivers", "w.json", "--no-waivers"], /--waivers and --no-waivers contradict each other/);
    await usage(["check", join(tempDir(), "missing.json")], /missing\.json does not exist/);
    await usage(["review", CLEAN, "--format", "sarif"], /review writes terminal, markdown or json, not sarif; use check for sarif\./);
    await usage(["report", CLEAN, "--format", "junit"], /report writes terminal, markdown or json, not junit\./);
  });
});

describe("waivers in check", () => {
  it("applies a valid waiver: the finding is waived and the gate passes", () => {
    const dir = tempDir();
    const waivers = {
      waivers: [
        {
          rule: "NET-002",
          target: "shop-dev/bastion/*",
          reason: "Bastion is reachable only during the migration window, access is logged and reviewed.",
          ticket: "SEC-1234",
          requestedBy: "@lena-platform",
          approvedBy: "@asha-senior",
          expires: "2026-12-20",
        },
      ],
    };
    writeFileSync(join(dir, "waivers.json"), JSON.stringify(waivers));
    const result = runCli(["check", "--now", NOW, "--waivers", join(dir, "waivers.json"), "--format", "json", NONCOMPLIANT]);
    const report = JSON.parse(result.stdout) as CheckReport;
    const ssh = report.stacks[0]?.findings.find((f) => f.rule === "NET-002");
    expect(ssh?.waived).toMatchObject({ rule: "NET-002", ticket: "SEC-1234", approvedBy: "@asha-senior", expires: "2026-12-20" });
    expect(report.summary.waived).toBe(report.stacks[0]?.findings.filter((f) => f.waived !== null).length);
    const unwaivedMandatory = report.stacks[0]?.findings.filter((f) => f.waived === null && f.enforcement === "mandatory").length ?? 0;
    expect(result.code).toBe(unwaivedMandatory > 0 ? 1 : 0);
  });

  it("fails the gate on an expired waiver", () => {
    const dir = tempDir();
    const waivers = {
      waivers: [
        {
          rule: "NET-002",
          target: "aws_security_group.web_sg_1F2E3D4C",
          reason: "Temporary exception while the corporate VPN is being replaced.",
          ticket: "SEC-99",
          requestedBy: "@lena-platform",
          approvedBy: "@tomas-senior",
          expires: "2026-11-01",
        },
      ],
    };
    writeFileSync(join(dir, "waivers.json"), JSON.stringify(waivers));
    const result = runCli(["check", "--now", NOW, "--waivers", join(dir, "waivers.json"), CLEAN]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Waivers\n {2}✖ NET-002 aws_security_group\.web_sg_1F2E3D4C: .*expired/);
  });
});

describe("baseplate review and report", () => {
  it("review ranks plan changes and exits 3 when a senior must approve", () => {
    const result = runCli(["review", "--no-waivers", "--now", NOW, "--format", "json", fixture("plan", "v1.2-modules.plan.json")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(3);
    const review = JSON.parse(result.stdout) as { schema: string; seniorRequired: boolean; stacks: { stack: string; changes: { address: string }[] }[] };
    expect(review.schema).toBe("baseplate/review@1");
    expect(review.seniorRequired).toBe(true);
    expect(review.stacks[0]?.stack).toBe("v1.2-modules");
    expect(review.stacks[0]?.changes.map((c) => c.address)).toContain("aws_db_instance.main");
  });

  it("review rejects a synthesized stack with exit 2", () => {
    const result = runCli(["review", "--no-waivers", CLEAN]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/review needs a Terraform plan/);
  });

  it("report writes the inventory of synthesized stacks", () => {
    const result = runCli(["report", "--format", "json", NONCOMPLIANT, CLEAN]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout) as { schema: string; stacks: { stack: string; resources: number }[] };
    expect(inventory.schema).toBe("baseplate/inventory@1");
    expect(inventory.stacks.map((s) => [s.stack, s.resources])).toEqual([
      ["shop-dev", 6],
      ["web-dev", 1],
    ]);
  });
});
