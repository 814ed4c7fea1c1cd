/**
 * The one place that decides what a finding counts as and whether a check passes. The check
 * runner calls summarize() once, after waivers; reporters render the counts and the verdict it
 * stored in the report and decide nothing themselves.
 */
import type { CheckSummary, Finding, FindingCounts, StackResult, WaiverProblem } from "./types.ts";

/** How a finding counts: waived, else by its rule's enforcement. */
export type FindingStatus = keyof FindingCounts;

export function findingStatus(finding: Pick<Finding, "waived" | "enforcement">): FindingStatus {
  return finding.waived !== null ? "waived" : finding.enforcement;
}

/** Unwaived mandatory, unwaived advisory and waived findings. */
export function countFindings(findings: readonly Pick<Finding, "waived" | "enforcement">[]): FindingCounts {
  const counts: FindingCounts = { mandatory: 0, advisory: 0, waived: 0 };
  for (const finding of findings) counts[findingStatus(finding)]++;
  return counts;
}

/** A stack's result before it is counted. */
export type EvaluatedStack = Omit<StackResult, "counts">;

/**
 * Counts every stack and the whole check. The summary's counts include the waiver problems
 * (invalid or expired waivers are mandatory, unused ones advisory); the verdict is "fail" when
 * an unwaived mandatory finding or a mandatory waiver problem remains.
 */
export function summarize(evaluated: readonly EvaluatedStack[], waiverProblems: readonly WaiverProblem[]): { stacks: StackResult[]; summary: CheckSummary } {
  const totals: FindingCounts = { mandatory: 0, advisory: 0, waived: 0 };
  let resources = 0;
  const stacks = evaluated.map((stack): StackResult => {
    const counts = countFindings(stack.findings);
    totals.mandatory += counts.mandatory;
    totals.advisory += counts.advisory;
    totals.waived += counts.waived;
    resources += stack.resourceCount;
    return { ...stack, counts };
  });
  for (const problem of waiverProblems) totals[problem.enforcement]++;
  return {
    stacks,
    summary: { verdict: totals.mandatory > 0 ? "fail" : "pass", stacks: stacks.length, resources, ...totals },
  };
}
