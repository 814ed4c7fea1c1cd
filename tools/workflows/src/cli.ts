/**
 * Commands the workflows run (`node tools/workflows/src/cli.ts <command>`). Outputs meant for
 * `$GITHUB_OUTPUT` are printed as `key=value` lines; Markdown goes to standard output.
 * Exit codes: 0 ok, 1 the check failed (findings, plans differ, drift errors), 2 usage or input error.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
// Each command imports only what it uses, so the GitHub commands (github.ts, stacks.ts and
// plans.ts use Node built-ins only) run on a bare Node 24 without `npm ci`.
import type { DriftResult, GitHub } from "./github.ts";

export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Builds the GitHub client; tests pass an in-memory one. */
  github?: (token: string, apiUrl: string) => GitHub;
}

class UsageError extends Error {}

const USAGE = `Usage: node tools/workflows/src/cli.ts <command> [options]

Commands:
  invariants [root]                           check .github/workflows against the invariants (exit 1 on findings)
  matrix --list FILE [--synth-dir DIR] [--all] stack matrices (key=value lines for $GITHUB_OUTPUT)
  compare-plans REVIEWED FRESH --stack NAME   compare two 'terraform show -json' plans (exit 1 when they differ)
  junit-summary FILE [--title TEXT]           Markdown summary of a JUnit report
  pr-comment --pr N --body-file FILE          create or update the PR comment marked <!-- baseplate:check -->
  reviewed-commit --sha SHA                   the reviewed PR head commit behind a merge (key=value lines)
  find-plan --stack NAME --commit SHA         the reviewed plan artifact of a stack (key=value lines)
  drift-issues --results DIR                  open, update or close the "Drift: <stack>" issues

GitHub commands read GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL from the environment.
`;

function parse(args: string[], options: ParseArgsConfig["options"]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (thrown) {
    throw new UsageError(`${(thrown as Error).message}\n\n${USAGE}`);
  }
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required.\n\n${USAGE}`);
  return value;
}

function envRequired(io: Io, name: string): string {
  const value = io.env[name];
  if (value === undefined || value === "") throw new UsageError(`${name} is not set; run this inside GitHub Actions or export it.`);
  return value;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (thrown) {
    throw new UsageError(`Cannot read ${what} ${file} (${(thrown as NodeJS.ErrnoException).code ?? String(thrown)}); check the path.`);
  }
}

async function github(io: Io): Promise<{ gh: GitHub; repo: string }> {
  const token = envRequired(io, "GITHUB_TOKEN");
  const repo = envRequired(io, "GITHUB_REPOSITORY");
  const apiUrl = io.env["GITHUB_API_URL"] ?? "https://api.github.com";
  const { restClient } = await import("./github.ts");
  return { gh: (io.github ?? restClient)(token, apiUrl), repo };
}

function outputs(io: Io, values: Record<string, string | number | boolean | null>): void {
  for (const [key, value] of Object.entries(values)) io.stdout.write(`${key}=${value === null ? "" : String(value).replace(/\r?\n/g, " ")}\n`);
}

const SHA = /^[0-9a-f]{40}$/;

async function run(command: string | undefined, rest: string[], io: Io): Promise<number> {
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    case "invariants": {
      const { positionals } = parse(rest, {});
      const { checkRepository, formatFinding } = await import("./invariants.ts");
      const root = resolve(io.cwd, positionals[0] ?? ".");
      const findings = checkRepository(root);
      for (const f of findings) io.stdout.write(`${formatFinding(f)}\n`);
      io.stderr.write(`workflow invariants: ${findings.length === 0 ? "PASS" : `FAIL, ${findings.length} findings`} in ${join(root, ".github")}\n`);
      return findings.length === 0 ? 0 : 1;
    }
    case "matrix": {
      const { values } = parse(rest, { list: { type: "string" }, "synth-dir": { type: "string" }, all: { type: "boolean" } });
      const { orderStacks, parseStackList, selectStacks, synthesizedStacks, workflowOutputs } = await import("./stacks.ts");
      const listFile = resolve(io.cwd, required(values, "list"));
      const all = parseStackList(readText(listFile, "stack list"), listFile);
      if (all.length === 0) throw new UsageError(`The stack list ${listFile} is empty; it must hold the output of 'baseplate synth --list'.`);
      const names = values["all"] === true ? all.map((s) => s.name) : synthesizedStacks(resolve(io.cwd, typeof values["synth-dir"] === "string" ? values["synth-dir"] : "cdktf.out"));
      outputs(io, workflowOutputs(orderStacks(selectStacks(all, names))));
      return 0;
    }
    case "compare-plans": {
      const { values, positionals } = parse(rest, { stack: { type: "string" } });
      const stack = required(values, "stack");
      const [reviewedFile, freshFile] = positionals;
      if (reviewedFile === undefined || freshFile === undefined) throw new UsageError(`compare-plans needs the reviewed and the fresh plan JSON.\n\n${USAGE}`);
      const { comparePlans, readPlan, renderDifferences } = await import("./plans.ts");
      const differences = comparePlans(readPlan(resolve(io.cwd, reviewedFile)), readPlan(resolve(io.cwd, freshFile)));
      io.stdout.write(renderDifferences(stack, differences));
      return differences.length === 0 ? 0 : 1;
    }
    case "junit-summary": {
      const { values, positionals } = parse(rest, { title: { type: "string" } });
      const file = positionals[0];
      if (file === undefined) throw new UsageError(`junit-summary needs a JUnit file.\n\n${USAGE}`);
      const { renderJUnitSummary, summarizeJUnit } = await import("./junit.ts");
      const summary = summarizeJUnit(readText(resolve(io.cwd, file), "JUnit report"), file);
      io.stdout.write(renderJUnitSummary(typeof values["title"] === "string" ? values["title"] : "JUnit", summary));
      return 0;
    }
    case "pr-comment": {
      const { values } = parse(rest, { pr: { type: "string" }, "body-file": { type: "string" }, "run-url": { type: "string" } });
      const pr = Number(required(values, "pr"));
      if (!Number.isInteger(pr) || pr <= 0) throw new UsageError(`--pr ${String(values["pr"])} is not a pull request number.`);
      const { fitComment, upsertComment } = await import("./github.ts");
      const body = fitComment(readText(resolve(io.cwd, required(values, "body-file")), "comment body"), typeof values["run-url"] === "string" ? values["run-url"] : null);
      const { gh, repo } = await github(io);
      const result = await upsertComment(gh, repo, pr, body);
      io.stderr.write(`pr-comment: ${result.action} comment ${result.id} on #${pr}\n`);
      return 0;
    }
    case "reviewed-commit": {
      const { values } = parse(rest, { sha: { type: "string" } });
      const sha = required(values, "sha");
      if (!SHA.test(sha)) throw new UsageError(`--sha ${sha} is not a 40-character commit SHA.`);
      const { findReviewedCommit } = await import("./github.ts");
      const { gh, repo } = await github(io);
      const reviewed = await findReviewedCommit(gh, repo, sha);
      outputs(io, { commit: reviewed.commit, pr: reviewed.pr, reason: reviewed.reason });
      return 0;
    }
    case "find-plan": {
      const { values } = parse(rest, { stack: { type: "string" }, commit: { type: "string" }, workflow: { type: "string" } });
      const stack = required(values, "stack");
      const commit = typeof values["commit"] === "string" ? values["commit"] : "";
      if (commit === "") {
        outputs(io, { found: false, "run-id": null, name: "", reason: "there is no reviewed commit" });
        return 0;
      }
      if (!SHA.test(commit)) throw new UsageError(`--commit ${commit} is not a 40-character commit SHA.`);
      const { findPlanArtifact } = await import("./github.ts");
      const { gh, repo } = await github(io);
      const found = await findPlanArtifact(gh, repo, stack, commit, typeof values["workflow"] === "string" ? values["workflow"] : undefined);
      outputs(io, { found: found.found, "run-id": found.runId, name: found.name, reason: found.reason });
      return 0;
    }
    case "drift-issues": {
      const { values } = parse(rest, { results: { type: "string" }, stacks: { type: "string" }, "run-url": { type: "string" } });
      const dir = resolve(io.cwd, required(values, "results"));
      const expected = typeof values["stacks"] === "string" ? expectedStacks(values["stacks"]) : [];
      const results = readDriftResults(dir, expected);
      const { syncDriftIssues } = await import("./github.ts");
      const { gh, repo } = await github(io);
      const done = await syncDriftIssues(gh, repo, results, typeof values["run-url"] === "string" ? values["run-url"] : "(run URL unknown)");
      for (const d of done) io.stdout.write(`${d.stack}: ${d.action}${d.issue === null ? "" : ` #${d.issue}`}\n`);
      const failed = done.filter((d) => d.action === "failed");
      if (failed.length > 0) io.stderr.write(`drift-issues: plan failed for ${failed.map((d) => d.stack).join(", ")}; see their detect jobs.\n`);
      return failed.length === 0 ? 0 : 1;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

/**
 * Drift results, one directory per stack holding `stack` (the name), `exitcode` (of
 * `terraform plan -refresh-only -detailed-exitcode`), `plan.txt` and, when the plan ran,
 * `plan.json` (`terraform show -json` of it). A refresh-only plan leaves pending configuration
 * changes out; exit 2 still comes with changed outputs, so a stack has drifted only when the
 * plan's `resource_drift` lists a resource. Exit 2 without a readable plan.json, any other exit
 * code, or a missing result is an error for that stack, never a silent pass.
 */
export function readDriftResults(dir: string, expected: readonly string[] = []): DriftResult[] {
  const results: DriftResult[] = [];
  const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()) : [];
  if (entries.length === 0 && expected.length === 0) {
    throw new UsageError(`Drift results directory ${dir} holds no stack results; download the drift-* artifacts into it.`);
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const base = join(dir, entry.name);
    const stackFile = join(base, "stack");
    const stack = existsSync(stackFile) ? readFileSync(stackFile, "utf8").trim() : entry.name.replace(/^drift-/, "");
    const codeFile = join(base, "exitcode");
    const code = existsSync(codeFile) ? readFileSync(codeFile, "utf8").trim() : "";
    const planFile = join(base, "plan.txt");
    const details = existsSync(planFile) ? readFileSync(planFile, "utf8") : "";
    if (code === "0") {
      results.push({ stack, status: "clean", details });
    } else if (code === "2") {
      const drift = resourceDrift(join(base, "plan.json"));
      if (typeof drift === "string") results.push({ stack, status: "error", details: `${drift}\n\n${details}` });
      else results.push({ stack, status: drift.length > 0 ? "drifted" : "clean", details, drifted: drift });
    } else {
      results.push({ stack, status: "error", details: code === "" ? `no exit code recorded: the job stopped before the plan ran.\n\n${details}` : `terraform plan exited ${code}.\n\n${details}` });
    }
  }
  const seen = new Set(results.map((r) => r.stack));
  for (const stack of expected) {
    if (!seen.has(stack)) results.push({ stack, status: "error", details: "no result was downloaded for this stack: its detect job stopped before uploading one." });
  }
  return results;
}

/**
 * "address (actions)" of every entry of a plan JSON's `resource_drift` whose actions are not
 * no-op, or a sentence saying why the file cannot be read.
 */
function resourceDrift(file: string): string[] | string {
  if (!existsSync(file)) return `${file} is missing: exit 2 without the plan's JSON cannot tell drift from changed outputs.`;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return `${file} is not JSON (${(error as Error).message}).`;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return `${file} is not a plan JSON object.`;
  const drift = (data as { resource_drift?: unknown }).resource_drift ?? [];
  if (!Array.isArray(drift)) return `${file}: resource_drift is not a list.`;
  const out: string[] = [];
  for (const entry of drift as { address?: unknown; change?: { actions?: unknown } }[]) {
    const actions = Array.isArray(entry?.change?.actions) ? (entry.change.actions as unknown[]).map(String) : ["unknown"];
    if (actions.length > 0 && actions.every((a) => a === "no-op")) continue;
    out.push(`${typeof entry?.address === "string" ? entry.address : "(no address)"} (${actions.join(", ")})`);
  }
  return out;
}

/** Stack names from the prepare job's `stacks` output (a JSON list of matrix entries). */
function expectedStacks(json: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new UsageError(`--stacks is not JSON; pass the prepare job's stacks output.`);
  }
  if (!Array.isArray(data) || data.some((e) => typeof (e as { stack?: unknown } | null)?.stack !== "string")) {
    throw new UsageError(`--stacks is not a list of {"stack": ...} entries; pass the prepare job's stacks output.`);
  }
  return (data as { stack: string }[]).map((e) => e.stack);
}

/** Runs one command line; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await run(command, rest, io);
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    io.stderr.write(`workflows: error: ${message}\n`);
    return 2;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}
