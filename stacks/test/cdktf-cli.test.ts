import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, synthEstate, tempDir } from "./helpers.ts";

const CDKTF = join(REPO_ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const STACK = "network-dev";

/**
 * Runs `cdktf synth` (the cdktf CLI, which runs cdktf.json's `app`) for one stack. The CLI loads a
 * native module (node-pty) built for the Node that installed the dependencies; when that is not
 * this Node, the other `node` binaries on PATH are tried in turn.
 */
function cdktfSynth(outdir: string): { run: SpawnSyncReturns<string>; node: string } {
  const env = {
    ...process.env,
    BASEPLATE_STACKS: STACK,
    CHECKPOINT_DISABLE: "1",
    DISABLE_CDKTF_TELEMETRY: "1",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    CI: "1",
    FORCE_COLOR: "0",
  };
  const candidates = [process.execPath, ...(process.env["PATH"] ?? "").split(delimiter).map((d) => join(d, "node"))].filter(
    (n, i, all) => existsSync(n) && all.indexOf(n) === i,
  );
  let last: { run: SpawnSyncReturns<string>; node: string } | null = null;
  for (const node of candidates) {
    const run = spawnSync(node, [CDKTF, "synth", "--output", outdir], { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 50_000 });
    last = { run, node };
    if (!/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|ERR_REQUIRE_ESM/.test(`${run.stdout}${run.stderr}`)) return last;
  }
  if (last === null) throw new Error("no node binary found to run the cdktf CLI");
  return last;
}

describe("cdktf synth and baseplate synth", () => {
  it(`produce the same Terraform JSON for ${STACK}`, () => {
    const outdir = tempDir("cdktf");
    const { run, node } = cdktfSynth(outdir);
    expect(run.status, `cdktf synth with ${node} failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
    const cli = JSON.parse(readFileSync(join(outdir, "stacks", STACK, "cdk.tf.json"), "utf8")) as unknown;
    expect(existsSync(join(outdir, "stacks", "network-prod")), "BASEPLATE_STACKS limits the cdktf app to one stack").toBe(false);
    const inProcess = synthEstate({ stacks: [STACK] });
    expect(inProcess.stacks.map((s) => s.name)).toEqual([STACK]);
    expect(cli).toEqual(inProcess.stacks[0]!.json);
  });
});
