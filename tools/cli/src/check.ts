import { CliError } from "./errors.ts";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { catalogIndex, compareFindings, evaluateStack, type DeclaredAt, type PolicyBundle } from "./engine.ts";
import { loadInputs, readInput, type ReadLimits } from "./input/index.ts";
import { compareStrings } from "@baseplate/policies/input";
import { normalize, normalizeSynth, type EnvironmentOverrides, type NormalizedInput } from "./normalize.ts";
import { REPORT_SCHEMA, type Catalog, type CheckReport, type Finding, type StackResult } from "./types.ts";

export interface CheckOptions {
  /** Files or directories; none means every stack under `synthDir`. */
  paths: string[];
  cwd: string;
  /** RFC 3339 evaluation time, UTC. */
  now: string;
  /** Stack name override (one input only). */
  stack?: string | null;
  environment?: EnvironmentOverrides;
  /** Synth output directory read when no paths are given (default cdktf.out). */
  synthDir?: string;
  /** Largest input file read, in bytes (default: DEFAULT_MAX_INPUT_MB MiB; `--max-input-mb`). */
  maxInputBytes?: number;
  bundle: PolicyBundle;
}

/** One stack normalized, with the file it came from. */
export interface NormalizedStack {
  file: string;
  input: NormalizedInput;
  /** Plans only: construct paths and source locations from the synthesized stack beside the plan. */
  declaredAt?: DeclaredAt;
}

/**
 * For a plan written next to its synthesized stack (`cdktf.out/stacks/<stack>/plan.json` beside
 * `cdk.tf.json`, as the CI plan job does), where each resource was declared. cdktf puts every resource
 * in the root module, so plan and synth addresses agree. Anything unreadable there is ignored: the
 * plan is still evaluated, only without construct paths.
 */
export function declaredBeside(planFile: string, cwd: string, limits: ReadLimits = {}): DeclaredAt | undefined {
  const synthFile = join(dirname(resolve(cwd, planFile)), "cdk.tf.json");
  if (!existsSync(synthFile)) return undefined;
  let synth;
  try {
    synth = readInput(synthFile, cwd, limits);
  } catch {
    return undefined;
  }
  if (synth.kind !== "synth") return undefined;
  const input = normalizeSynth(synth.doc, { now: "" });
  const map = new Map<string, { construct: string | null; location: string | null }>();
  for (const list of Object.values(input.resources)) {
    for (const r of list) map.set(r.address, { construct: r.construct, location: r.source_location });
  }
  return map;
}

/** Reads and normalizes every input of a check. */
export function normalizeInputs(options: Omit<CheckOptions, "bundle">): NormalizedStack[] {
  const limits: ReadLimits = { maxBytes: options.maxInputBytes };
  const inputs = loadInputs(options.paths, options.cwd, options.synthDir, limits);
  if (options.stack !== undefined && options.stack !== null && inputs.length > 1) {
    throw new CliError(`--stack names one stack but ${inputs.length} inputs were given; pass one file with --stack, or drop --stack.`);
  }
  return inputs.map((input) => {
    const normalized = normalize(input, { now: options.now, stack: options.stack ?? null, environment: options.environment ?? {} });
    const declaredAt = input.kind === "plan" ? declaredBeside(input.file, options.cwd, limits) : undefined;
    return declaredAt === undefined ? { file: input.file, input: normalized } : { file: input.file, input: normalized, declaredAt };
  });
}

export function countResources(input: NormalizedInput): number {
  let count = 0;
  for (const list of Object.values(input.resources)) count += list.length;
  return count;
}

/** Summary counts; waived findings count only as waived. */
export function summarize(stacks: StackResult[], waiverProblems: CheckReport["waiverProblems"]): CheckReport["summary"] {
  const summary = { stacks: stacks.length, resources: 0, mandatory: 0, advisory: 0, waived: 0 };
  for (const stack of stacks) {
    summary.resources += stack.resourceCount;
    for (const finding of stack.findings) {
      if (finding.waived !== null) summary.waived++;
      else if (finding.enforcement === "mandatory") summary.mandatory++;
      else summary.advisory++;
    }
  }
  for (const problem of waiverProblems) {
    if (problem.enforcement === "mandatory") summary.mandatory++;
    else summary.advisory++;
  }
  return summary;
}

/** Evaluates every input against the bundle; the report before waivers are applied. */
export function runCheck(options: CheckOptions): CheckReport {
  return checkStacks(normalizeInputs(options), options.bundle, options.now);
}

/** Evaluates already normalized stacks; the report before waivers are applied. */
export function checkStacks(stacks: readonly NormalizedStack[], bundle: PolicyBundle, now: string): CheckReport {
  const catalog = catalogIndex(bundle.rules);
  const results: StackResult[] = stacks.map(({ file, input, declaredAt }) => ({
    stack: input.stack,
    file,
    source: input.source,
    environment: input.environment,
    resourceCount: countResources(input),
    findings: evaluateStack(bundle, catalog, input, file, declaredAt),
  }));
  results.sort((a, b) => compareStrings(a.stack, b.stack) || compareStrings(a.source, b.source) || compareStrings(a.file, b.file));
  return {
    schema: REPORT_SCHEMA,
    bundle: { sha256: bundle.sha256, rules: bundle.rules.length, opa_version: bundle.opaVersion },
    generatedFor: now,
    stacks: results,
    waiverProblems: [],
    summary: summarize(results, []),
  };
}

/** The catalog of a bundle in the shape reporters take. */
export function bundleCatalog(bundle: PolicyBundle): Catalog {
  return { schema: "baseplate/catalog@1", opa_version: bundle.opaVersion, rules: bundle.rules };
}

/** Re-sorts findings and recomputes the summary after something (waivers) changed them. */
export function finalizeReport(report: CheckReport): CheckReport {
  for (const stack of report.stacks) stack.findings.sort(compareFindings);
  return { ...report, summary: summarize(report.stacks, report.waiverProblems) };
}

/** Exit code of a check: 1 when an unwaived mandatory violation (or a mandatory waiver problem) remains. */
export function checkExitCode(report: CheckReport): 0 | 1 {
  return report.summary.mandatory > 0 ? 1 : 0;
}

/** Every finding of a report in report order. */
export function allFindings(report: CheckReport): Finding[] {
  return report.stacks.flatMap((stack) => stack.findings);
}
