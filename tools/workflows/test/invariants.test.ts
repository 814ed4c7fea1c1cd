import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRepository, formatFinding, type Finding } from "../src/invariants.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const fixtures = join(import.meta.dirname, "fixtures");

/** Each fixture violates exactly one invariant; the checker must name file, job and problem. */
const cases: { fixture: string; rule: string; file: string; job: string | null; problem: RegExp }[] = [
  { fixture: "pull-request-target", rule: "W001", file: ".github/workflows/pull-request-target.yml", job: null, problem: /pull_request_target/ },
  { fixture: "job-without-permissions", rule: "W002", file: ".github/workflows/job-without-permissions.yml", job: "build", problem: /no permissions: block/ },
  { fixture: "top-level-write", rule: "W002", file: ".github/workflows/top-level-write.yml", job: null, problem: /pull-requests: write to every job/ },
  { fixture: "write-all", rule: "W003", file: ".github/workflows/write-all.yml", job: "build", problem: /write-all/ },
  { fixture: "unpinned-tag", rule: "W004", file: ".github/workflows/unpinned-tag.yml", job: "build", problem: /actions\/checkout@v4, which is not pinned by a full 40-character commit SHA/ },
  { fixture: "pin-without-version", rule: "W004", file: ".github/workflows/pin-without-version.yml", job: "build", problem: /without the version in a trailing comment/ },
  { fixture: "unpinned-in-local-action", rule: "W004", file: ".github/actions/setup/action.yml", job: null, problem: /actions\/setup-node@v7, which is not pinned/ },
  { fixture: "id-token-without-aws", rule: "W005", file: ".github/workflows/id-token-without-aws.yml", job: "build", problem: /id-token: write without a step using aws-actions\/configure-aws-credentials/ },
  { fixture: "pull-requests-write-without-comment", rule: "W005", file: ".github/workflows/pull-requests-write-without-comment.yml", job: "build", problem: /pull-requests: write without the PR comment step/ },
  { fixture: "contents-write", rule: "W005", file: ".github/workflows/contents-write.yml", job: "build", problem: /contents: write, which no job of this repository needs/ },
  { fixture: "static-aws-keys", rule: "W006", file: ".github/workflows/static-aws-keys.yml", job: "build", problem: /aws-access-key-id/ },
  { fixture: "aws-without-id-token", rule: "W006", file: ".github/workflows/aws-without-id-token.yml", job: "build", problem: /lacks permissions id-token: write/ },
  { fixture: "apply-without-environment", rule: "W007", file: ".github/workflows/apply-without-environment.yml", job: "prod-services", problem: /terraform apply without environment:/ },
  { fixture: "apply-without-concurrency", rule: "W007", file: ".github/workflows/apply-without-concurrency.yml", job: "prod-services", problem: /per-stack concurrency group/ },
  { fixture: "apply-cancel-in-progress", rule: "W007", file: ".github/workflows/apply-cancel-in-progress.yml", job: "prod-services", problem: /cancel-in-progress: false/ },
  { fixture: "apply-in-action-without-environment", rule: "W007", file: ".github/workflows/apply-in-action-without-environment.yml", job: "dev-services", problem: /terraform apply without environment:/ },
  { fixture: "prod-apply-in-stage-environment", rule: "W008", file: ".github/workflows/prod-apply-in-stage-environment.yml", job: "prod-services", problem: /applies to prod but runs in environment "stage"/ },
  { fixture: "untrusted-title-in-run", rule: "W009", file: ".github/workflows/untrusted-title-in-run.yml", job: "build", problem: /github\.event\.pull_request\.title into run:; pass it through env:/ },
  { fixture: "event-json-in-run", rule: "W009", file: ".github/workflows/event-json-in-run.yml", job: "build", problem: /interpolates github\.event into run:/ },
  { fixture: "untrusted-in-github-script", rule: "W009", file: ".github/workflows/untrusted-in-github-script.yml", job: "build", problem: /github\.event\.pull_request\.head\.ref into the github-script script/ },
  { fixture: "head-ref-in-run", rule: "W009", file: ".github/workflows/head-ref-in-run.yml", job: "build", problem: /github\.head_ref into run:/ },
  { fixture: "checkout-persists-credentials", rule: "W010", file: ".github/workflows/checkout-persists-credentials.yml", job: "build", problem: /persist-credentials: false/ },
  { fixture: "secret-reference", rule: "W011", file: ".github/workflows/secret-reference.yml", job: "build", problem: /secrets\.AWS_SECRET_ACCESS_KEY_PROD/ },
  { fixture: "apply-auto-approve", rule: "W012", file: ".github/workflows/apply-auto-approve.yml", job: "prod-services", problem: /apply only the reviewed plan file/ },
  { fixture: "cdktf-deploy", rule: "W012", file: ".github/workflows/cdktf-deploy.yml", job: "prod-services", problem: /runs "npx cdktf deploy payments-api-prod --auto-approve"; apply only the reviewed plan file/ },
  { fixture: "invalid-yaml", rule: "W000", file: ".github/workflows/invalid-yaml.yml", job: null, problem: /is not valid YAML/ },
  { fixture: "missing-local-action", rule: "W000", file: ".github/workflows/missing-local-action.yml", job: "build", problem: /\.\/\.github\/actions\/nowhere: .* has no action\.yml/ },
];

describe("the repository's workflows", () => {
  it("meet every invariant", () => {
    const findings = checkRepository(repoRoot);
    expect(findings.map(formatFinding)).toEqual([]);
  });

  it("include the PR, apply and drift workflows, so the pass above is not vacuous", () => {
    for (const name of ["pr.yml", "apply.yml", "drift.yml"]) {
      expect(readFileSync(join(repoRoot, ".github", "workflows", name), "utf8")).toMatch(/^jobs:/m);
    }
  });
});

describe("each invariant fails on a fixture that violates it", () => {
  it.each(cases)("$rule: $fixture", ({ fixture, rule, file, job, problem }) => {
    const findings = checkRepository(join(fixtures, fixture));
    expect(findings.length, findings.map(formatFinding).join("\n")).toBe(1);
    const [finding] = findings as [Finding];
    expect(finding).toMatchObject({ rule, file, job });
    expect(finding.message).toMatch(problem);
    const line = formatFinding(finding);
    expect(line).toContain(file);
    if (job !== null) expect(line).toContain(`job "${job}"`);
  });

  it("the compliant fixture (inline apply, composite apply, SARIF and comment jobs) passes", () => {
    expect(checkRepository(join(fixtures, "compliant")).map(formatFinding)).toEqual([]);
  });

  it("covers every rule the checker defines", () => {
    const source = readFileSync(join(import.meta.dirname, "..", "src", "invariants.ts"), "utf8");
    const defined = new Set([...source.matchAll(/rule: "(W\d{3})"/g)].map((m) => m[1]));
    expect(new Set(cases.map((c) => c.rule))).toEqual(defined);
  });
});

describe("YAML aliases", () => {
  const tmp = mkdtempSync(join(tmpdir(), "workflows-alias-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("cannot smuggle an unpinned action past the pin check", () => {
    cpSync(join(fixtures, "job-without-permissions"), tmp, { recursive: true });
    writeFileSync(
      join(tmp, ".github", "workflows", "job-without-permissions.yml"),
      [
        "name: alias",
        "on: pull_request",
        "permissions: {}",
        "x-step: &node",
        "  uses: actions/setup-node@v7",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-24.04",
        "    permissions: {}",
        "    steps:",
        "      - *node",
        "",
      ].join("\n"),
    );
    const findings = checkRepository(tmp).map(formatFinding);
    expect(findings).toContain(
      '.github/workflows/job-without-permissions.yml: job "build": W004 uses actions/setup-node@v7, which is not pinned by a full 40-character commit SHA; pin it as owner/repo@<sha> # vX.Y.Z.',
    );
  });
});

describe("mutations of the real workflows are caught", () => {
  const tmp = mkdtempSync(join(tmpdir(), "workflows-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function mutated(name: string, file: string, edit: (text: string) => string): Finding[] {
    const root = join(tmp, name);
    cpSync(join(repoRoot, ".github"), join(root, ".github"), { recursive: true });
    const target = join(root, file);
    const before = readFileSync(target, "utf8");
    const after = edit(before);
    expect(after, "the mutation must change the file").not.toBe(before);
    writeFileSync(target, after);
    return checkRepository(root);
  }

  it("prod apply jobs moved to the stage environment", () => {
    const findings = mutated("prod-env", ".github/workflows/apply.yml", (t) => t.replace(/environment: prod\n/g, "environment: stage\n"));
    const jobs = findings.filter((f) => f.rule === "W008").map((f) => f.job);
    expect(jobs).toEqual(["prod-platform", "prod-network", "prod-services"]);
  });

  it("the apply concurrency group made global", () => {
    const findings = mutated("group", ".github/workflows/apply.yml", (t) => t.replaceAll("group: apply-${{ matrix.stack }}", "group: apply"));
    expect(findings.filter((f) => f.rule === "W007")).toHaveLength(9);
  });

  it("an unpinned action inside the apply composite action", () => {
    const findings = mutated("pin", ".github/actions/apply-stack/action.yml", (t) =>
      t.replace(/aws-actions\/configure-aws-credentials@[0-9a-f]{40} # v[\d.]+/, "aws-actions/configure-aws-credentials@v6"),
    );
    expect(findings.map(formatFinding)).toEqual([
      ".github/actions/apply-stack/action.yml: W004 uses aws-actions/configure-aws-credentials@v6, which is not pinned by a full 40-character commit SHA; pin it as owner/repo@<sha> # vX.Y.Z.",
    ]);
  });

  it("the PR title interpolated into a run step of the PR workflow", () => {
    const findings = mutated("title", ".github/workflows/pr.yml", (t) =>
      t.replace('base="$(git merge-base "$BASE_SHA" HEAD)"', 'echo "${{ github.event.pull_request.title }}"\n          base="$(git merge-base "$BASE_SHA" HEAD)"'),
    );
    expect(findings.some((f) => f.rule === "W009" && f.job === "verify")).toBe(true);
  });

  it("id-token: write added to the comment job", () => {
    const findings = mutated("oidc", ".github/workflows/pr.yml", (t) => t.replace("      pull-requests: write\n", "      pull-requests: write\n      id-token: write\n"));
    expect(findings.map((f) => [f.rule, f.job])).toEqual([["W005", "comment"]]);
  });
});
