/**
 * The check pipeline: one runner that takes the options and returns a finished report.
 *
 *   const { report, inputs, catalog } = await runCheck(options);
 *
 * read and normalize every input, load the bundle, evaluate each stack, apply the waivers,
 * summarize: each step once, in that order. The report carries the verdict and every count the
 * reporters show (summary.ts decides them); checkExitCode() maps the verdict to the exit code.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { compareStrings } from "@baseplate/policies/input";
import { loadPolicyBundle } from "./bundle.ts";
import { catalogIndex, compareFindings, evaluateStack, type DeclaredAt, type PolicyBundle } from "./engine.ts";
import { CliError } from "./errors.ts";
import { loadInputs, readInput, type ReadLimits } from "./input/index.ts";
import { normalize, normalizeSynth, type EnvironmentOverrides, type NormalizedInput } from "./normalize.ts";
import { summarize, type EvaluatedStack } from "./summary.ts";
import { EXIT, REPORT_SCHEMA, type Catalog, type CheckReport, type Finding, type WaiverProblem } from "./types.ts";

/** What to read: the inputs of check, review and report. */
export interface InputOptions {
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
}

export interface CheckOptions extends InputOptions {
  /** The policy bundle: its directory (default policies/build) or a bundle already loaded. */
  bundle?: string | PolicyBundle;
  /** The waivers file to apply (absolute, or relative to `cwd`); null or absent applies none. */
  waivers?: string | null;
}

/** One stack normalized, with the file it came from. */
export interface NormalizedStack {
  file: string;
  input: NormalizedInput;
  /** Plans only: construct paths and source locations from the synthesized stack beside the plan. */
  declaredAt?: DeclaredAt;
}

/** A finished check: the report, and what it was made from. */
export interface CheckRun {
  report: CheckReport;
  /** The normalized inputs, in the order read (review reads the plans' changes from them). */
  inputs: NormalizedStack[];
  /** The bundle's rule catalog, in the shape reporters take. */
  catalog: Catalog;
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

/** Reads and normalizes every input (the first steps of a check; all of `baseplate report`). */
export function normalizeInputs(options: InputOptions): NormalizedStack[] {
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

/** Evaluates every normalized stack against the bundle, in report order. */
export function evaluateStacks(stacks: readonly NormalizedStack[], bundle: PolicyBundle): EvaluatedStack[] {
  const catalog = catalogIndex(bundle.rules);
  const results: EvaluatedStack[] = stacks.map(({ file, input, declaredAt }) => ({
    stack: input.stack,
    file,
    source: input.source,
    environment: input.environment,
    resourceCount: countResources(input),
    findings: evaluateStack(bundle, catalog, input, file, declaredAt),
  }));
  return results.sort((a, b) => compareStrings(a.stack, b.stack) || compareStrings(a.source, b.source) || compareStrings(a.file, b.file));
}

/** Applies the waivers file, if any: findings it matches are marked waived; its problems are returned. */
async function waive(
  stacks: EvaluatedStack[],
  file: string | null,
  now: string,
  bundle: PolicyBundle,
): Promise<{ stacks: EvaluatedStack[]; waiverProblems: WaiverProblem[] }> {
  if (file === null) return { stacks, waiverProblems: [] };
  // Loaded only when waivers are applied: the schema validator is the heaviest import of a check.
  const { applyWaivers, loadWaivers } = await import("./waivers.ts");
  return applyWaivers(stacks, loadWaivers(file, { now, catalog: bundle.rules }));
}

/** The finished report: findings in their stable order, every stack and the whole check counted. */
export function finishReport(evaluated: readonly EvaluatedStack[], waiverProblems: readonly WaiverProblem[], bundle: PolicyBundle, now: string): CheckReport {
  const sorted = evaluated.map((stack) => ({ ...stack, findings: [...stack.findings].sort(compareFindings) }));
  const { stacks, summary } = summarize(sorted, waiverProblems);
  return {
    schema: REPORT_SCHEMA,
    bundle: { sha256: bundle.sha256, rules: bundle.rules.length, opa_version: bundle.opaVersion },
    generatedFor: now,
    stacks,
    waiverProblems: [...waiverProblems],
    summary,
  };
}

/** The catalog of a bundle in the shape reporters take. */
export function bundleCatalog(bundle: PolicyBundle): Catalog {
  return { schema: "baseplate/catalog@1", opa_version: bundle.opaVersion, rules: bundle.rules };
}

/** Runs a check: read, normalize, evaluate, waive, summarize, once each. */
export async function runCheck(options: CheckOptions): Promise<CheckRun> {
  // Inputs first: a bad input is reported without waiting for the bundle.
  const inputs = normalizeInputs(options);
  const bundle = typeof options.bundle === "object" ? options.bundle : await loadPolicyBundle(options.bundle === undefined ? undefined : resolve(options.cwd, options.bundle));
  const evaluated = evaluateStacks(inputs, bundle);
  const waivers = options.waivers === undefined || options.waivers === null ? null : resolve(options.cwd, options.waivers);
  const waived = await waive(evaluated, waivers, options.now, bundle);
  return { report: finishReport(waived.stacks, waived.waiverProblems, bundle, options.now), inputs, catalog: bundleCatalog(bundle) };
}

/** Exit code of a check: 1 when the verdict is "fail" (an unwaived mandatory violation or a mandatory waiver problem). */
export function checkExitCode(report: CheckReport): 0 | 1 {
  return report.summary.verdict === "fail" ? EXIT.VIOLATIONS : EXIT.OK;
}

/** Every finding of a report in report order. */
export function allFindings(report: CheckReport): Finding[] {
  return report.stacks.flatMap((stack) => stack.findings);
}
