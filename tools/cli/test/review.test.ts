import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/errors.ts";
import {
  buildReview,
  DECISION_RIGHTS_FILE,
  loadDecisionRights,
  parseDecisionRights,
  reviewExitCode,
} from "../src/review.ts";
import { GITHUB_COMMENT_LIMIT } from "../src/reporters/comment.ts";
import { renderReviewMarkdown, renderReviewTerminal, REVIEW_MARKER } from "../src/reporters/review.ts";
import type { DecisionRights } from "../src/review.ts";
import { EXIT } from "../src/types.ts";
import { catalog } from "./fixtures/reporting/catalog.ts";
import { devChecked, devPlan, planInput, planResource, prodChecked, prodPlan, stageChecked, stagePlan, unknownTierPlan } from "./fixtures/reporting/plans.ts";

const rights = loadDecisionRights();
const all = buildReview([prodPlan, devPlan, stagePlan], [prodChecked, devChecked, stageChecked], rights, catalog);
const stack = (name: string) => {
  const s = all.stacks.find((x) => x.stack === name);
  if (!s) throw new Error(name);
  return s;
};

describe("decision rights", () => {
  it("loads the repository table", () => {
    expect(rights.approvers["senior"]?.senior).toBe(true);
    expect(rights.requirements.find((r) => r.tier === "dev" && r.risk === "change")?.approver).toBe("pr-review");
    expect(DECISION_RIGHTS_FILE).toMatch(/governance\/decision-rights\.json$/);
  });

  it("rejects a malformed table with the file and the fix", () => {
    const base = JSON.parse(readFileSync(DECISION_RIGHTS_FILE, "utf8")) as DecisionRights;
    const bad = (mutate: (d: DecisionRights) => void) => {
      const d = structuredClone(base);
      mutate(d);
      return () => parseDecisionRights(JSON.stringify(d), "governance/decision-rights.json");
    };
    expect(() => parseDecisionRights("{", "governance/decision-rights.json")).toThrow(/decision-rights\.json:1:2: .*strict JSON/);
    expect(() => parseDecisionRights('{"approvers": {},\n "approvers": {}}', "governance/decision-rights.json")).toThrow(/decision-rights\.json:2:2: duplicate key "approvers"/);
    expect(bad((d) => (d.requirements[0]!.approver = "cto"))).toThrow(/requirements\[0\] names approver "cto"/);
    expect(bad((d) => (d.requirements[0]!.risk = "cost"))).toThrow(/requirements\[0\] names risk "cost"/);
    expect(bad((d) => (d.approvers["senior"]!.senior = false))).toThrow(/no approver role has "senior": true/);
    expect(bad((d) => (d.categories["iam"]!.changes = [{ types: ["aws_kms_key"], when: "attribute-changed", why: "x" }]))).toThrow(/categories\.iam\.changes\[0\] \("when": "attribute-changed"\) names no "attribute"/);
    expect(bad((d) => (d.categories["iam"]!.changes = [{ types: ["aws_lb"], when: "became", attribute: "internal", why: "x" }]))).toThrow(/names no "value"/);
    expect(bad((d) => ((d.requirements[0] as { tier: string }).tier = "qa"))).toThrow(CliError);
    let caught: unknown;
    try {
      bad((d) => ((d as unknown as Record<string, unknown>)["extra"] = 1))();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).exitCode).toBe(EXIT.USAGE);
    expect((caught as CliError).message).toContain("(extra)");
  });
});

describe("review of plans across tiers", () => {
  it("counts actions per stack from the plan", () => {
    expect(stack("payments-dev").counts).toEqual({ create: 2, update: 1, delete: 0, replace: 0, "no-op": 2, read: 1, forget: 0 });
    expect(stack("payments-prod").counts).toEqual({ create: 0, update: 1, delete: 1, replace: 2, "no-op": 2, read: 0, forget: 0 });
    expect(stack("payments-stage").counts).toMatchObject({ update: 2, "no-op": 1 });
  });

  it("dev: routine changes need only the pull-request review", () => {
    const dev = stack("payments-dev");
    expect(dev.approvers.map((a) => a.role)).toEqual(["pr-review"]);
    expect(dev.approvers[0]!.reasons).toEqual(["dev changes need only the normal pull-request review."]);
    expect(dev.seniorRequired).toBe(false);
    expect(dev.changes.map((c) => [c.address, c.action, c.risk])).toEqual([
      ["aws_cloudwatch_metric_alarm.queue_depth", "create", "low"],
      ["aws_lambda_function.worker", "update", "low"],
      ["aws_sqs_queue.events", "create", "low"],
    ]);
    expect(reviewExitCode(buildReview([devPlan], [devChecked], rights, catalog))).toBe(EXIT.OK);
  });

  it("stage: a network-boundary change needs the team and a senior", () => {
    const stage = stack("payments-stage");
    expect(stage.approvers.map((a) => a.role)).toEqual(["senior", "team"]);
    expect(stage.approvers[0]!.reasons).toEqual([
      "network-boundary: network-boundary changes alter what is reachable, possibly from the internet. [aws_security_group.api]",
    ]);
    expect(stage.approvers[1]!.reasons[0]).toContain("stage is shared by every team");
    expect(stage.changes[0]).toMatchObject({ address: "aws_security_group.api", risk: "high", categories: ["network-boundary"] });
    expect(stage.changes[0]!.reasons).toEqual(["network-boundary (changes what can reach what, CHG-003)"]);
  });

  it("a security group change is network-boundary by the decision rights even when no rule fires", () => {
    const review = buildReview([stagePlan], [{ ...stageChecked, findings: [] }], rights, catalog);
    expect(review.stacks[0]!.approvers.map((a) => a.role)).toEqual(["senior", "team"]);
    expect(review.stacks[0]!.changes[0]!.reasons).toEqual(["network-boundary (changes what can reach what)"]);
  });

  it("stage without risky changes needs the team only (exit 0)", () => {
    const quiet = { ...stagePlan, resources: { aws_ecs_service: stagePlan.resources["aws_ecs_service"] ?? [] } };
    const review = buildReview([quiet], [{ ...stageChecked, findings: [] }], rights, catalog);
    expect(review.stacks[0]!.approvers.map((a) => a.role)).toEqual(["team"]);
    expect(reviewExitCode(review)).toBe(EXIT.OK);
  });

  it("prod: ranks the stateful replacement and IAM change high, unflagged deletes medium", () => {
    const prod = stack("payments-prod");
    expect(prod.changes.map((c) => [c.address, c.action, c.risk])).toEqual([
      ["aws_cloudwatch_log_group.old", "delete", "high"],
      ["aws_db_instance.main", "replace", "high"],
      ["aws_iam_role_policy.api", "update", "high"],
      ["aws_ecs_task_definition.api", "replace", "medium"],
    ]);
    expect(prod.changes[2]!.reasons).toEqual(["iam (identity or resource policy created, changed or removed, CHG-002 (waived))"]);
    // a log group holds logs: deleting it is a stateful delete by the decision rights' predicates
    expect(prod.changes[0]!.reasons).toEqual(["stateful-delete (holds data and is deleted or replaced)"]);
    expect(prod.changes[3]!.reasons).toEqual(["replaced (destroyed and re-created); no change rule classifies it as stateful"]);
    expect(stack("payments-dev").changes[0]!.reasons).toEqual(["new resource; no change rule flagged it"]);
    expect(prod.approvers.map((a) => a.role)).toEqual(["senior"]);
    expect(prod.approvers[0]!.reasons).toEqual([
      "every production change is approved by a senior.",
      "iam: IAM changes alter who can access what and can escalate privileges. [aws_iam_role_policy.api]",
      "stateful-delete: deleting or replacing a stateful resource can lose data. [aws_cloudwatch_log_group.old, aws_db_instance.main]",
    ]);
    expect(all.seniorRequired).toBe(true);
    expect(reviewExitCode(all)).toBe(EXIT.SENIOR_APPROVAL);
  });

  it("a forgotten resource is medium risk and counted", () => {
    const review = buildReview([planInput("payments-stage", "stage", [planResource('module.archive.aws_s3_bucket.old["x"]', ["forget"])])], [], rights, catalog);
    const s = review.stacks[0]!;
    expect(s.counts.forget).toBe(1);
    expect(s.changes.map((c) => [c.address, c.action, c.risk])).toEqual([['module.archive.aws_s3_bucket.old["x"]', "forget", "medium"]]);
    expect(s.changes[0]!.reasons[0]).toContain("removed from Terraform state without being destroyed");
    expect(s.approvers.map((a) => a.role)).toEqual(["team"]);
  });

  it("an unknown tier is treated as production", () => {
    const review = buildReview([unknownTierPlan], [], rights, catalog);
    expect(review.stacks[0]!.approvers.map((a) => [a.role, a.reasons[0]])).toEqual([
      ["senior", "the stack's environment tier is unknown, so it is treated as production."],
    ]);
    expect(reviewExitCode(review)).toBe(EXIT.SENIOR_APPROVAL);
  });

  it("a plan with no changes needs no approver", () => {
    const review = buildReview([planInput("payments-dev", "dev", [planResource("aws_sqs_queue.q", ["no-op"])])], [], rights, catalog);
    expect(review.stacks[0]!.approvers).toEqual([]);
    expect(review.stacks[0]!.changes).toEqual([]);
    expect(reviewExitCode(review)).toBe(EXIT.OK);
  });

  it("follows the table: a dev IAM change can be delegated to the team", () => {
    const custom = structuredClone(rights);
    custom.requirements = custom.requirements.map((r) => (r.risk === "iam" ? { ...r, tier: "prod" as const } : r));
    custom.requirements.push({ tier: "dev", risk: "iam", approver: "team", reason: "dev IAM changes are reviewed by the team." });
    const devIam = planInput("payments-dev", "dev", [planResource("aws_iam_role.worker", ["update"])]);
    const review = buildReview([devIam], [{ ...devChecked, findings: [{ ...prodChecked.findings[1]!, stack: "payments-dev", address: "aws_iam_role.worker", waived: null }] }], custom, catalog);
    expect(review.stacks[0]!.approvers.map((a) => a.role)).toEqual(["team", "pr-review"]);
    expect(reviewExitCode(review)).toBe(EXIT.OK);
  });

  it("fails closed to a senior when a risk category has no requirement", () => {
    const custom = structuredClone(rights);
    custom.requirements = custom.requirements.filter((r) => r.risk !== "network-boundary");
    const review = buildReview([stagePlan], [stageChecked], custom, catalog);
    expect(review.stacks[0]!.approvers[0]).toMatchObject({ role: "senior" });
    expect(review.stacks[0]!.approvers[0]!.reasons[0]).toContain('network-boundary: no requirement in decision-rights.json for tier "stage"');
  });

  it("refuses synthesized inputs", () => {
    const synth = { ...devPlan, source: "synth" as const };
    expect(() => buildReview([synth], [], rights, catalog)).toThrow(/review needs a Terraform plan, but stack "payments-dev" was read from synth/);
  });
});

describe("review renderers", () => {
  it("Markdown: marker, verdict, counts, approvers with reasons, ranked resources", () => {
    const md = renderReviewMarkdown(all);
    const lines = md.split("\n");
    expect(lines[0]).toBe(REVIEW_MARKER);
    expect(lines[1]).toBe("## 🔴 baseplate review: senior approval required");
    expect(md).toContain("| payments\\-prod | prod | 0 | 1 | 1 | 2 | 2 | 🔴 high | senior |");
    expect(md).toContain("| payments\\-dev | dev | 2 | 1 | 0 | 0 | 2 | 🟢 low | pr\\-review |");
    expect(md).toContain("- **senior** (`@acme/platform-seniors`) · senior");
    expect(md).toContain("  - payments\\-prod\\: every production change is approved by a senior\\.");
    expect(md).toContain("<summary><b>payments-prod</b>: 3 high, 1 medium, 0 low</summary>");
    expect(md.indexOf("aws\\_db\\_instance\\.main")).toBeLessThan(md.indexOf("aws\\_ecs\\_task\\_definition\\.api"));
    expect(lines.filter((l) => l === "<details>")).toHaveLength(3);
  });

  it("Markdown escapes hostile addresses in table cells", () => {
    const evil = planInput("x", "dev", [planResource('aws_sqs_queue.a|b</details><script>["k"]', ["create"])]);
    const md = renderReviewMarkdown(buildReview([evil], [], rights, catalog));
    expect(md).not.toContain("<script>");
    expect(md).toContain("aws\\_sqs\\_queue\\.a\\|b&lt;/details&gt;&lt;script&gt;\\[\\\"k\\\"\\]");
  });

  it("Markdown stays within the comment limit on a large plan, highest risk first", () => {
    const big = planInput(
      "payments-prod",
      "prod",
      Array.from({ length: 3000 }, (_, i) => planResource(`aws_cloudwatch_log_group.group_with_a_long_name_${String(i).padStart(4, "0")}`, ["delete"])),
    );
    const md = renderReviewMarkdown(buildReview([big, prodPlan], [prodChecked], rights, catalog));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(/\d+ more lower-risk changes not shown/);
    expect(md).toContain("aws\\_db\\_instance\\.main");
    const full = renderReviewMarkdown(all);
    const fitted = renderReviewMarkdown(all, { maxLength: full.length - 100 });
    expect(fitted.length).toBeLessThanOrEqual(full.length - 100);
    expect(fitted).toContain("more lower-risk changes not shown");
  });

  it("terminal: counts, ranked changes, approvers and the exit code", () => {
    const text = renderReviewTerminal(all);
    expect(text.split("\n")[0]).toBe("baseplate review: senior approval required");
    expect(text).toContain("payments-prod (prod): 0 to create, 1 to update, 1 to delete, 2 to replace, 2 unchanged");
    expect(text).toMatch(/ {2}HIGH {3}replace aws_db_instance\.main {2}stateful-delete \(holds data and is deleted or replaced, CHG-001\)/);
    expect(text).toContain("  approver: senior @acme/platform-seniors [senior]");
    expect(text.trimEnd().split("\n").pop()).toBe("exit 3: a senior must approve before apply.");
  });
});
