/**
 * The lint target (policies:lint, run by `npm run lint`) runs Regal on every Rego file of the
 * repository, with the reviewed .regal/config.yaml.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICIES_DIR, ROOT_DIR } from "../scripts/opa.ts";

interface Project {
  targets: { lint: { options: { commands: string[] } } };
}

const project = JSON.parse(readFileSync(join(POLICIES_DIR, "project.json"), "utf8")) as Project;
const regal = project.targets.lint.options.commands.find((c) => /(^|\/)regal lint /.test(c));

describe("Regal in the lint", () => {
  it("policies:lint runs the pinned Regal with the reviewed configuration", () => {
    expect(regal).toMatch(/^\.tools\/bin\/regal lint --config-file \.regal\/config\.yaml /);
    expect(readFileSync(join(ROOT_DIR, "tools", "setup.sh"), "utf8")).toMatch(/^REGAL_VERSION="\d+\.\d+\.\d+"$/m);
  });

  it("covers every Rego file in the repository", () => {
    const roots = (regal ?? "").split(" ").slice(4);
    const files = execFileSync("git", ["ls-files", "*.rego"], { cwd: ROOT_DIR, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !roots.some((r) => f.startsWith(`${r}/`)))).toEqual([]);
  });

  it("every rule the configuration turns off says why", () => {
    const lines = readFileSync(join(ROOT_DIR, ".regal", "config.yaml"), "utf8").split("\n");
    const unexplained = lines.flatMap((l, i) => {
      if (!/^\s+(level: ignore|ignore:|max-line-length:|except-paths:)/.test(l)) return [];
      // the comment block right under the rule name explains the exception
      let j = i - 1;
      while (j >= 0 && /^\s+#/.test(lines[j] ?? "")) j--;
      return j < i - 1 ? [] : [`line ${i + 1}: ${l.trim()}`];
    });
    expect(unexplained).toEqual([]);
  });
});
