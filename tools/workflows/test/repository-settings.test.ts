import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CodeownersError, ownersOf, parseCodeowners } from "../src/codeowners.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const rules = parseCodeowners(readFileSync(join(repoRoot, ".github", "CODEOWNERS"), "utf8"), ".github/CODEOWNERS");
const SENIORS = ["@acme/platform-seniors"];
const PLATFORM = ["@acme/platform"];

describe("CODEOWNERS", () => {
  /** Every path that can weaken a guardrail: the gate, its inputs, the pipeline and the toolchain. */
  const GUARDRAILS = [
    "tools/cli/src/main.ts",
    "tools/cli/src/waivers.ts",
    "tools/cli/src/review.ts",
    "tools/cli/package.json",
    "policies/rego/rules/s3/versioning.rego",
    "policies/CONTRACT.md",
    "policies/project.json",
    "governance/waivers.json",
    "governance/decision-rights.json",
    "governance/teams.json",
    "governance/README.md",
    ".github/workflows/apply.yml",
    ".github/workflows/pr.yml",
    ".github/CODEOWNERS",
    ".github/dependabot.yml",
    ".ci/run",
    "tools/workflows/src/invariants.ts",
    "tools/generators/src/templates.ts",
    "tools/hostile/test/parsers.test.ts",
    "tools/setup.sh",
    "tools/examples/readme.ts",
    "tools/ci-summary.ts",
    "modules/src/index.ts",
    "modules/project.json",
    "stacks/src/app.ts",
    "stacks/src/environments/index.ts",
    "stacks/project.json",
    "stacks/environments/prod/config.ts",
    "stacks/environments/dev/project.json",
    "stacks/environments/stage/tsconfig.json",
    "stacks/environments/qa/config.ts", // a new environment is senior-owned until listed
    "package.json",
    "package-lock.json",
    "nx.json",
    "tsconfig.base.json",
    "eslint.config.js",
    "cdktf.json",
    ".gitignore",
    "docs/runbooks/database-cpu-high.md",
    "docs/runbooks/new-alarm.md",
    "some/new/path.ts",
  ];
  /** The only paths the platform team owns alone. */
  const TEAM_OWNED = ["stacks/environments/dev/config.ts", "stacks/environments/stage/config.ts", "README.md", "docs/workflows.md", "docs/performance.md", "tools/bench/run.ts"];

  it.each(GUARDRAILS)("%s is owned by the seniors", (path) => {
    expect(ownersOf(rules, path)).toEqual(SENIORS);
  });

  it.each(TEAM_OWNED)("%s is owned by the platform team", (path) => {
    expect(ownersOf(rules, path)).toEqual(PLATFORM);
  });

  it("gives the seniors /tools/cli/, /policies/, /governance/, /.github/, /modules/, /tools/setup.sh, /package-lock.json and /stacks/src/", () => {
    for (const path of ["tools/cli/", "policies/", "governance/", ".github/", "modules/", "tools/setup.sh", "package-lock.json", "stacks/src/"]) {
      const probe = path.endsWith("/") ? `${path}any/file.ts` : path;
      expect(ownersOf(rules, probe), path).toEqual(SENIORS);
    }
  });

  it("fails closed: the default owner is the seniors, and the team owns only the reviewed list", () => {
    expect(rules[0]).toMatchObject({ pattern: "*", owners: SENIORS });
    const teamPatterns = rules.filter((r) => r.owners.join() === PLATFORM.join()).map((r) => r.pattern);
    expect(teamPatterns.sort()).toEqual(["/README.md", "/docs/", "/stacks/environments/dev/config.ts", "/stacks/environments/stage/config.ts", "/tools/bench/"]);
  });

  it("every tracked file the team owns is outside the guardrails", () => {
    const tracked = execFileSync("git", ["ls-files"], { cwd: repoRoot, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    const teamOwned = tracked.filter((f) => ownersOf(rules, f).join() === PLATFORM.join());
    const guardrailPrefixes = ["tools/cli/", "policies/", "governance/", ".github/", ".ci/", "modules/", "stacks/src/", "tools/workflows/", "tools/generators/", "tools/hostile/", "docs/runbooks/"];
    for (const f of teamOwned) {
      expect(guardrailPrefixes.some((p) => f.startsWith(p)), f).toBe(false);
      expect(f.endsWith("project.json") || f.endsWith("package.json") || f.endsWith("tsconfig.json"), f).toBe(false);
    }
  });

  it("names only existing paths, so no rule silently protects nothing", () => {
    for (const rule of rules.filter((r) => r.pattern !== "*")) {
      expect(existsSync(join(repoRoot, rule.pattern.slice(1))), `${rule.pattern} (line ${rule.line})`).toBe(true);
    }
  });

  it("refuses patterns it cannot interpret and rules without an owner", () => {
    expect(() => parseCodeowners("docs/**/*.md @acme/docs\n", "CODEOWNERS")).toThrow(CodeownersError);
    expect(() => parseCodeowners("/docs/\n", "CODEOWNERS")).toThrow(/CODEOWNERS:1: .* names no owner/);
    expect(() => parseCodeowners("/docs/ acme\n", "CODEOWNERS")).toThrow(/"acme" is not an @user/);
  });

  it("does not let a directory rule match a sibling with the same prefix", () => {
    const r = parseCodeowners("* @a/all\n/policies/ @a/seniors\n/stacks/src/environments/prod.ts @a/seniors\n", "x");
    expect(ownersOf(r, "policies-old/x")).toEqual(["@a/all"]);
    expect(ownersOf(r, "stacks/src/environments/prod.ts.bak")).toEqual(["@a/all"]);
  });
});

describe("Dependabot", () => {
  const config = parse(readFileSync(join(repoRoot, ".github", "dependabot.yml"), "utf8")) as {
    version: number;
    updates: { "package-ecosystem": string; directory?: string; directories?: string[] }[];
  };

  it("updates the pinned actions of the workflows and of the composite actions", () => {
    expect(config.version).toBe(2);
    const actions = config.updates.find((u) => u["package-ecosystem"] === "github-actions");
    expect(actions?.directories).toEqual(["/", "/.github/actions/*"]);
    expect(config.updates.map((u) => u["package-ecosystem"]).sort()).toEqual(["github-actions", "npm"]);
  });
});
