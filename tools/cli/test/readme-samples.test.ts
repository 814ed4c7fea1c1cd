import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fill, maskVolatile, render } from "../../examples/readme.ts";
import { planFromSynth } from "../../examples/plan-from-synth.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");

describe("README samples", () => {
  it("are what the CLI produces for the example estate today (run node tools/examples/readme.ts)", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const next = await render(readme);
    expect(next).toBe(readme);
    expect(readme).toContain("<!-- baseplate:check -->");
    expect(readme).toContain("<!-- baseplate:review -->");
  }, 120_000);

  it("fills only the marked block and refuses a README without it", () => {
    const text = "a\n<!-- sample:x:start -->\nold\n<!-- sample:x:end -->\nb\n";
    expect(fill(text, "x", "new")).toBe("a\n<!-- sample:x:start -->\n````markdown\nnew\n````\n<!-- sample:x:end -->\nb\n");
    expect(() => fill("nothing here", "x", "new")).toThrow(/has no <!-- sample:x:start -->/);
  });

  it("masks bundle hashes so the samples do not churn with every rule edit", () => {
    expect(maskVolatile("bundle sha256:9caa0703e6d8, 74 rules")).toBe("bundle sha256:xxxxxxxxxxxx, 74 rules");
  });

  it("derives a plan whose unchanged resources are no-ops and whose references are unknown", () => {
    const plan = planFromSynth({
      resource: {
        aws_s3_bucket: { b: { bucket: "x" } },
        aws_ecs_task_definition: { "app_task-definition_1": { family: "f", execution_role_arn: "${aws_iam_role.r.arn}" } },
      },
    }) as { resource_changes: { address: string; change: { actions: string[]; after_unknown: Record<string, unknown> } }[] };
    const byAddress = Object.fromEntries(plan.resource_changes.map((c) => [c.address, c.change]));
    expect(byAddress["aws_s3_bucket.b"]?.actions).toEqual(["no-op"]);
    expect(byAddress["aws_ecs_task_definition.app_task-definition_1"]?.actions).toEqual(["create", "delete"]);
    expect(byAddress["aws_ecs_task_definition.app_task-definition_1"]?.after_unknown.execution_role_arn).toBe(true);
  });
});
