import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { affectedStacks, changedFiles } from "../src/synth.ts";
import type { CheckReport } from "../src/types.ts";
import { NOW, fixture, runCli, tempDir } from "./helpers.ts";

const APP = fixture("app", "app.ts");

describe("baseplate synth", () => {
  it("synthesizes every stack of the app to --out, and check reads them back", () => {
    const cwd = tempDir();
    const result = runCli(["synth", "--app", APP], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("synthesized web-dev -> cdktf.out/stacks/web-dev/cdk.tf.json\nsynthesized web-prod -> cdktf.out/stacks/web-prod/cdk.tf.json\n");
    const check = runCli(["check", "--no-waivers", "--now", NOW, "--format", "json"], { cwd });
    expect(check.code).toBe(0);
    expect((JSON.parse(check.stdout) as CheckReport).stacks.map((s) => s.stack)).toEqual(["web-dev", "web-prod"]);
  });

  it("selects by name and by --env, and lists stacks", () => {
    const cwd = tempDir();
    expect(runCli(["synth", "--app", APP, "--env", "prod", "--out", "out"], { cwd }).stdout).toBe("synthesized web-prod -> out/stacks/web-prod/cdk.tf.json\n");
    expect(existsSync(join(cwd, "out", "stacks", "web-dev"))).toBe(false);
    expect(runCli(["synth", "--app", APP, "web-dev", "--out", "o2"], { cwd }).stdout).toBe("synthesized web-dev -> o2/stacks/web-dev/cdk.tf.json\n");
    expect(runCli(["synth", "--app", APP, "--list"], { cwd }).stdout).toBe("web-dev\tdev\tdev\nweb-prod\tprod\tprod\n");
  });

  it("rejects unknown stacks and environments with exit 2", () => {
    const unknown = runCli(["synth", "--app", APP, "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown stack nope; known stacks: web-dev, web-prod\./);
    const env = runCli(["synth", "--app", APP, "--env", "qa"]);
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/--env qa matches no stack; environments: dev, prod\./);
    const app = runCli(["synth", "--app", "./does-not-exist.ts"], { cwd: tempDir() });
    expect(app.code).toBe(2);
    expect(app.stderr).toMatch(/Cannot load the stacks app \.\/does-not-exist\.ts/);
  });
});

describe("--changed-since", () => {
  const stacks = [
    { name: "a-dev", inputs: ["stacks/src/environments/dev.ts", "stacks/src/stacks/service.ts"] },
    { name: "a-prod", inputs: ["stacks/src/environments/prod.ts", "stacks/src/stacks/service.ts"] },
  ];

  it("selects stacks whose declared inputs changed", () => {
    expect(affectedStacks(stacks, stacks, ["stacks/src/environments/prod.ts"]).map((s) => s.name)).toEqual(["a-prod"]);
    expect(affectedStacks(stacks, stacks, ["stacks/src/stacks/service.ts"]).map((s) => s.name)).toEqual(["a-dev", "a-prod"]);
  });

  it("selects every stack when a shared file changed, none when nothing relevant did", () => {
    expect(affectedStacks(stacks, stacks, ["modules/src/baseline/tags.ts"])).toHaveLength(2);
    expect(affectedStacks(stacks, stacks, ["stacks/src/app.ts"])).toHaveLength(2);
    expect(affectedStacks(stacks, stacks, ["package-lock.json"])).toHaveLength(2);
    expect(affectedStacks(stacks, stacks, ["docs/README.md", "policies/rego/rules/s3/public_access_block.rego"])).toEqual([]);
  });

  it("reads committed, unstaged and untracked changes from git, and rejects an unknown revision", () => {
    const repo = tempDir();
    const git = (...args: string[]): string =>
      execFileSync("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    mkdirSync(join(repo, "stacks", "src"), { recursive: true });
    writeFileSync(join(repo, "stacks", "src", "a.ts"), "1");
    writeFileSync(join(repo, "README.md"), "x");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    const base = git("rev-parse", "HEAD").trim();
    writeFileSync(join(repo, "stacks", "src", "a.ts"), "2");
    writeFileSync(join(repo, "stacks", "src", "new.ts"), "3");
    expect(changedFiles(base, repo)).toEqual(["stacks/src/a.ts", "stacks/src/new.ts"]);
    expect(() => changedFiles("no-such-rev", repo)).toThrow(/--changed-since no-such-rev: git could not compare against that revision/);
  });

  it("synthesizes nothing when no stack input changed", () => {
    const repo = tempDir();
    const git = (...args: string[]): string =>
      execFileSync("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    writeFileSync(join(repo, "README.md"), "x");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    writeFileSync(join(repo, "README.md"), "y");
    const result = runCli(["synth", "--app", APP, "--changed-since", "HEAD"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/no selected stack is affected by changes since HEAD; nothing synthesized/);
    mkdirSync(join(repo, "stacks", "src", "environments"), { recursive: true });
    writeFileSync(join(repo, "stacks", "src", "environments", "prod.ts"), "export {}");
    const changed = runCli(["synth", "--app", APP, "--changed-since", "HEAD"], { cwd: repo });
    expect(changed.stdout).toBe("synthesized web-prod -> cdktf.out/stacks/web-prod/cdk.tf.json\n");
  });
});

describe("baseplate synth with the estate (@baseplate/stacks)", () => {
  it("synthesizes the dev stacks in process and check evaluates every one of them", () => {
    const cwd = tempDir();
    const listed = runCli(["synth", "--list", "--env", "dev"], { cwd });
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    const names = listed.stdout.trim().split("\n").map((line) => line.split("\t")[0]);
    expect(names.length).toBeGreaterThan(0);

    const synth = runCli(["synth", "--env", "dev"], { cwd });
    expect(synth.stderr).toBe("");
    expect(synth.code).toBe(0);
    expect(synth.stdout).toBe(names.map((n) => `synthesized ${n} -> cdktf.out/stacks/${n}/cdk.tf.json\n`).join(""));

    const check = runCli(["check", "--no-waivers", "--now", NOW, "--format", "json"], { cwd });
    expect(check.stderr).toBe("");
    expect([0, 1]).toContain(check.code);
    const report = JSON.parse(check.stdout) as CheckReport;
    expect(report.stacks.map((s) => s.stack)).toEqual([...names].sort());
    for (const stack of report.stacks) {
      expect(stack.environment.name).toBe("dev");
      expect(stack.environment.tier).toBe("dev");
      expect(stack.resourceCount).toBeGreaterThan(0);
      for (const finding of stack.findings) {
        expect(finding.construct).toMatch(new RegExp(`^${stack.stack}/`));
        expect(finding.location).toMatch(/^stacks\/src\/.+\.ts:\d+$/);
      }
    }
    expect(check.code).toBe(report.summary.mandatory > 0 ? 1 : 0);
  }, 120_000);
});
