import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "../src/environments/index.ts";
import { REPO_ROOT } from "./helpers.ts";

const NX = join(REPO_ROOT, "node_modules", "nx", "dist", "bin", "nx.js");
const ENV_PROJECTS = ENVIRONMENTS.map((e) => `env-${e.name}`).sort();

/** The environment projects `nx affected` selects when `file` changes. */
function affectedEnvironments(file: string): string[] {
  const out = execFileSync(process.execPath, [NX, "show", "projects", "--affected", `--files=${file}`, "--json"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", NX_SKIP_NX_CACHE: "true" },
  });
  return (JSON.parse(out) as string[]).filter((p) => p.startsWith("env-")).sort();
}

describe("nx affected maps a change to the environments it affects", () => {
  it("has one Nx project per environment", () => {
    const out = execFileSync(process.execPath, [NX, "show", "projects", "--json"], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NX_DAEMON: "false" } });
    expect((JSON.parse(out) as string[]).filter((p) => p.startsWith("env-")).sort()).toEqual(ENV_PROJECTS);
  });

  it.each([
    ["a construct in modules/", "modules/src/index.ts", ENV_PROJECTS],
    ["the service stack class", "stacks/src/stacks/service.ts", ENV_PROJECTS],
    ["the environment schema", "stacks/src/environments/define.ts", ENV_PROJECTS],
    ["dev's config", "stacks/environments/dev/config.ts", ["env-dev"]],
    ["prod's config", "stacks/environments/prod/config.ts", ["env-prod"]],
    ["stage's project targets", "stacks/environments/stage/project.json", ["env-stage"]],
    ["a file outside the estate", "docs/workflows.md", []],
  ])("%s (%s)", (_what, file, expected) => {
    expect(affectedEnvironments(file)).toEqual(expected);
  });
});
