/**
 * Runs the Rego tests with `opa test`: the _test.rego files beside the rules plus the shared
 * JSON case files (assembled into data.cases). Prints coverage, rule and test counts and
 * writes reports/policies/opa-test.json ({passed, failed, coverage}).
 *
 *   node policies/scripts/test-rego.ts                 # all tests, with coverage
 *   node policies/scripts/test-rego.ts --run s3 -v     # extra args go to `opa test`
 *   node policies/scripts/test-rego.ts --threshold 90  # fail below 90 % line coverage
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { casesData, loadCaseFiles } from "./cases.ts";
import { POLICIES_DIR, REGO_DIR, ROOT_DIR, ScriptError, isMain, opa, opaAsync, runMain } from "./opa.ts";
import { readCatalog } from "./catalog.ts";

interface OpaTestResult {
  package: string;
  name: string;
  fail?: boolean;
  error?: unknown;
  skip?: boolean;
  sub_results?: Record<string, { name: string; fail?: boolean; error?: unknown }>;
}

interface CoverageReport {
  coverage?: number;
  files?: Record<string, { coverage?: number; not_covered?: { start: { row: number }; end: { row: number } }[] }>;
}

export interface OpaTestSummary {
  passed: number;
  failed: number;
  /** Line coverage of rego/ in percent (0 when tests failed). */
  coverage: number;
  rules: number;
  tests: number;
  /** Cases in the shared case files (all run inside the domains' test_cases tests). */
  cases: number;
}

/** Counts passing and failing tests; each sub-test (case) counts as one test. */
export function countResults(results: OpaTestResult[]): { passed: number; failed: number; failures: string[] } {
  let passed = 0;
  let failed = 0;
  const failures: string[] = [];
  for (const r of results) {
    if (r.skip) continue;
    const subs = Object.values(r.sub_results ?? {});
    if (subs.length === 0) {
      if (r.fail || r.error) {
        failed++;
        failures.push(`${r.package}.${r.name}`);
      } else passed++;
      continue;
    }
    for (const s of subs) {
      if (s.fail || s.error) {
        failed++;
        failures.push(`${r.package}.${r.name}[${s.name}]`);
      } else passed++;
    }
  }
  return { passed, failed, failures };
}

function parseArgs(argv: string[]): { threshold: number; passThrough: string[] } {
  const passThrough: string[] = [];
  let threshold = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--threshold") {
      threshold = Number(argv[++i]);
      if (!Number.isFinite(threshold)) throw new ScriptError("--threshold needs a number between 0 and 100.");
    } else passThrough.push(a);
  }
  return { threshold, passThrough };
}

async function main(): Promise<void> {
  const { threshold, passThrough } = parseArgs(process.argv.slice(2));
  const files = loadCaseFiles();
  const tmp = mkdtempSync(join(tmpdir(), "baseplate-opa-test-"));
  try {
    const dataFile = join(tmp, "cases.json");
    writeFileSync(dataFile, JSON.stringify(casesData(files)));
    // Each domain runs all its cases in one test, so the per-test timeout is generous.
    const base = ["test", REGO_DIR, dataFile, "--timeout", "300s", ...passThrough];

    // Results and coverage in parallel: each run evaluates every case once.
    const [run, cov] = await Promise.all([opaAsync([...base, "--format", "json"]), opaAsync([...base, "--coverage", "--format", "json"])]);
    let results: OpaTestResult[];
    try {
      results = JSON.parse(run.stdout) as OpaTestResult[];
    } catch {
      throw new ScriptError(`'opa test' did not produce JSON results (exit ${run.status}):\n${(run.stderr || run.stdout).trim()}`);
    }
    const counts = countResults(results);
    if (counts.failed > 0) {
      // Re-run with the default reporter: failing cases print their differences.
      const verbose = opa(base, { allowFailure: true });
      process.stdout.write(verbose.stdout);
      process.stderr.write(verbose.stderr);
    }

    let coverage = 0;
    if (counts.failed === 0) {
      let report: CoverageReport;
      try {
        report = JSON.parse(cov.stdout) as CoverageReport;
      } catch {
        throw new ScriptError(`'opa test --coverage' did not produce a JSON report:\n${(cov.stderr || cov.stdout).trim()}`);
      }
      coverage = Math.round((report.coverage ?? 0) * 100) / 100;
      for (const [file, f] of Object.entries(report.files ?? {})) {
        if ((f.coverage ?? 100) >= 100 || file.endsWith("_test.rego")) continue;
        const lines = [...new Set((f.not_covered ?? []).map((n) => (n.start.row === n.end.row ? `${n.start.row}` : `${n.start.row}-${n.end.row}`)))];
        console.log(`  not covered: ${relative(POLICIES_DIR, file)} (${Math.round((f.coverage ?? 0) * 10) / 10}%): lines ${lines.join(", ")}`);
      }
    }

    const rules = readCatalog().rules.length;
    const caseCount = files.reduce((n, f) => n + f.cases.length, 0);
    const summary: OpaTestSummary = { passed: counts.passed, failed: counts.failed, coverage, rules, tests: counts.passed + counts.failed, cases: caseCount };
    const reportDir = join(ROOT_DIR, "reports", "policies");
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(join(reportDir, "opa-test.json"), `${JSON.stringify(summary, null, 2)}\n`);

    console.log(
      `opa test: ${summary.passed} passed, ${summary.failed} failed (${summary.tests} tests, ${caseCount} cases in ${files.length} files); ` +
        `${rules} rules; coverage ${coverage}%`,
    );
    if (counts.failed > 0) {
      throw new ScriptError(`${counts.failed} Rego test(s) failed:\n  ${counts.failures.join("\n  ")}`);
    }
    if (coverage < threshold) {
      throw new ScriptError(`Rego line coverage ${coverage}% is below the required ${threshold}%; add cases for the lines listed above.`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) runMain(main);
