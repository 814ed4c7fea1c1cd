/**
 * The delivery design, checked on the real workflows: apply order, environment per job, plan
 * artifacts bound to the reviewed commit, and each write scope on exactly the job that needs it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planArtifactName } from "../src/github.ts";
import { ENVIRONMENT_ORDER, LAYER_ORDER } from "../src/stacks.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix?: { include?: string } };
  steps?: { uses?: string; run?: string; with?: Record<string, unknown> }[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, Job>;
}
const load = (name: string): Workflow => parse(readFileSync(join(repoRoot, ".github", "workflows", name), "utf8")) as Workflow;
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const writers = (wf: Workflow, scope: string): string[] =>
  Object.entries(wf.jobs)
    .filter(([, j]) => j.permissions?.[scope] === "write")
    .map(([id]) => id);

describe("apply workflow", () => {
  const wf = load("apply.yml");
  const applyJobs = ENVIRONMENT_ORDER.flatMap((env) => LAYER_ORDER.map((layer) => ({ id: `${env}-${layer}`, env, layer })));

  it("runs on push to main and on dispatch with environment and stack inputs", () => {
    expect(wf.on["push"]).toEqual({ branches: ["main"] });
    const inputs = (wf.on["workflow_dispatch"] as { inputs: Record<string, { options?: string[] }> }).inputs;
    expect(Object.keys(inputs).sort()).toEqual(["environment", "stack"]);
    expect(inputs["environment"]?.options).toEqual(["dev", "stage", "prod"]);
  });

  it("has one job per environment and layer, each needing every earlier one (dev -> stage -> prod, platform -> network -> services)", () => {
    expect(Object.keys(wf.jobs)).toEqual(["prepare", ...applyJobs.map((j) => j.id)]);
    applyJobs.forEach(({ id }, index) => {
      expect(needsOf(wf.jobs[id] as Job).sort(), id).toEqual(["prepare", ...applyJobs.slice(0, index).map((j) => j.id)].sort());
    });
  });

  it("runs each job in its environment, on its own stack list, serialized per stack, and skips it when it has no stacks", () => {
    for (const { id, env, layer } of applyJobs) {
      const job = wf.jobs[id] as Job;
      expect(job.environment, id).toBe(env);
      expect(job.concurrency, id).toEqual({ group: "apply-${{ matrix.stack }}", "cancel-in-progress": false });
      expect(job.strategy?.matrix?.include, id).toBe(`\${{ fromJSON(needs.prepare.outputs.${env}_${layer}) }}`);
      expect(job.if, id).toBe(`\${{ !cancelled() && !failure() && needs.prepare.outputs.${env}_${layer} != '[]' }}`);
      const apply = job.steps?.find((s) => s.uses === "./.github/actions/apply-stack");
      expect(apply?.with?.["environment"], id).toBe(env);
      expect(apply?.with?.["role-to-assume"], id).toBe("${{ vars.BASEPLATE_APPLY_ROLE_ARN }}");
    }
  });

  it("grants id-token: write to the apply jobs only", () => {
    expect(writers(wf, "id-token")).toEqual(applyJobs.map((j) => j.id));
  });
});

describe("PR workflow", () => {
  const wf = load("pr.yml");

  it("triggers on pull_request only", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
  });

  it("checks out the PR head commit in every job that checks out", () => {
    for (const [id, job] of Object.entries(wf.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith("actions/checkout@")) expect(step.with?.["ref"], id).toBe("${{ github.event.pull_request.head.sha }}");
      }
    }
  });

  it("names the plan artifact as the apply workflow looks it up: plan-<stack>-<head sha>", () => {
    const upload = wf.jobs["plan"]?.steps?.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    const template = String(upload?.with?.["name"]);
    const rendered = template.replace("${{ matrix.stack }}", "payments-api-prod").replace("${{ github.event.pull_request.head.sha }}", "b".repeat(40));
    expect(rendered).toBe(planArtifactName("payments-api-prod", "b".repeat(40)));
  });

  it("gives each write scope to exactly the job that needs it", () => {
    expect(writers(wf, "id-token")).toEqual(["plan"]);
    expect(writers(wf, "pull-requests")).toEqual(["comment"]);
    expect(writers(wf, "security-events")).toEqual(["code-scanning"]);
    expect(writers(wf, "issues")).toEqual([]);
    expect(wf.permissions).toEqual({});
  });

  it("governance CI: a change under governance/ or docs/runbooks/ synthesizes and gates every stack", () => {
    const gate = wf.jobs["gate"] as Job;
    const synth = gate.steps?.find((s) => /baseplate synth --changed-since/.test(s.run ?? ""));
    const run = synth?.run ?? "";
    expect(run).toMatch(/git diff --name-only "\$base" HEAD -- governance\/ docs\/runbooks\/ \| grep -q \./);
    // the governance branch synthesizes all stacks: a bare `baseplate synth` with no selection
    expect(run.split("\n").map((l) => l.trim())).toContain("baseplate synth");
    // and the gate step after it runs `baseplate check` over what was synthesized
    const steps = gate.steps ?? [];
    expect(steps.findIndex((s) => /baseplate check/.test(s.run ?? ""))).toBeGreaterThan(steps.indexOf(synth!));
  });

  it("requires every job through the PR result job", () => {
    const result = wf.jobs["result"] as Job;
    expect(needsOf(result).sort()).toEqual(Object.keys(wf.jobs).filter((id) => id !== "result").sort());
    expect(result.if).toBe("always()");
  });
});

describe("drift workflow", () => {
  const wf = load("drift.yml");

  it("runs nightly and on dispatch", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  it("plans with -detailed-exitcode under the plan role and writes issues only from the report job", () => {
    const detect = wf.jobs["detect"] as Job;
    const plans = (detect.steps ?? []).flatMap((s) => (s.run ?? "").split("\n")).filter((l) => /^\s*terraform plan /.test(l));
    expect(plans.length).toBeGreaterThan(0);
    // drift only: refresh-only keeps merged-but-unapplied changes out of the drift report
    for (const line of plans) expect(line).toMatch(/terraform plan -refresh-only [^\n]*-detailed-exitcode/);
    expect(detect.steps?.some((s) => /terraform show -json drift\.tfplan/.test(s.run ?? ""))).toBe(true);
    expect(detect.steps?.some((s) => /terraform apply/.test(s.run ?? ""))).toBe(false);
    expect(writers(wf, "id-token")).toEqual(["detect"]);
    expect(writers(wf, "issues")).toEqual(["report"]);
  });
});
