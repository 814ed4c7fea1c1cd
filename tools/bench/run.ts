/**
 * Baseplate's performance benchmark: one command that measures, on this machine, in one run,
 *
 *   a. synthesis of the example estate in process (`baseplate synth`) vs `cdktf synth`;
 *   b. the gate (`baseplate check`) vs `opa eval` and conftest on the same normalized inputs with
 *      the same Rego rules (10k resources);
 *   c. the gate vs Checkov 3.3.x on the same synthesized JSON and plan JSON (10k resources), for
 *      the checks both have (tools/bench/overlap.ts);
 *   d. the gate at 1k, 10k and 50k generated resources: wall time, peak memory, and the split
 *      between loading (read+parse), normalizing and evaluating;
 *
 * then prints a table and writes docs/performance.md (with the agreement report of agreement.ts).
 * Peers that cannot be installed are skipped and the table says so.
 *
 *   node tools/bench/run.ts [--quick] [--runs N] [--only synth,gate,checkov,scale,agreement] [--no-write]
 *
 * Environment: BENCH_RUNS (default 7; 50k runs default to 1, BENCH_RUNS_50K), BENCH_WORK (work dir).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadInputs, normalize } from "../cli/src/index.ts";
import { agreementReport } from "./agreement.ts";
import { writeEstate } from "./generate.ts";
import { fmtMb, fmtMs, fmtRatio, measure, measurePair, MeasureError, stats, type Command, type Measured, type Paired, type Stats } from "./measure.ts";
import { CHECKOV_CHECKS } from "./overlap.ts";
import type { PhaseTimes } from "./phases.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
// The pinned tools (opa) live in .tools/bin, which npm scripts do not put on PATH.
process.env["PATH"] = `${join(ROOT, ".tools", "bin")}${delimiter}${process.env["PATH"] ?? ""}`;
const CLI = join(ROOT, "tools", "cli", "bin", "baseplate.js");
const NODE = process.execPath;
const NOW = "2026-11-25T00:00:00Z";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean" },
    runs: { type: "string" },
    only: { type: "string" },
    "no-write": { type: "boolean" },
  },
});
const quick = opts.quick === true;
const RUNS = Number(opts.runs ?? process.env["BENCH_RUNS"] ?? (quick ? 1 : 7));
const RUNS_50K = Number(process.env["BENCH_RUNS_50K"] ?? 1);
const only = new Set((opts.only ?? "synth,gate,checkov,scale,agreement").split(","));

function log(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

// --- environment ------------------------------------------------------------------------------
function firstLine(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) return null;
  return `${r.stdout}${r.stderr}`.split("\n").find((l) => l.trim() !== "")?.trim() ?? null;
}

function peers(): { conftest: string | null; checkov: string | null } {
  log("installing or finding conftest and Checkov (cached after the first run)");
  const r = spawnSync("bash", [join(ROOT, "tools", "bench", "install-peers.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const found: Record<string, string> = {};
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /^(conftest|checkov)=(.+)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) found[m[1]] = m[2];
  }
  return { conftest: found["conftest"] ?? null, checkov: found["checkov"] ?? null };
}

/**
 * A `node` that can run the cdktf CLI: its native node-pty module is built for one Node ABI, so
 * each candidate must load it (`cdktf --version` alone does not).
 */
function cdktfNode(): string | null {
  const pty = join(ROOT, "node_modules", "@cdktf", "node-pty-prebuilt-multiarch");
  const candidates = [NODE, ...(process.env["PATH"] ?? "").split(delimiter).map((d) => join(d, "node")), "/usr/bin/node", "/usr/local/bin/node"];
  for (const node of [...new Set(candidates)].filter((n) => existsSync(n))) {
    const r = spawnSync(node, ["-e", `require(${JSON.stringify(pty)})`], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return node;
  }
  return null;
}

function cdktfEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_CDKTF_TELEMETRY: "true", CI: "1", FORCE_COLOR: "0" };
}

// --- results ----------------------------------------------------------------------------------
interface Row {
  section: string;
  what: string;
  input: string;
  baseplate: string;
  peer: string;
  ratio: string;
  note: string;
}

const rows: Row[] = [];
const notes: string[] = [];
const targets: { target: string; measured: string; met: boolean | null }[] = [];
const sections: string[] = [];

function pairRow(section: string, what: string, input: string, p: Paired, note = ""): void {
  rows.push({ section, what, input, baseplate: fmtMs(p.a.wall), peer: fmtMs(p.b.wall), ratio: fmtRatio(p.ratio), note });
}

function skipRow(section: string, what: string, input: string, base: Measured | null, reason: string): void {
  rows.push({ section, what, input, baseplate: base === null ? "—" : fmtMs(base.wall), peer: "skipped", ratio: "—", note: reason });
}

function tryPair(label: string, a: Command, b: Command, runs: number, warmup = 1): Paired | string {
  try {
    log(`measuring ${label} (${runs} paired runs)`);
    return measurePair(a, b, runs, warmup);
  } catch (thrown) {
    if (thrown instanceof MeasureError) return thrown.message;
    throw thrown;
  }
}

// --- work directory -----------------------------------------------------------------------------
const work = process.env["BENCH_WORK"] ?? mkdtempSync(join(tmpdir(), "baseplate-bench-"));
mkdirSync(work, { recursive: true });
log(`work directory ${work}`);

function gate(label: string, args: string[]): Command {
  return { label, cmd: NODE, args: [CLI, "check", ...args, "--no-waivers", "--now", NOW, "--format", `json=${join(work, "gate-report.json")}`], cwd: ROOT, okCodes: [0, 1] };
}

function estate(size: number, plan: boolean): string {
  const dir = join(work, `estate-${size}`);
  if (!existsSync(join(dir, "manifest.json")) || (plan && !existsSync(join(dir, "plans")))) {
    log(`generating ${size} resources${plan ? " with plans" : ""} in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    writeEstate(dir, size, { plan });
  }
  return dir;
}

/** Normalized policy inputs of a synth directory, one JSON file per stack (written once). */
function normalizedInputs(synthDir: string): string {
  const out = join(work, `inputs-${synthDir.split("/").pop() ?? "x"}`);
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    for (const input of loadInputs([], ROOT, synthDir)) {
      const normalized = normalize(input, { now: NOW, stack: null, environment: {} });
      writeFileSync(join(out, `${normalized.stack}.json`), JSON.stringify(normalized));
    }
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

// --- machine --------------------------------------------------------------------------------------
const cpuList = cpus();
const machine = {
  cores: cpuList.length,
  cpu: cpuList[0]?.model.trim() ?? "unknown",
  memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  node: process.version,
  opa: firstLine("opa", ["version"])?.replace(/^Version:\s*/, "") ?? "not found",
  os: `${process.platform} ${firstLine("uname", ["-r"]) ?? ""}`.trim(),
};

if (!existsSync(join(ROOT, "policies", "build", "policy.wasm"))) {
  log("building the policy bundle (node policies/scripts/build.ts)");
  execFileSync(NODE, [join(ROOT, "policies", "scripts", "build.ts")], { cwd: ROOT, stdio: "inherit" });
}
const peer = only.has("gate") || only.has("checkov") || only.has("agreement") ? peers() : { conftest: null, checkov: null };
const versions = {
  conftest: peer.conftest === null ? "not installed" : `${/\/v(\d+\.\d+\.\d+)\//.exec(peer.conftest)?.[1] ?? "?"} (built with go install; ${firstLine(peer.conftest, ["--version"]) === null ? "?" : spawnSync(peer.conftest, ["--version"], { encoding: "utf8" }).stdout.split("\n").find((l) => l.startsWith("OPA"))?.trim() ?? "?"})`,
  checkov: peer.checkov === null ? "not installed" : (firstLine(peer.checkov, ["--version"]) ?? "?"),
};

// --- a. synthesis -------------------------------------------------------------------------------
if (only.has("synth")) {
  const cdktf = join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
  const ours: Command = { label: "baseplate synth", cmd: NODE, args: [CLI, "synth", "--out", join(work, "synth-baseplate")], cwd: ROOT };
  const node = existsSync(cdktf) ? cdktfNode() : null;
  if (node === null) {
    const base = measure(ours, RUNS);
    skipRow("a", "synth, whole example estate", "9 stacks", base, "cdktf CLI could not start with any node on PATH (native node-pty module)");
    targets.push({ target: "in-process synth ≥ 5x faster than cdktf synth", measured: "cdktf synth could not run", met: null });
  } else {
    const theirs: Command = { label: "cdktf synth", cmd: node, args: [cdktf, "synth", "--output", join(work, "synth-cdktf")], cwd: ROOT, env: cdktfEnv() };
    const p = tryPair("synth", ours, theirs, RUNS);
    if (typeof p === "string") skipRow("a", "synth, whole example estate", "9 stacks", null, p);
    else {
      const same = "both build the same app with the same start-up measures (load hooks, deferred token traces; modules/README.md), so the difference is the cdktf CLI's own work";
      pairRow("a", "`baseplate synth` vs `cdktf synth`", "example estate (9 stacks)", p, node === NODE ? same : `${same}; cdktf CLI run with ${node} ${firstLine(node, ["--version"]) ?? ""} (the Node its node-pty module was built for), the app on Node 24 (cdktf.json)`);
      targets.push({ target: "in-process synth ≥ 5x faster than `cdktf synth`", measured: fmtRatio(p.ratio), met: p.ratio.median >= 5 });
    }
  }
}

// --- b. gate vs opa eval / conftest ---------------------------------------------------------------
const gateOn10k: { synth?: Measured; plan?: Measured } = {};
if (only.has("gate")) {
  const dir = estate(10_000, true);
  const inputs = files(normalizedInputs(dir));
  const ours = gate("baseplate check (10k synth)", ["--synth-dir", dir]);
  const script = inputs.map((f) => `opa eval --ignore '*_test.rego' -d policies/rego -i '${f}' --format json data.baseplate.findings >/dev/null || exit 1`).join("\n");
  const opa: Command = { label: "opa eval", cmd: "sh", args: ["-c", script], cwd: ROOT };
  const p = tryPair("gate vs opa eval", ours, opa, RUNS);
  if (typeof p === "string") skipRow("b", "gate vs `opa eval`", "10k resources", null, p);
  else {
    gateOn10k.synth = p.a;
    pairRow("b", "gate vs `opa eval` (one process per stack)", `10k resources, ${inputs.length} stacks`, p, "opa eval gets the normalized inputs; the gate reads cdk.tf.json and normalizes too");
  }
  if (peer.conftest === null) {
    skipRow("b", "gate vs conftest", "10k resources", null, "conftest could not be installed (see tools/bench/install-peers.sh)");
    targets.push({ target: "gate ≥ 5x faster than conftest (10k)", measured: "conftest not installed", met: null });
  } else {
    const conftest: Command = {
      label: "conftest test",
      cmd: peer.conftest,
      args: ["test", "--no-color", "--ignore", ".*_test.rego", "--policy", "policies/rego", "--policy", "tools/bench/conftest", "--namespace", "main", "--output", "json", ...inputs],
      cwd: ROOT,
      okCodes: [0, 1],
    };
    const c = tryPair("gate vs conftest", ours, conftest, RUNS);
    if (typeof c === "string") {
      skipRow("b", "gate vs conftest", "10k resources", null, c);
      targets.push({ target: "gate ≥ 5x faster than conftest (10k)", measured: "conftest failed", met: null });
    } else {
      pairRow("b", "gate vs `conftest test`", `10k resources, ${inputs.length} stacks`, c, "conftest gets the normalized inputs; tools/bench/conftest/adapter.rego turns data.baseplate.findings into conftest failures");
      targets.push({ target: "gate ≥ 5x faster than conftest (10k)", measured: fmtRatio(c.ratio), met: c.ratio.median >= 5 });
    }
  }
}

// --- c. gate vs Checkov ---------------------------------------------------------------------------
if (only.has("checkov")) {
  const dir = estate(10_000, true);
  if (peer.checkov === null) {
    skipRow("c", "gate vs Checkov", "10k resources", null, "Checkov 3.3.x could not be installed (python3 -m venv + pip)");
    targets.push({ target: "gate ≥ 20x faster than Checkov (10k)", measured: "Checkov not installed", met: null });
  } else {
    const checks = ["--check", CHECKOV_CHECKS.join(",")];
    const common = ["--quiet", "--compact", "--output", "json", "--skip-download", ...checks];
    const env = { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false", LOG_LEVEL: "ERROR" };
    const synth: Command = { label: "checkov terraform_json", cmd: peer.checkov, args: ["--directory", join(dir, "stacks"), "--framework", "terraform_json", ...common], cwd: work, env, okCodes: [0, 1] };
    const plan: Command = { label: "checkov terraform_plan", cmd: peer.checkov, args: ["--directory", join(dir, "plans"), "--framework", "terraform_plan", "--repo-root-for-plan-enrichment", join(dir, "plans"), ...common], cwd: work, env, okCodes: [0, 1] };
    // Checkov takes minutes on 10k resources: fewer runs, and no warm-up (it keeps no state between runs).
    const runs = Number(process.env["BENCH_RUNS_CHECKOV"] ?? Math.min(RUNS, 3));
    const s = tryPair("gate vs Checkov (synth)", gate("baseplate check (10k synth)", ["--synth-dir", dir]), synth, runs, 0);
    if (typeof s === "string") skipRow("c", "gate vs Checkov, synthesized JSON", "10k resources", null, s);
    else {
      gateOn10k.synth ??= s.a;
      pairRow("c", "gate vs Checkov (`--framework terraform_json`, cdk.tf.json)", "10k resources", s, `Checkov limited to the ${CHECKOV_CHECKS.length} overlapping checks; the gate runs all its rules`);
      targets.push({ target: "gate ≥ 20x faster than Checkov (10k synth)", measured: fmtRatio(s.ratio), met: s.ratio.median >= 20 });
    }
    const p = tryPair("gate vs Checkov (plan)", gate("baseplate check (10k plans)", [join(dir, "plans")]), plan, runs, 0);
    if (typeof p === "string") skipRow("c", "gate vs Checkov, plan JSON", "10k resources", null, p);
    else {
      gateOn10k.plan = p.a;
      pairRow("c", "gate vs Checkov (`--framework terraform_plan`)", "10k resources", p, "same checks");
      targets.push({ target: "gate ≥ 20x faster than Checkov (10k plan)", measured: fmtRatio(p.ratio), met: p.ratio.median >= 20 });
    }
  }
}

// --- d. scaling -----------------------------------------------------------------------------------
interface ScaleRow {
  size: number;
  cli: Measured;
  phases: Record<string, Stats>;
}
const scale: ScaleRow[] = [];
let profile: { total_ms: number; packages: Record<string, number> } | null = null;
if (only.has("scale")) {
  const sizes = quick ? [1000, 10_000] : [1000, 10_000, 50_000];
  for (const size of sizes) {
    const dir = estate(size, size === 10_000);
    const runs = size >= 50_000 ? RUNS_50K : RUNS;
    log(`measuring the gate on ${size} resources (${runs} runs)`);
    const cli = measure(gate(`baseplate check (${size})`, ["--synth-dir", dir]), runs, size >= 50_000 ? 0 : 1);
    const samples: PhaseTimes[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(NODE, [join(ROOT, "tools", "bench", "phases.ts"), "--synth-dir", dir], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      samples.push(JSON.parse(out.trim().split("\n").pop() ?? "{}") as PhaseTimes);
    }
    const keys = ["bundle_ms", "load_ms", "normalize_ms", "serialize_ms", "evaluate_ms", "findings_ms", "total_ms"] as const;
    const phases: Record<string, Stats> = {};
    for (const k of keys) phases[k] = stats(samples.map((s) => s[k]));
    phases["resources"] = stats(samples.map((s) => s.resources));
    phases["findings"] = stats(samples.map((s) => s.findings));
    scale.push({ size, cli, phases });
    if (size === 10_000) {
      gateOn10k.synth ??= cli;
      targets.push({ target: "`baseplate check` on 10k resources < 1 s wall (whole process)", measured: fmtMs(cli.wall), met: cli.wall.median < 1000 });
      if (cli.wall.median >= 1000) {
        log("profiling evaluation by rule package (the 10k target was missed)");
        const { profileRules } = await import("./profile-rules.ts");
        profile = await profileRules([], dir);
      }
    }
    if (size === 50_000) {
      targets.push({ target: "peak memory < 500 MB at 50k resources", measured: fmtMb(cli.rss), met: cli.rss === null ? null : cli.rss.median < 500 });
    }
  }
}

// --- agreement --------------------------------------------------------------------------------------
let agreement = "";
if (only.has("agreement")) {
  log("comparing verdicts with Checkov (agreement.ts)");
  agreement = await agreementReport({ checkov: peer.checkov, work });
}

// --- output -----------------------------------------------------------------------------------------
function table(header: string[], body: string[][]): string {
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const r of body) lines.push(`| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  return lines.join("\n");
}

const comparison = table(
  ["", "comparison", "input", "Baseplate (median, min–max)", "peer (median, min–max)", "peer / Baseplate", "note"],
  rows.map((r) => [r.section, r.what, r.input, r.baseplate, r.peer, r.ratio, r.note]),
);
const scaleTable = table(
  ["resources", "stacks", "`baseplate check` wall", "peak RSS", "bundle load", "read+parse", "normalize", "serialize", "evaluate (wasm)", "findings", "findings (count)"],
  scale.map((s) => {
    const p = (k: string): string => (s.phases[k] === undefined ? "—" : fmtMs(s.phases[k]));
    return [
      String(s.phases["resources"]?.median ?? s.size),
      String(Math.ceil(s.size / 1000)),
      fmtMs(s.cli.wall),
      fmtMb(s.cli.rss),
      p("bundle_ms"),
      p("load_ms"),
      p("normalize_ms"),
      p("serialize_ms"),
      p("evaluate_ms"),
      p("findings_ms"),
      String(s.phases["findings"]?.median ?? "—"),
    ];
  }),
);
const targetTable = table(
  ["target", "measured (median)", "met"],
  targets.map((t) => [t.target, t.measured, t.met === null ? "not measured" : t.met ? "met" : "**not met**"]),
);
if (profile !== null) {
  const sorted = Object.entries(profile.packages).sort((a, b) => b[1] - a[1]);
  sections.push(
    [
      "## Where the evaluation time goes (10k resources)",
      "",
      "Each rule package compiled as its own entrypoint (`tools/bench/profile-rules.ts`) and evaluated alone on the",
      "10 normalized stacks; each figure includes parsing the input inside WebAssembly once.",
      "",
      table(["rule package", "evaluation (10 stacks)"], sorted.map(([p, ms]) => [p, `${ms} ms`])),
    ].join("\n"),
  );
}

const doc = [
  "# Performance",
  "",
  "Generated by `npm run bench` (`tools/bench/run.ts`; see tools/bench/README.md). Do not edit by hand:",
  "re-run the benchmark. Every figure is measured on the machine below in the same run; times are wall",
  `clock of the whole process (start-up included) unless a column says otherwise; medians of ${RUNS} runs`,
  "(50k: " + String(RUNS_50K) + "; Checkov: " + String(process.env["BENCH_RUNS_CHECKOV"] ?? Math.min(RUNS, 3)) + ", no warm-up) with min–max. Ratios are taken pair by pair (Baseplate and peer run in turn).",
  "",
  "## Machine",
  "",
  table(
    ["", ""],
    [
      ["CPU", `${machine.cpu} (${machine.cores} cores)`],
      ["memory", machine.memory],
      ["OS", machine.os],
      ["Node", machine.node],
      ["OPA", machine.opa],
      ["conftest", versions.conftest],
      ["Checkov", versions.checkov],
    ],
  ),
  "",
  "## Targets",
  "",
  targetTable,
  "",
  "## Against the peers",
  "",
  comparison,
  "",
  "## Scaling",
  "",
  "Generated stacks (`tools/bench/generate.ts`, 1000 resources each): buckets with versioning, encryption,",
  "public access block and ownership controls, KMS keys, security groups with ingress rules, roles with",
  "inline policies, database instances, log groups and alarms, with a fixed share of violations. The phase",
  "columns come from `tools/bench/phases.ts` (the CLI's library functions, in one process).",
  "",
  scaleTable,
  "",
  ...sections.flatMap((s) => [s, ""]),
  ...(notes.length > 0 ? ["## Notes", "", ...notes.map((n) => `- ${n}`), ""] : []),
  agreement,
].join("\n");

process.stdout.write(`\n${comparison}\n\n${scaleTable}\n\n${targetTable}\n`);
if (opts["no-write"] !== true) {
  writeFileSync(join(ROOT, "docs", "performance.md"), `${doc.trimEnd()}\n`);
  log("wrote docs/performance.md");
}
