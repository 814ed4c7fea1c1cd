/**
 * Agreement between the gate and Checkov on the checks both have (overlap.ts): runs both on the
 * example estate (synthesized in process) and on a non-compliant fixture of raw provider resources
 * (fixtures/raw-noncompliant), each as synthesized JSON and as plan JSON, and lists every resource
 * where the two verdicts differ, with the explanation known for it.
 *
 *   node tools/bench/agreement.ts [--checkov PATH]    (prints Markdown; run.ts embeds it)
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadInputs, loadPolicyBundle, normalize, runCheck } from "../cli/src/index.ts";
import type { NormalizedInput } from "../cli/src/normalize.ts";
import { toPlan } from "./generate.ts";
import { CHECKOV_CHECKS, OVERLAP, type OverlapPair } from "./overlap.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "tools", "cli", "bin", "baseplate.js");
const NOW = "2026-11-25T00:00:00Z";

type Verdict = "fail" | "pass" | "not evaluated";

export interface Disagreement {
  input: string;
  source: "synth" | "plan";
  pair: OverlapPair;
  resource: string;
  baseplate: Verdict;
  checkov: Verdict;
  explanation: string;
}

interface CheckovResult {
  check_id: string;
  resource: string;
  file_abs_path?: string;
}

/** Checkov's passed and failed checks of one run (its JSON is one report or a list of them). */
function runCheckov(checkov: string, dir: string, framework: "terraform_json" | "terraform_plan"): { passed: CheckovResult[]; failed: CheckovResult[] } {
  const args = ["--directory", dir, "--framework", framework, "--output", "json", "--skip-download", "--check", CHECKOV_CHECKS.join(",")];
  if (framework === "terraform_plan") args.push("--repo-root-for-plan-enrichment", dir);
  const run = spawnSync(checkov, args, {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE", LOG_LEVEL: "ERROR" },
    timeout: 600_000,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`checkov ${framework} on ${dir} exited ${String(run.status)}: ${run.stderr.slice(-500)}`);
  const parsed = JSON.parse(run.stdout) as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as { results?: { passed_checks?: CheckovResult[]; failed_checks?: CheckovResult[] } }[];
  const passed: CheckovResult[] = [];
  const failed: CheckovResult[] = [];
  for (const r of reports) {
    passed.push(...(r.results?.passed_checks ?? []));
    failed.push(...(r.results?.failed_checks ?? []));
  }
  return { passed, failed };
}

interface Known {
  type: string;
  references: string[];
}

/** Resources of every stack by `stack address`, and by `stack name` (Checkov's `resource.<name>` form). */
interface Index {
  byKey: Map<string, Known>;
  byName: Map<string, string>;
}

function indexOf(normalized: NormalizedInput[]): Index {
  const byKey = new Map<string, Known>();
  const byName = new Map<string, string>();
  for (const n of normalized) {
    for (const list of Object.values(n.resources)) {
      for (const r of list) {
        byKey.set(`${n.stack} ${r.address}`, { type: r.type, references: r.references });
        byName.set(`${n.stack} ${r.name}`, r.address);
      }
    }
  }
  return { byKey, byName };
}

/**
 * The stack of a Checkov result from its file (`stacks/<stack>/cdk.tf.json` or `<stack>.plan.json`),
 * and the resource address: `terraform_json` names resources `resource.<name>` for attribute checks
 * and `<type>.<name>` for graph checks; `terraform_plan` uses the address.
 */
function checkovKey(c: CheckovResult, index: Index): string | null {
  const file = c.file_abs_path ?? "";
  const stack = /([^/]+)\.plan\.json$/.exec(file)?.[1] ?? /stacks\/([^/]+)\/cdk\.tf\.json$/.exec(file)?.[1];
  if (stack === undefined) return null;
  const resource = c.resource.replace(/^module\.[^.]+\./, "");
  if (resource.startsWith("resource.")) {
    const address = index.byName.get(`${stack} ${resource.slice("resource.".length)}`);
    return address === undefined ? null : `${stack} ${address}`;
  }
  return `${stack} ${resource}`;
}

/** The scope resources a `stack address` key stands for: itself, or the scope resources it references. */
function scopeOf(key: string, pair: OverlapPair, index: Index): string[] {
  const r = index.byKey.get(key);
  if (r === undefined) return [];
  if (r.type === pair.scope) return [key];
  const stack = key.slice(0, key.indexOf(" "));
  return r.references.map((ref) => `${stack} ${ref}`).filter((k) => index.byKey.get(k)?.type === pair.scope);
}

const EXPLAIN: Record<string, (d: Omit<Disagreement, "explanation">) => string> = {
  "S3-001": (d) =>
    d.checkov === "fail" && d.baseplate === "pass"
      ? "Checkov CKV2_AWS_6 fails a bucket whose public access block leaves a flag off; Baseplate passes S3-001 because the block exists and reports the missing flags on the block itself (S3-002, which fails for the same bucket)."
      : "",
  "S3-006": (d) =>
    d.checkov === "fail" && d.baseplate === "pass"
      ? "Baseplate requires access logging only for production buckets and exempts the bucket that receives access logs (it cannot log to itself); Checkov CKV_AWS_18 asks every bucket."
      : "",
  "LOG-001": (d) =>
    d.baseplate === "fail" && d.checkov === "pass"
      ? "Checkov CKV_AWS_66 only asks that a retention is set; Baseplate also requires at least 30 days (a retention of 7 days passes Checkov)."
      : "",
  "NET-002": (d) =>
    d.baseplate === "fail" && d.checkov === "pass"
      ? "Baseplate treats every administration and database port reachable from the world (including a 0-65535 range and IPv6 ::/0 on aws_vpc_security_group_ingress_rule) as a violation; Checkov's CKV_AWS_24/25 look at port 22/3389 in the group's inline ingress blocks and aws_security_group_rule only."
      : "",
  "KMS-001": (d) =>
    d.baseplate === "fail" && d.checkov === "pass" ? "Rotation not set: Baseplate treats a missing enable_key_rotation as off (the provider default is false)." : "",
  "S3-003": (d) =>
    d.baseplate === "pass" && d.checkov === "fail"
      ? "By design: S3 server access logs can only be delivered to a bucket encrypted with SSE-S3, so Baseplate's S3-003 accepts AES256 on the access-log target bucket (and only there); Checkov CKV_AWS_145 requires KMS on every bucket. (On the plan JSON of the same stacks Checkov did not fail this bucket for CKV_AWS_145.)"
      : d.baseplate === "fail" && d.checkov !== "fail"
        ? "Baseplate requires an aws_s3_bucket_server_side_encryption_configuration with aws:kms; Checkov CKV_AWS_145 did not fail this bucket."
        : "",
};

function explain(d: Omit<Disagreement, "explanation">): string {
  const specific = EXPLAIN[d.pair.rule]?.(d) ?? "";
  if (specific !== "") return specific;
  if (d.checkov === "not evaluated") return `Checkov did not evaluate this resource for ${d.pair.checkov.join("/")} (the attribute is a reference or unknown in the ${d.source} input, or the check does not cover this resource shape).`;
  return d.pair.note ?? "unexplained: investigate (a suspected defect on one side)";
}

function compare(
  input: string,
  source: "synth" | "plan",
  normalized: NormalizedInput[],
  findings: { rule: string; stack: string; address: string }[],
  checkov: { passed: CheckovResult[]; failed: CheckovResult[] },
): Disagreement[] {
  const index = indexOf(normalized);
  const out: Disagreement[] = [];
  const keysOf = (results: CheckovResult[], pair: OverlapPair): Set<string> =>
    new Set(
      results
        .filter((c) => pair.checkov.includes(c.check_id))
        .map((c) => checkovKey(c, index))
        .filter((k): k is string => k !== null)
        .flatMap((k) => scopeOf(k, pair, index)),
    );
  for (const pair of OVERLAP) {
    const scope = [...index.byKey.entries()].filter(([, r]) => r.type === pair.scope).map(([k]) => k);
    if (scope.length === 0) continue;
    const bpFail = new Set(findings.filter((f) => f.rule === pair.rule).flatMap((f) => scopeOf(`${f.stack} ${f.address}`, pair, index)));
    const ckFail = keysOf(checkov.failed, pair);
    const ckSeen = new Set([...ckFail, ...keysOf(checkov.passed, pair)]);
    for (const key of scope.sort()) {
      const baseplate: Verdict = bpFail.has(key) ? "fail" : "pass";
      const ck: Verdict = ckFail.has(key) ? "fail" : ckSeen.has(key) ? "pass" : "not evaluated";
      if (baseplate === ck || (baseplate === "pass" && ck === "not evaluated")) continue;
      const d = { input, source, pair, resource: key.replace(" ", ": "), baseplate, checkov: ck };
      out.push({ ...d, explanation: explain(d) });
    }
  }
  return out;
}

export interface AgreementOptions {
  checkov: string | null;
  work?: string;
}

/** Runs the comparison; returns the Markdown section for docs/performance.md. */
export async function agreementReport(options: AgreementOptions): Promise<string> {
  const head = ["## Agreement with Checkov", "", "Produced by `tools/bench/agreement.ts`. Pairs compared (Baseplate rule → Checkov checks):", ""];
  head.push(...OVERLAP.map((p) => `- ${p.rule} → ${p.checkov.join(", ")}: ${p.what} (compared on ${p.scope})`), "");
  if (options.checkov === null) return [...head, "Checkov could not be installed on this machine, so the agreement check was skipped.", ""].join("\n");
  const work = mkdtempSync(join(options.work ?? tmpdir(), "agreement-"));
  // Inputs: the example estate (synthesized in process) and the raw non-compliant fixture.
  const synthDir = join(work, "estate");
  const synth = spawnSync(process.execPath, [CLI, "synth", "--out", synthDir], { cwd: ROOT, encoding: "utf8" });
  if (synth.status !== 0) throw new Error(`baseplate synth failed: ${synth.stderr}`);
  const fixtureDir = join(work, "fixture", "stacks", "raw-noncompliant");
  mkdirSync(fixtureDir, { recursive: true });
  cpSync(join(ROOT, "tools", "bench", "fixtures", "raw-noncompliant", "cdk.tf.json"), join(fixtureDir, "cdk.tf.json"));

  const bundle = await loadPolicyBundle();
  const all: Disagreement[] = [];
  const counts: string[] = [];
  for (const [name, dir] of [["example estate", synthDir], ["raw non-compliant fixture", join(work, "fixture")]] as const) {
    const loaded = loadInputs([join(dir, "stacks")], ROOT);
    const normalized = loaded.map((i) => normalize(i, { now: NOW, stack: null, environment: {} }));
    const { report } = await runCheck({ paths: [join(dir, "stacks")], cwd: ROOT, now: NOW, bundle });
    const findings = report.stacks.flatMap((s) => s.findings);
    // Checkov reads cdktf output with its terraform_json framework (its terraform framework skips *.tf.json).
    const synthResult = runCheckov(options.checkov, join(dir, "stacks"), "terraform_json");
    const d1 = compare(name, "synth", normalized, findings, synthResult);
    // The same stacks as plans.
    const planDir = join(dir, "plans");
    mkdirSync(planDir, { recursive: true });
    for (const input of loaded) {
      const stack = normalize(input, { now: NOW, stack: null, environment: {} }).stack;
      writeFileSync(join(planDir, `${stack}.plan.json`), JSON.stringify(toPlan({ name: stack, doc: input.doc, resources: 0 })));
    }
    const { report: planReport } = await runCheck({ paths: [planDir], cwd: ROOT, now: NOW, bundle });
    const planNormalized = loadInputs([planDir], ROOT).map((i) => normalize(i, { now: NOW, stack: null, environment: {} }));
    const planResult = runCheckov(options.checkov, planDir, "terraform_plan");
    const d2 = compare(name, "plan", planNormalized, planReport.stacks.flatMap((s) => s.findings), planResult);
    const scoped = (n: NormalizedInput[]): number => OVERLAP.reduce((sum, p) => sum + n.reduce((s, x) => s + (x.resources[p.scope]?.length ?? 0), 0), 0);
    counts.push(`- ${name}: ${scoped(normalized)} (resource, check) pairs compared per source; ${d1.length} disagreements on synthesized JSON, ${d2.length} on plan JSON.`);
    all.push(...d1, ...d2);
  }
  const lines = [...head, ...counts, ""];
  if (all.length === 0) lines.push("No disagreements.");
  else {
    lines.push("| input | source | rule | Checkov | resource | Baseplate | Checkov | why |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const d of all) {
      lines.push(`| ${d.input} | ${d.source} | ${d.pair.rule} | ${d.pair.checkov.join(", ")} | \`${d.resource}\` | ${d.baseplate} | ${d.checkov} | ${d.explanation.replace(/\|/g, "\\|")} |`);
    }
  }
  lines.push("", "Resources Baseplate passes and Checkov did not evaluate are not listed.", "");
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { checkov: { type: "string" } } });
  const fallback = join(process.env["HOME"] ?? "", ".cache", "baseplate", "venv-checkov", "bin", "checkov");
  const checkov = values.checkov ?? (existsSync(fallback) ? fallback : null);
  process.stdout.write(await agreementReport({ checkov }));
}
