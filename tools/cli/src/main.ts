import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CheckOptions, InputOptions } from "./check.ts";
import type * as GateModule from "./gate.ts";
import { CliError, describeThrown } from "./errors.ts";
import { safeLines } from "./reporters/safe-text.ts";
import { DEFAULT_MAX_INPUT_MB, DEFAULT_SYNTH_DIR } from "./input/index.ts";
import type { EnvironmentOverrides } from "@baseplate/policies/input";
import type { OutputSpec, TextFormat } from "./reporters/index.ts";
import { DEFAULT_APP, runSynth } from "./synth.ts";
import { EXIT } from "./types.ts";

/** Where the CLI reads and writes; injectable so tests run commands in process. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const DEFAULT_WAIVERS = "governance/waivers.json";

const USAGE = `Usage: baseplate <command> [options]

Commands:
  synth [stack...]      synthesize stacks to cdktf.out/ (in process)
  check [path...]       evaluate synthesized stacks or plans against the policy bundle
  review [path...]      plan review: risk-ranked changes and required approvals
  report [path...]      evidence and inventory reports

Run 'baseplate <command> --help' for the options of a command.

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 usage or input error,
3 the change needs senior approval (review).
`;

const CHECK_USAGE = `Usage: baseplate check [path...] [options]

Paths are cdk.tf.json files, plan JSON files (terraform show -json <planfile>), or directories
(every cdk.tf.json, *.plan.json and *.tfplan.json below them). With no path: every stack under
cdktf.out/ (fails if one listed in cdktf.out/manifest.json has no cdk.tf.json).

Options:
  --format NAME[=FILE]   terminal | json | markdown | sarif | junit; repeatable. Without =FILE the
                         report goes to standard output (one format at most). Default: terminal.
  --waivers FILE         waivers file (default: governance/waivers.json when it exists)
  --no-waivers           apply no waivers
  --now TIME             evaluation time, RFC 3339 (default: now, UTC)
  --stack NAME           stack name for a single input (plans have no stack name)
  --environment NAME     environment name (overrides what the input says)
  --tier TIER            dev | stage | prod
  --account ID           AWS account id
  --region REGION        AWS region
  --synth-dir DIR        synth output read when no path is given (default: cdktf.out)
  --max-input-mb N       largest input file read, in MiB (default: ${DEFAULT_MAX_INPUT_MB}); FIFOs and
                         devices are never read
  --bundle DIR           policy bundle directory (default: policies/build)
  -h, --help             show this help
`;

const REVIEW_USAGE = `Usage: baseplate review [plan...] [options]

Risk-ranked summary of what Terraform plans change and who must approve them. Paths are plan
JSON files (terraform show -json <planfile>) or directories holding *.plan.json / *.tfplan.json.

Options:
  --format NAME[=FILE]   terminal | markdown | json; repeatable (default: terminal)
  --decision-rights FILE approver roles and requirements (default: governance/decision-rights.json)
  --stack, --environment, --tier, --account, --region, --now, --waivers, --no-waivers, --bundle,
  --max-input-mb         as for check
  -h, --help             show this help

Exit codes: 0 no senior approval needed, 3 a senior must approve, 2 usage or input error.
`;

const REPORT_USAGE = `Usage: baseplate report [path...] [options]

Inventory of the estate for FinOps and audit evidence: resources by Owner, CostCenter and
Environment, mandatory-tag coverage, certificates and their expiry alarms, data stores and their
backup coverage. Inputs as for check (default: every stack under cdktf.out/).

Options:
  --format NAME[=FILE]   terminal | markdown | json; repeatable (default: terminal)
  --stack, --environment, --tier, --account, --region, --now, --synth-dir, --max-input-mb
                         as for check
  -h, --help             show this help
`;

const SYNTH_USAGE = `Usage: baseplate synth [stack...] [options]

Options:
  --env NAME             only stacks of this environment
  --changed-since REV    only when files the stacks are built from changed since git REV
  --out DIR              output directory (default: cdktf.out)
  --list                 list the stacks and exit
  --app MODULE           stacks app module (default: @baseplate/stacks)
  -h, --help             show this help
`;

function parse(args: string[], options: ParseArgsConfig["options"], usage: string): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (thrown) {
    throw new CliError(`${describeThrown(thrown).replace(/\.$/, "")}.\n\n${usage}`);
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Rejects what Date would silently roll over: 2026-02-30, 24:00, minute 60. */
function validCalendarFields(text: string): boolean {
  const [year, month, day, hour, minute, second] = [0, 5, 8, 11, 14, 17].map((at) => Number(text.slice(at, at === 0 ? 4 : at + 2)));
  if (year === undefined || month === undefined || day === undefined) return false;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return (
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 60
  );
}

/** An evaluation time: `--now` validated, else the current time; always UTC to the second. */
export function resolveNow(given: string | undefined, clock: () => Date = () => new Date()): string {
  let date: Date;
  if (given === undefined) date = clock();
  else {
    date = new Date(given);
    if (!RFC3339.test(given) || Number.isNaN(date.getTime()) || !validCalendarFields(given)) {
      throw new CliError(`--now ${given} is not an RFC 3339 time; write it like 2026-11-24T00:00:00Z.`);
    }
  }
  return `${date.toISOString().slice(0, 19)}Z`;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function writeOutput(io: Io, file: string, text: string): void {
  const absolute = resolve(io.cwd, file);
  try {
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
  } catch (thrown) {
    throw new CliError(`Cannot write ${file} (${(thrown as NodeJS.ErrnoException).code ?? describeThrown(thrown)}); check the path and its permissions.`);
  }
}

const EVALUATION_OPTIONS = {
  format: { type: "string", multiple: true },
  waivers: { type: "string" },
  "no-waivers": { type: "boolean" },
  now: { type: "string" },
  stack: { type: "string" },
  environment: { type: "string" },
  tier: { type: "string" },
  account: { type: "string" },
  region: { type: "string" },
  "synth-dir": { type: "string" },
  "max-input-mb": { type: "string" },
  bundle: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** report reads inputs like check but evaluates nothing: no waivers, no bundle. */
const { waivers: _waivers, "no-waivers": _noWaivers, bundle: _bundle, ...REPORT_OPTIONS } = EVALUATION_OPTIONS;

type Values = ReturnType<typeof parseArgs>["values"];

type Gate = typeof GateModule;

/** The policy engine, normalizer and reporters, loaded only by the commands that use them. */
function loadGate(): Promise<Gate> {
  return import("./gate.ts");
}

/** --max-input-mb in bytes; undefined when not given. */
function maxInputBytes(values: Values): number | undefined {
  const given = str(values["max-input-mb"]);
  if (given === undefined) return undefined;
  const mb = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(mb) || mb < 1 || mb > 4096) {
    throw new CliError(`--max-input-mb ${given} is not a whole number of MiB between 1 and 4096; write it like --max-input-mb 512.`);
  }
  return mb * 1024 * 1024;
}

/** --environment, --tier, --account, --region. */
function environmentOverrides(values: Values, { tierOf }: Gate): EnvironmentOverrides {
  const environment: EnvironmentOverrides = {};
  const tierGiven = str(values["tier"]);
  if (tierGiven !== undefined) {
    const tier = tierOf(tierGiven);
    if (tier === null) throw new CliError(`--tier ${tierGiven} is not a tier; use dev, stage or prod.`);
    environment.tier = tier;
  }
  for (const key of ["environment", "account", "region"] as const) {
    const given = str(values[key]);
    if (given !== undefined) environment[key === "environment" ? "name" : key] = given;
  }
  return environment;
}

/** What to read: paths, time, stack and environment overrides, synth directory, size limit. */
function inputOptions(values: Values, positionals: string[], io: Io, gate: Gate): InputOptions {
  return {
    paths: positionals,
    cwd: io.cwd,
    now: resolveNow(str(values["now"])),
    stack: str(values["stack"]) ?? null,
    environment: environmentOverrides(values, gate),
    synthDir: str(values["synth-dir"]) ?? DEFAULT_SYNTH_DIR,
    maxInputBytes: maxInputBytes(values),
  };
}

/** The check runner's options: the inputs, --bundle, and the waivers file (--waivers, --no-waivers, or the default when it exists). */
function checkOptions(values: Values, positionals: string[], io: Io, gate: Gate): CheckOptions {
  const inputs = inputOptions(values, positionals, io, gate);
  const waiversGiven = str(values["waivers"]);
  if (waiversGiven !== undefined && values["no-waivers"] === true) {
    throw new CliError("--waivers and --no-waivers contradict each other; pass one of them.");
  }
  const waivers =
    values["no-waivers"] === true
      ? null
      : waiversGiven !== undefined
        ? resolve(io.cwd, waiversGiven)
        : existsSync(resolve(io.cwd, DEFAULT_WAIVERS))
          ? resolve(io.cwd, DEFAULT_WAIVERS)
          : null;
  const bundle = str(values["bundle"]);
  return bundle === undefined ? { ...inputs, waivers } : { ...inputs, waivers, bundle: resolve(io.cwd, bundle) };
}

async function emit(io: Io, specs: readonly OutputSpec[], renderOne: (spec: OutputSpec) => string | Promise<string>): Promise<boolean> {
  let wroteStdout = false;
  for (const spec of specs) {
    const text = await renderOne(spec);
    if (spec.file === null) {
      io.stdout.write(text);
      wroteStdout = true;
    } else {
      writeOutput(io, spec.file, text);
    }
  }
  return wroteStdout;
}

async function commandCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, EVALUATION_OPTIONS, CHECK_USAGE);
  if (values["help"] === true) {
    io.stdout.write(CHECK_USAGE);
    return EXIT.OK;
  }
  const gate = await loadGate();
  const { checkExitCode, parseOutputSpecs, render, runCheck, useColor } = gate;
  const specs = parseOutputSpecs(strings(values["format"]));
  const { report, catalog } = await runCheck(checkOptions(values, positionals, io, gate));
  const color = useColor(io.stdout, io.env);
  const wroteStdout = await emit(io, specs, (spec) => render(spec.format, report, { color: spec.file === null && color, catalog, root: io.cwd }));
  if (!wroteStdout) {
    const s = report.summary;
    io.stderr.write(
      `baseplate check: ${s.verdict.toUpperCase()} ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived in ${s.stacks} stacks; wrote ${specs.map((x) => x.file).join(", ")}\n`,
    );
  }
  return checkExitCode(report);
}

/** The text formats review and report write (check writes every format). */
const TEXT_FORMATS: ReadonlySet<string> = new Set<TextFormat>(["terminal", "markdown", "json"]);

/** The format of a spec textOutputSpecs() accepted. */
function textFormat(spec: OutputSpec): TextFormat {
  return spec.format as TextFormat;
}

/** --format specs of a command that writes only TEXT_FORMATS; others are a usage error. */
function textOutputSpecs(gate: Gate, values: Values, command: "review" | "report", hint: (format: string) => string = () => ""): OutputSpec[] {
  const specs = gate.parseOutputSpecs(strings(values["format"]));
  for (const spec of specs) {
    if (!TEXT_FORMATS.has(spec.format)) throw new CliError(`${command} writes terminal, markdown or json, not ${spec.format}${hint(spec.format)}.`);
  }
  return specs;
}

async function commandReview(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...EVALUATION_OPTIONS, "decision-rights": { type: "string" } },
    REVIEW_USAGE,
  );
  if (values["help"] === true) {
    io.stdout.write(REVIEW_USAGE);
    return EXIT.OK;
  }
  const gate = await loadGate();
  const specs = textOutputSpecs(gate, values, "review", (format) => `; use check for ${format}`);
  const { buildReview, loadDecisionRights, reviewExitCode } = await import("./review.ts");
  const rightsFile = str(values["decision-rights"]);
  const rights = rightsFile === undefined ? loadDecisionRights() : loadDecisionRights(resolve(io.cwd, rightsFile));
  const { report, inputs, catalog } = await gate.runCheck(checkOptions(values, positionals, io, gate));
  const review = buildReview(
    inputs.map((s) => s.input),
    report.stacks,
    rights,
    catalog,
  );
  await emit(io, specs, (spec) => gate.renderReview(textFormat(spec), review));
  return reviewExitCode(review);
}

async function commandReport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, REPORT_OPTIONS, REPORT_USAGE);
  if (values["help"] === true) {
    io.stdout.write(REPORT_USAGE);
    return EXIT.OK;
  }
  const gate = await loadGate();
  const specs = textOutputSpecs(gate, values, "report");
  const stacks = gate.normalizeInputs(inputOptions(values, positionals, io, gate));
  const { buildInventory } = await import("./report.ts");
  const inventory = buildInventory(stacks.map((s) => s.input));
  await emit(io, specs, (spec) => gate.renderInventory(textFormat(spec), inventory));
  return EXIT.OK;
}

async function commandSynth(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      env: { type: "string" },
      "changed-since": { type: "string" },
      out: { type: "string" },
      list: { type: "boolean" },
      app: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    SYNTH_USAGE,
  );
  if (values["help"] === true) {
    io.stdout.write(SYNTH_USAGE);
    return EXIT.OK;
  }
  return runSynth(
    {
      stacks: positionals,
      env: str(values["env"]) ?? null,
      changedSince: str(values["changed-since"]) ?? null,
      outdir: str(values["out"]) ?? DEFAULT_SYNTH_DIR,
      list: values["list"] === true,
      app: str(values["app"]) ?? DEFAULT_APP,
    },
    io,
  );
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Runs one command line; returns the exit code. Errors a person can act on go to stderr as one sentence. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "-h":
      case "--help":
        (command === undefined ? io.stderr : io.stdout).write(USAGE);
        return command === undefined ? EXIT.USAGE : EXIT.OK;
      case "--version":
      case "-v":
        io.stdout.write(`${version()}\n`);
        return EXIT.OK;
      case "check":
        return await commandCheck(rest, io);
      case "synth":
        return await commandSynth(rest, io);
      case "review":
        return await commandReview(rest, io);
      case "report":
        return await commandReport(rest, io);
      default:
        throw new CliError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (thrown) {
    if (thrown instanceof CliError) {
      io.stderr.write(safeLines(`baseplate: error: ${thrown.message}\n`));
      return thrown.exitCode;
    }
    io.stderr.write(
      safeLines(`baseplate: internal error: ${describeThrown(thrown)}; this is a defect in baseplate, please report it with the command line that caused it.\n`),
    );
    if (io.env["BASEPLATE_DEBUG"] !== undefined && thrown instanceof Error && thrown.stack !== undefined) {
      io.stderr.write(`${thrown.stack}\n`);
    }
    return EXIT.USAGE;
  }
}

/** The process entry point used by bin/baseplate.js. */
export async function run(): Promise<void> {
  // A closed pipe (`baseplate check | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw error;
    });
  }
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
