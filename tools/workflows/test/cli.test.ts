import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main, readDriftResults, type Io } from "../src/cli.ts";
import { FakeGitHub } from "./fake-github.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const fixtures = join(import.meta.dirname, "fixtures");
const tmp = mkdtempSync(join(tmpdir(), "workflows-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(env: Record<string, string> = {}, gh?: FakeGitHub): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    cwd: tmp,
    ...(gh === undefined ? {} : { github: () => gh }),
    out: () => out,
    err: () => err,
  };
}
const GH_ENV = { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/baseplate" };

describe("cli", () => {
  it("invariants: exit 0 on the repository, 1 with the findings on a violating fixture", async () => {
    const ok = io();
    expect(await main(["invariants", repoRoot], ok)).toBe(0);
    expect(ok.err()).toMatch(/PASS/);
    const bad = io();
    expect(await main(["invariants", join(fixtures, "prod-apply-in-stage-environment")], bad)).toBe(1);
    expect(bad.out()).toContain('.github/workflows/prod-apply-in-stage-environment.yml: job "prod-services": W008');
  });

  it("matrix: key=value outputs of the synthesized stacks", async () => {
    writeFileSync(join(tmp, "stacks.tsv"), "platform-dev\tdev\tdev\npayments-api-prod\tprod\tprod\nnetwork-prod\tprod\tprod\n");
    for (const s of ["payments-api-prod", "platform-dev"]) {
      mkdirSync(join(tmp, "cdktf.out", "stacks", s), { recursive: true });
      writeFileSync(join(tmp, "cdktf.out", "stacks", s, "cdk.tf.json"), "{}");
    }
    const x = io();
    expect(await main(["matrix", "--list", "stacks.tsv"], x)).toBe(0);
    const lines = Object.fromEntries(x.out().trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(lines["count"]).toBe("2");
    expect((JSON.parse(lines["stacks"] ?? "") as { stack: string }[]).map((e) => e.stack)).toEqual(["platform-dev", "payments-api-prod"]);
    expect(lines["prod_network"]).toBe("[]");
    const all = io();
    expect(await main(["matrix", "--list", "stacks.tsv", "--all"], all)).toBe(0);
    expect(all.out()).toContain("count=3\n");
  });

  it("matrix: a missing list is an input error naming the file", async () => {
    const x = io();
    expect(await main(["matrix", "--list", "nope.tsv"], x)).toBe(2);
    expect(x.err()).toMatch(/Cannot read stack list .*nope\.tsv \(ENOENT\)/);
    writeFileSync(join(tmp, "empty.tsv"), "");
    const empty = io();
    expect(await main(["matrix", "--list", "empty.tsv", "--all"], empty)).toBe(2);
    expect(empty.err()).toMatch(/stack list .*empty\.tsv is empty/);
  });

  it("compare-plans: exit 0 for the same plan, 1 with a Markdown table when they differ", async () => {
    const reviewed = join(fixtures, "plans", "reviewed.json");
    const same = io();
    expect(await main(["compare-plans", reviewed, reviewed, "--stack", "payments-api-prod"], same)).toBe(0);
    const fresh = JSON.parse(readFileSync(reviewed, "utf8")) as { resource_changes: unknown[] };
    fresh.resource_changes.pop();
    fresh.resource_changes.pop();
    writeFileSync(join(tmp, "fresh.json"), JSON.stringify(fresh));
    const differ = io();
    expect(await main(["compare-plans", reviewed, "fresh.json", "--stack", "payments-api-prod"], differ)).toBe(1);
    expect(differ.out()).toContain("| `aws_iam_role.task_9F8E` | only in the reviewed plan (update) |");
    const missing = io();
    expect(await main(["compare-plans", reviewed, "absent.json", "--stack", "s"], missing)).toBe(2);
  });

  it("pr-comment: creates then updates the marked comment", async () => {
    const gh = new FakeGitHub();
    writeFileSync(join(tmp, "comment.md"), "<!-- baseplate:check -->\n## Baseplate check\n");
    expect(await main(["pr-comment", "--pr", "12", "--body-file", "comment.md"], io(GH_ENV, gh))).toBe(0);
    expect(await main(["pr-comment", "--pr", "12", "--body-file", "comment.md"], io(GH_ENV, gh))).toBe(0);
    expect(gh.comments.get(12)).toHaveLength(1);
    expect(gh.calls.filter((c) => c.startsWith("PATCH"))).toHaveLength(1);
  });

  it("GitHub commands fail closed without GITHUB_TOKEN or with a bad argument", async () => {
    const x = io({ GITHUB_REPOSITORY: "acme/baseplate" }, new FakeGitHub());
    expect(await main(["pr-comment", "--pr", "12", "--body-file", "comment.md"], x)).toBe(2);
    expect(x.err()).toMatch(/GITHUB_TOKEN is not set/);
    const y = io(GH_ENV, new FakeGitHub());
    expect(await main(["reviewed-commit", "--sha", "main"], y)).toBe(2);
    expect(y.err()).toMatch(/--sha main is not a 40-character commit SHA/);
  });

  it("find-plan: no reviewed commit means not found, without calling GitHub", async () => {
    const gh = new FakeGitHub();
    const x = io(GH_ENV, gh);
    expect(await main(["find-plan", "--stack", "payments-api-prod", "--commit", ""], x)).toBe(0);
    expect(x.out()).toContain("found=false\n");
    expect(gh.calls).toEqual([]);
  });

  it("drift-issues: reads per-stack results; a stack without an exit code fails the command", async () => {
    const results = join(tmp, "drift-results");
    const write = (dir: string, files: Record<string, string>) => {
      mkdirSync(join(results, dir), { recursive: true });
      for (const [f, t] of Object.entries(files)) writeFileSync(join(results, dir, f), t);
    };
    const drift = { resource_drift: [{ address: "aws_security_group.alb", change: { actions: ["update"] } }], resource_changes: [] };
    write("drift-payments-api-prod", { stack: "payments-api-prod\n", exitcode: "2\n", "plan.txt": "~ update in-place", "plan.json": JSON.stringify(drift) });
    write("drift-network-dev", { stack: "network-dev\n", exitcode: "0\n", "plan.txt": "" });
    write("drift-platform-stage", { stack: "platform-stage\n" });
    expect(readDriftResults(results).map((r) => [r.stack, r.status])).toEqual([
      ["network-dev", "clean"],
      ["payments-api-prod", "drifted"],
      ["platform-stage", "error"],
    ]);
    const gh = new FakeGitHub();
    const x = io(GH_ENV, gh);
    expect(await main(["drift-issues", "--results", "drift-results", "--run-url", "u"], x)).toBe(1);
    expect(x.out()).toMatch(/payments-api-prod: opened #\d+/);
    expect(x.out()).toMatch(/platform-stage: failed #\d+/);
    expect(x.err()).toMatch(/plan failed for platform-stage/);
    // a failed check opens an issue too
    expect(gh.issues.map((i) => i.title)).toEqual(["Drift: payments-api-prod", "Drift: platform-stage"]);
    expect(gh.issues[0]?.body).toContain("- `aws_security_group.alb (update)`");
    expect(gh.issues[1]?.body).toContain("The drift check of `platform-stage` failed");
    const empty = io(GH_ENV, gh);
    mkdirSync(join(tmp, "empty"), { recursive: true });
    expect(await main(["drift-issues", "--results", "empty"], empty)).toBe(2);
    expect(empty.err()).toMatch(/holds no stack results/);
  });

  it("drift-issues: a pending change (merged, not applied) opens no drift issue; resource_drift does", async () => {
    const results = join(tmp, "drift-pending");
    const write = (dir: string, files: Record<string, string>) => {
      mkdirSync(join(results, dir), { recursive: true });
      for (const [f, t] of Object.entries(files)) writeFileSync(join(results, dir, f), t);
    };
    // Exit 2 of a refresh-only plan with only an output changing (a merged change adds an output)
    // and the pending resource change visible in resource_changes: not drift.
    const pending = {
      resource_drift: [],
      resource_changes: [{ address: "aws_sqs_queue.events", change: { actions: ["create"] } }],
      output_changes: { queue_url: { actions: ["create"] } },
    };
    write("drift-ledger-prod", { stack: "ledger-prod\n", exitcode: "2\n", "plan.txt": "Changes to Outputs", "plan.json": JSON.stringify(pending) });
    // no-op entries in resource_drift are not drift either
    write("drift-ledger-stage", { stack: "ledger-stage\n", exitcode: "2\n", "plan.txt": "", "plan.json": JSON.stringify({ resource_drift: [{ address: "aws_s3_bucket.b", change: { actions: ["no-op"] } }] }) });
    const gh = new FakeGitHub();
    gh.issues.push({ number: 3, title: "Drift: ledger-stage", body: "old drift", state: "open", labels: ["drift"], comments: [] });
    const x = io(GH_ENV, gh);
    expect(await main(["drift-issues", "--results", "drift-pending", "--run-url", "u"], x)).toBe(0);
    expect(x.out()).toBe("ledger-prod: none\nledger-stage: closed #3\n");
    expect(gh.issues.filter((i) => i.state === "open")).toEqual([]);
    expect(gh.calls.filter((c) => c.startsWith("POST ") && c.endsWith("/issues"))).toEqual([]);

    // exit 2 without the plan's JSON cannot tell drift from outputs: a failed check, with an issue
    write("drift-ledger-prod", { stack: "ledger-prod\n", exitcode: "2\n", "plan.txt": "", "plan.json": "" });
    rmSync(join(results, "drift-ledger-prod", "plan.json"));
    const y = io(GH_ENV, gh);
    expect(await main(["drift-issues", "--results", "drift-pending", "--run-url", "u"], y)).toBe(1);
    expect(y.out()).toMatch(/ledger-prod: failed #\d+/);
    expect(gh.issues.find((i) => i.title === "Drift: ledger-prod")?.body).toContain("plan.json is missing");
  });

  it("drift-issues: an expected stack without any result is a failure, not a pass", async () => {
    const gh = new FakeGitHub();
    gh.issues.push({ number: 8, title: "Drift: ledger-prod", body: "old", state: "open", labels: ["drift"], comments: [] });
    const stacks = JSON.stringify([{ stack: "ledger-prod" }, { stack: "network-dev" }]);
    const x = io(GH_ENV, gh);
    expect(await main(["drift-issues", "--results", "nothing-downloaded", "--stacks", stacks], x)).toBe(1);
    expect(x.out()).toMatch(/^ledger-prod: failed #8\nnetwork-dev: failed #\d+\n$/);
    expect(gh.issues[0]?.state).toBe("open");
    expect(gh.issues[0]?.body).toContain("no result was downloaded for this stack");
    const bad = io(GH_ENV, gh);
    expect(await main(["drift-issues", "--results", "x", "--stacks", "[1]"], bad)).toBe(2);
    expect(bad.err()).toMatch(/--stacks is not a list/);
  });

  it("usage errors exit 2", async () => {
    expect(await main([], io())).toBe(2);
    const x = io();
    expect(await main(["frobnicate"], x)).toBe(2);
    expect(x.err()).toMatch(/Unknown command "frobnicate"/);
  });

  it("runs as a program (the workflows call it with node)", () => {
    const result = spawnSync(process.execPath, [join(repoRoot, "tools", "workflows", "src", "cli.ts"), "invariants", join(fixtures, "write-all")], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("W003");
  });
});
