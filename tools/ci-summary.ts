/**
 * Sums the results of every suite under reports/ and prints one closing line
 * "N passed, N failed". Exits 1 when a suite failed, reported nothing, or an expected
 * report is missing (a suite that did not run is a failure, not a pass).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const reports = join(root, "reports");

/** Projects whose test target must have produced a report. */
const expected = ["modules", "policies", "stacks", "env-dev", "env-stage", "env-prod", "cli", "workflows", "generators", "hostile"];

interface Counts {
  passed: number;
  failed: number;
}
const suites = new Map<string, Counts>();
const problems: string[] = [];

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${file}: unreadable report (${(e as Error).message})`);
    return undefined;
  }
}

if (existsSync(reports)) {
  for (const dir of readdirSync(reports, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(reports, dir.name))) {
      const file = join(reports, dir.name, f);
      const data = readJson(file) as Record<string, unknown> | undefined;
      if (data === undefined) continue;
      const label = `${dir.name}/${f.replace(/\.json$/, "")}`;
      if (typeof data.numPassedTests === "number" && typeof data.numFailedTests === "number") {
        suites.set(label, { passed: data.numPassedTests, failed: data.numFailedTests });
      } else if (typeof data.passed === "number" && typeof data.failed === "number") {
        suites.set(label, { passed: data.passed, failed: data.failed });
      } else {
        problems.push(`${file}: not a recognised test report`);
      }
    }
  }
}
for (const project of expected) {
  if (![...suites.keys()].some((k) => k.startsWith(`${project}/`))) {
    problems.push(`reports/${project}: no test report (the suite did not run or crashed before reporting)`);
  }
}

let passed = 0;
let failed = 0;
for (const [label, c] of [...suites.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${label.padEnd(28)} ${String(c.passed).padStart(5)} passed ${String(c.failed).padStart(4)} failed`);
  passed += c.passed;
  failed += c.failed;
}
for (const p of problems) console.log(`  problem: ${p}`);
failed += problems.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
