/**
 * Compares the plan a reviewer saw (from the pull request) with a fresh plan of the same commit.
 * Both are `terraform show -json <planfile>` documents. The apply workflow applies the reviewed
 * plan file only when the two describe the same changes; otherwise it stops and asks for a new
 * review.
 *
 * Compared per resource address (order-insensitive): actions, before, after, after_unknown,
 * before_sensitive, after_sensitive; and per output: actions, before, after, after_unknown.
 * Resources and outputs whose actions are only ["no-op"] are ignored on both sides.
 */
import { readFileSync } from "node:fs";

export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanFileError";
  }
}

interface Change {
  actions?: unknown;
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}

export interface PlanDocument {
  format_version: string;
  resource_changes?: { address: string; change: Change }[];
  output_changes?: Record<string, Change>;
}

export interface PlanDifference {
  /** Resource address or `output.<name>`. */
  address: string;
  /** What differs, e.g. "only in the fresh plan" or "actions: create -> update". */
  detail: string;
}

/** Reads and validates a `terraform show -json` document; errors name the file and the fix. */
export function readPlan(file: string): PlanDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (thrown) {
    throw new PlanFileError(`Cannot read plan ${file} (${(thrown as NodeJS.ErrnoException).code ?? String(thrown)}); write it with 'terraform show -json <planfile> > ${file}'.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PlanFileError(`Plan ${file} is not JSON; write it with 'terraform show -json <planfile> > ${file}'.`);
  }
  return asPlan(data, file);
}

export function asPlan(data: unknown, source: string): PlanDocument {
  const plan = data as Partial<PlanDocument> | null;
  if (typeof plan !== "object" || plan === null || Array.isArray(plan) || typeof plan.format_version !== "string") {
    throw new PlanFileError(`${source} is not a Terraform plan (no format_version); produce it with 'terraform show -json <planfile>'.`);
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new PlanFileError(`${source}: resource_changes is not a list; produce it with 'terraform show -json <planfile>'.`);
  }
  for (const rc of plan.resource_changes ?? []) {
    const entry = rc as Partial<{ address: unknown; change: unknown }>;
    if (typeof entry.address !== "string" || typeof entry.change !== "object" || entry.change === null) {
      throw new PlanFileError(`${source}: a resource change lacks an address or change; produce it with 'terraform show -json <planfile>'.`);
    }
  }
  return plan as PlanDocument;
}

/** Canonical JSON: object keys sorted, so equal values compare equal as strings. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function isNoOp(change: Change): boolean {
  return Array.isArray(change.actions) && change.actions.length === 1 && change.actions[0] === "no-op";
}

function changesOf(plan: PlanDocument): Map<string, Change> {
  const map = new Map<string, Change>();
  for (const rc of plan.resource_changes ?? []) if (!isNoOp(rc.change)) map.set(rc.address, rc.change);
  for (const [name, change] of Object.entries(plan.output_changes ?? {})) if (!isNoOp(change)) map.set(`output.${name}`, change);
  return map;
}

const FIELDS = ["actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive"] as const;

function actionsText(change: Change): string {
  return Array.isArray(change.actions) ? change.actions.join("+") : "?";
}

/** Differences between the reviewed and the fresh plan, sorted by address; empty when they match. */
export function comparePlans(reviewed: PlanDocument, fresh: PlanDocument): PlanDifference[] {
  const a = changesOf(reviewed);
  const b = changesOf(fresh);
  const differences: PlanDifference[] = [];
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(address);
    const after = b.get(address);
    if (before === undefined && after !== undefined) {
      differences.push({ address, detail: `only in the fresh plan (${actionsText(after)})` });
    } else if (after === undefined && before !== undefined) {
      differences.push({ address, detail: `only in the reviewed plan (${actionsText(before)})` });
    } else if (before !== undefined && after !== undefined) {
      const fields = FIELDS.filter((f) => canonical(before[f]) !== canonical(after[f]));
      if (fields.length === 0) continue;
      differences.push({
        address,
        detail: fields.includes("actions") ? `actions ${actionsText(before)} -> ${actionsText(after)}` : `${fields.join(", ")} differ`,
      });
    }
  }
  return differences;
}

/** Markdown for the job summary. */
export function renderDifferences(stack: string, differences: readonly PlanDifference[]): string {
  if (differences.length === 0) return `The fresh plan of \`${stack}\` matches the reviewed plan.\n`;
  const shown = differences.slice(0, 50);
  const lines = [
    `### \`${stack}\`: the fresh plan differs from the reviewed plan`,
    "",
    "The reviewed plan was not applied. Open a pull request (or re-run the PR checks) so the new plan is reviewed, then merge it.",
    "",
    "| address | difference |",
    "| --- | --- |",
    ...shown.map((d) => `| \`${d.address.replace(/\|/g, "\\|")}\` | ${d.detail.replace(/\|/g, "\\|")} |`),
  ];
  if (differences.length > shown.length) lines.push("", `…and ${differences.length - shown.length} more.`);
  return `${lines.join("\n")}\n`;
}
