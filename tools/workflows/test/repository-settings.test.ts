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
  it.each([
    ["policies/rego/s3.rego", SENIORS],
    ["policies/CONTRACT.md", SENIORS],
    ["governance/waivers.json", SENIORS],
    ["governance/decision-rights.json", SENIORS],
    ["stacks/environments/prod/config.ts", SENIORS],
    [".github/workflows/apply.yml", SENIORS],
    [".github/CODEOWNERS", SENIORS],
    ["tools/workflows/src/invariants.ts", SENIORS],
    ["stacks/environments/dev/config.ts", PLATFORM],
    ["stacks/environments/stage/config.ts", PLATFORM],
    ["modules/src/index.ts", PLATFORM],
    ["tools/cli/src/main.ts", PLATFORM],
    ["package.json", PLATFORM],
  ])("%s is owned by %j", (path, owners) => {
    expect(ownersOf(rules, path)).toEqual(owners);
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
