/**
 * Synth benchmark of the baseline constructs (not a test):
 *   node modules/bench/synth.ts [--runs 7] [--units 17] [--no-tsc] [--eager-traces]
 * Builds a stack of ~200 resources (one log bucket, then per unit a SecureBucket with its own key,
 * a ServiceRole and a read-write grant), synthesizes it to a temporary directory, and reports the
 * median of several runs; then the wall time of `tsc -p modules/tsconfig.json`. Token creation
 * traces are deferred as the stacks app does (`deferTokenTraces`); `--eager-traces` keeps cdktf's
 * default of formatting each at once, for comparison.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { App } from "cdktf";
import { BaselineStack, deferTokenTraces, LogBucket, SecureBucket, ServiceRole } from "../src/index.ts";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, units: { type: "string", default: "17" }, "no-tsc": { type: "boolean", default: false }, "eager-traces": { type: "boolean", default: false } },
});
const runs = Number(values.runs);
const units = Number(values.units);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(units) || units < 1) {
  console.error("bench/synth.ts: --runs and --units must be positive whole numbers, e.g. --runs 7 --units 16.");
  process.exit(2);
}

const eagerTraces = values["eager-traces"];
if (!eagerTraces) deferTokenTraces();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** CPU time (user + system, ms) of waited-for child processes, from /proc; null where unavailable. */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of /proc/<pid>/stat (cutime, cstime), counted from field 3 here; clock ticks of 10 ms.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function once(): { constructMs: number; synthMs: number; cpuMs: number; resources: number } {
  const outdir = mkdtempSync(join(tmpdir(), "baseplate-bench-"));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const app = new App({ outdir });
    const stack = new BaselineStack(app, "bench-prod", {
      environment: { org: "acme", name: "prod", tier: "prod", account: "123456789012", region: "eu-west-1", repository: "acme/infrastructure" },
      service: "bench",
      owner: "platform-team",
      costCenter: "CC-1000",
    });
    const logs = new LogBucket(stack, "access-logs");
    for (let i = 0; i < units; i++) {
      const bucket = new SecureBucket(stack, `bucket-${i}`, { name: `data-${i}`, accessLogs: { bucket: logs } });
      const role = new ServiceRole(stack, `role-${i}`, { name: `worker-${i}`, servicePrincipal: "ecs-tasks.amazonaws.com" });
      bucket.grantReadWrite(role);
    }
    const t1 = performance.now();
    app.synth();
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "bench-prod", "cdk.tf.json"), "utf8")) as { resource: Record<string, object> };
    const count = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return { constructMs: t1 - t0, synthMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, resources: count };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

once(); // warm-up: module loading and JIT
const results = Array.from({ length: runs }, once);
const total = median(results.map((r) => r.constructMs + r.synthMs));
console.log(
  `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(`token traces: ${eagerTraces ? "eager (cdktf's default)" : "deferred (deferTokenTraces, as the stacks app)"}`);
console.log(`stack: ${results[0]?.resources ?? 0} resources (${units} SecureBuckets with key, role and grant, 1 LogBucket)`);
console.log(`construct: median ${median(results.map((r) => r.constructMs)).toFixed(0)} ms`);
console.log(`synth (app.synth to disk): median ${median(results.map((r) => r.synthMs)).toFixed(0)} ms`);
console.log(`construct + synth: median ${total.toFixed(0)} ms wall, ${median(results.map((r) => r.cpuMs)).toFixed(0)} ms CPU, over ${runs} runs`);

if (!values["no-tsc"]) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const c = childrenCpuMs();
    const t = performance.now();
    const r = spawnSync("tsc", ["-p", "modules/tsconfig.json"], { cwd: root, stdio: "inherit" });
    if (r.error) {
      console.error(`bench/synth.ts: could not run tsc (${r.error.message}); put node_modules/.bin on PATH.`);
      process.exit(2);
    }
    times.push(performance.now() - t);
    const c2 = childrenCpuMs();
    if (c !== null && c2 !== null) cpuTimes.push(c2 - c);
  }
  const cpuText = cpuTimes.length === 3 ? `, ${(median(cpuTimes) / 1000).toFixed(1)} s CPU` : "";
  console.log(`tsc -p modules/tsconfig.json: median ${(median(times) / 1000).toFixed(1)} s wall${cpuText}, over 3 runs`);
}
