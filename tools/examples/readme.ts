/**
 * Regenerates the samples in the root README ("How a change reaches production"): the PR comment
 * `baseplate check --format markdown` writes for the example estate, and the review
 * `baseplate review --format markdown` writes for an example plan of payments-api-prod. Nothing in
 * those blocks is typed by hand.
 *
 *   node tools/examples/readme.ts           # rewrite the blocks in README.md
 *   node tools/examples/readme.ts --check   # exit 1 when README.md is out of date
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main, type Io } from "../cli/src/index.ts";
import { planFromSynth } from "./plan-from-synth.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const README = join(ROOT, "README.md");
/** A fixed evaluation time keeps the samples reproducible. */
const NOW = "2026-11-25T00:00:00Z";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: { ...process.env, NO_COLOR: "1" },
    cwd: ROOT,
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** The bundle hash changes with every rule edit; the samples show it shortened and masked. */
export function maskVolatile(text: string): string {
  return text.replace(/\b(sha256:)?[0-9a-f]{12,64}\b/g, (m, prefix: string | undefined) => `${prefix ?? ""}${"x".repeat(12)}`);
}

export async function samples(): Promise<{ check: string; review: string }> {
  const dir = mkdtempSync(join(tmpdir(), "baseplate-readme-"));
  try {
    const out = join(dir, "cdktf.out");
    const synth = await cli(["synth", "--out", out]);
    if (synth.code !== 0) throw new Error(`baseplate synth failed:\n${synth.err}`);
    const check = await cli(["check", "--synth-dir", out, "--now", NOW, "--format", "markdown"]);
    if (check.code > 1) throw new Error(`baseplate check failed:\n${check.err}`);
    const stack = "payments-api-prod";
    const plan = planFromSynth(JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8")) as never);
    const planFile = join(dir, `${stack}.plan.json`);
    writeFileSync(planFile, JSON.stringify(plan));
    const review = await cli(["review", planFile, "--stack", stack, "--now", NOW, "--format", "markdown"]);
    if (review.code !== 0 && review.code !== 3) throw new Error(`baseplate review failed:\n${review.err}`);
    return { check: maskVolatile(check.out.trim()), review: maskVolatile(review.out.trim()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces the text between `<!-- sample:NAME:start -->` and `<!-- sample:NAME:end -->`. */
export function fill(readme: string, name: string, body: string): string {
  const start = `<!-- sample:${name}:start -->`;
  const end = `<!-- sample:${name}:end -->`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} block`);
  const fence = "`".repeat(4);
  return `${readme.slice(0, i + start.length)}\n${fence}markdown\n${body}\n${fence}\n${readme.slice(j)}`;
}

export async function render(readme: string): Promise<string> {
  const s = await samples();
  return fill(fill(readme, "check", s.check), "review", s.review);
}

if (import.meta.main) {
  const current = readFileSync(README, "utf8");
  const next = await render(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("README.md samples are out of date: run node tools/examples/readme.ts");
      process.exit(1);
    }
    console.log("README.md samples are up to date");
  } else {
    writeFileSync(README, next);
    console.log("README.md samples regenerated");
  }
}
