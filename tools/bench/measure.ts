/**
 * Whole-process measurement: wall time from the parent's monotonic clock around each child, peak
 * memory from `/usr/bin/time -v` when present (else not reported), and paired A/B runs whose
 * ratio is taken pair by pair so a drifting machine does not skew it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";

export interface Command {
  label: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that count as a successful run (the gate exits 1 on findings). */
  okCodes?: number[];
}

export interface Sample {
  wallMs: number;
  rssMb: number | null;
  code: number | null;
}

export interface Stats {
  min: number;
  median: number;
  max: number;
  runs: number;
}

const TIME = "/usr/bin/time";
const HAS_TIME = existsSync(TIME);

export class MeasureError extends Error {}

/** Runs a command once; throws when it exits with a code outside okCodes. */
export function runOnce(c: Command, timeoutMs = 900_000): Sample {
  const viaTime = HAS_TIME;
  const [cmd, args] = viaTime ? [TIME, ["-v", c.cmd, ...c.args]] : [c.cmd, c.args];
  const start = performance.now();
  const run = spawnSync(cmd, args, {
    cwd: c.cwd,
    env: c.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
  });
  const wallMs = performance.now() - start;
  const ok = c.okCodes ?? [0];
  if (run.error !== undefined || run.status === null || !ok.includes(run.status)) {
    const tail = `${run.stderr ?? ""}`.split("\n").filter((l) => l.trim() !== "" && !/^\s+(Command being timed|User time|System time|Percent|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)/.test(l)).slice(-5).join(" | ");
    throw new MeasureError(`${c.label} failed (exit ${String(run.status)}${run.error ? `, ${run.error.message}` : ""}): ${tail}`);
  }
  let rssMb: number | null = null;
  if (viaTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? "");
    if (m?.[1] !== undefined) rssMb = Number(m[1]) / 1024;
  }
  return { wallMs, rssMb, code: run.status };
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { min: sorted[0] ?? 0, median, max: sorted[sorted.length - 1] ?? 0, runs: sorted.length };
}

export interface Measured {
  wall: Stats;
  rss: Stats | null;
}

export interface Paired {
  a: Measured;
  b: Measured;
  /** b / a, pair by pair: how many times faster A is than B. */
  ratio: Stats;
}

function summarise(samples: Sample[]): Measured {
  const rss = samples.map((s) => s.rssMb).filter((r): r is number => r !== null);
  return { wall: stats(samples.map((s) => s.wallMs)), rss: rss.length === samples.length ? stats(rss) : null };
}

/** Runs `c` warmup times unmeasured, then `runs` times. */
export function measure(c: Command, runs: number, warmup = 1): Measured {
  for (let i = 0; i < warmup; i++) runOnce(c);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(runOnce(c));
  return summarise(samples);
}

/** A and B in turn (A B A B ...) after a warm-up of each; the ratio B/A per pair. */
export function measurePair(a: Command, b: Command, runs: number, warmup = 1): Paired {
  for (let i = 0; i < warmup; i++) {
    runOnce(a);
    runOnce(b);
  }
  const as: Sample[] = [];
  const bs: Sample[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sa = runOnce(a);
    const sb = runOnce(b);
    as.push(sa);
    bs.push(sb);
    ratios.push(sb.wallMs / sa.wallMs);
  }
  return { a: summarise(as), b: summarise(bs), ratio: stats(ratios) };
}

export function fmtMs(s: Stats): string {
  const f = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
  return s.runs > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

export function fmtMb(s: Stats | null): string {
  if (s === null) return "n/a";
  return s.runs > 1 ? `${Math.round(s.median)} MB (${Math.round(s.min)}–${Math.round(s.max)})` : `${Math.round(s.median)} MB`;
}

export function fmtRatio(s: Stats): string {
  const f = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
  return s.runs > 1 ? `${f(s.median)}x (${f(s.min)}–${f(s.max)})` : `${f(s.median)}x`;
}
