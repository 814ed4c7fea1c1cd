import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const actionlint = join(repoRoot, ".tools", "bin", "actionlint");

function run(args: string[]): { status: number | null; out: string } {
  if (!existsSync(actionlint)) throw new Error(`${actionlint} is missing; run 'bash tools/setup.sh' to install actionlint 1.7.12.`);
  const result = spawnSync(actionlint, ["-no-color", ...args], { cwd: repoRoot, encoding: "utf8" });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("actionlint", () => {
  it("is the pinned 1.7.12", () => {
    expect(run(["-version"]).out).toMatch(/^v?1\.7\.12\b/);
  });

  it("finds nothing in .github/workflows", () => {
    const { status, out } = run([]);
    expect(out).toBe("");
    expect(status).toBe(0);
  });

  it("rejects a broken workflow, so the clean result above is meaningful", () => {
    const { status, out } = run([join("tools", "workflows", "test", "fixtures", "actionlint", "broken.yml")]);
    expect(status).toBe(1);
    expect(out).toMatch(/job "build" needs job "nowhere" which does not exist/);
    expect(out).toMatch(/nonexistent_field/);
  });
});
