import { describe, expect, it } from "vitest";
import {
  CHECK_MARKER,
  findPlanArtifact,
  findReviewedCommit,
  fitComment,
  GitHubError,
  MAX_COMMENT,
  restClient,
  syncDriftIssues,
  upsertComment,
} from "../src/github.ts";
import { FakeGitHub } from "./fake-github.ts";

const REPO = "acme/baseplate";
const MERGE = "a".repeat(40);
const HEAD = "b".repeat(40);
const OTHER = "c".repeat(40);

describe("the single PR comment", () => {
  it("is created once, then updated in place by later runs", async () => {
    const gh = new FakeGitHub();
    gh.comments.set(7, [{ id: 1, body: "LGTM", user: { login: "alice", type: "User" } }]);
    const first = await upsertComment(gh, REPO, 7, `${CHECK_MARKER}\n## Baseplate check\n\n2 mandatory violations`);
    const second = await upsertComment(gh, REPO, 7, `${CHECK_MARKER}\n## Baseplate check\n\nAll passed`);
    expect(first.action).toBe("created");
    expect(second).toEqual({ action: "updated", id: first.id });
    const comments = gh.comments.get(7) ?? [];
    expect(comments.map((c) => c.body)).toEqual(["LGTM", `${CHECK_MARKER}\n## Baseplate check\n\nAll passed`]);
  });

  it("finds its marker beyond the first page of comments", async () => {
    const gh = new FakeGitHub();
    const many = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, user: { login: "bob", type: "User" } }));
    many[120] = { id: 121, body: `${CHECK_MARKER}\nold`, user: { login: "github-actions[bot]", type: "Bot" } };
    gh.comments.set(9, many);
    expect(await upsertComment(gh, REPO, 9, "new report")).toEqual({ action: "updated", id: 121 });
    expect(gh.comments.get(9)?.[120]?.body).toBe(`${CHECK_MARKER}\nnew report`);
  });

  it("ignores a person's comment that quotes the marker", async () => {
    const gh = new FakeGitHub();
    gh.comments.set(3, [{ id: 5, body: `> ${CHECK_MARKER}`, user: { login: "carol", type: "User" } }]);
    expect((await upsertComment(gh, REPO, 3, "report")).action).toBe("created");
  });

  it("is truncated under GitHub's size limit with a pointer to the run", () => {
    const fitted = fitComment("x".repeat(80_000), "https://github.com/acme/baseplate/actions/runs/1");
    expect(fitted.length).toBeLessThanOrEqual(MAX_COMMENT);
    expect(fitted).toMatch(/truncated: the full report is in the \[workflow run\]\(https:\/\/github\.com\/acme\/baseplate\/actions\/runs\/1\)/);
    expect(fitComment("short", null)).toBe("short");
  });
});

describe("drift issues", () => {
  it("open one issue per drifted stack, update it on the next drift, close it when clean", async () => {
    const gh = new FakeGitHub();
    const run1 = await syncDriftIssues(gh, REPO, [
      { stack: "payments-api-prod", status: "drifted", details: "~ aws_security_group.alb: ingress changed" },
      { stack: "network-dev", status: "clean", details: "" },
    ], "run-1");
    expect(run1).toEqual([
      { stack: "network-dev", action: "none", issue: null },
      { stack: "payments-api-prod", action: "opened", issue: expect.any(Number) as number },
    ]);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ title: "Drift: payments-api-prod", labels: ["drift"], state: "open" });
    expect(gh.issues[0]?.body).toContain("ingress changed");

    const run2 = await syncDriftIssues(gh, REPO, [{ stack: "payments-api-prod", status: "drifted", details: "~ aws_security_group.alb: egress changed" }], "run-2");
    expect(run2[0]?.action).toBe("updated");
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.body).toContain("egress changed");

    const run3 = await syncDriftIssues(gh, REPO, [{ stack: "payments-api-prod", status: "clean", details: "" }], "run-3");
    expect(run3[0]?.action).toBe("closed");
    expect(gh.issues[0]?.state).toBe("closed");
    expect(gh.issues[0]?.comments[0]).toContain("No drift in `payments-api-prod` any more (run: run-3)");

    const run4 = await syncDriftIssues(gh, REPO, [{ stack: "payments-api-prod", status: "drifted", details: "again" }], "run-4");
    expect(run4[0]?.action).toBe("opened");
    expect(gh.issues.filter((i) => i.state === "open")).toHaveLength(1);
  });

  it("open or update the issue when the plan failed, keep it open, and report the failure", async () => {
    const gh = new FakeGitHub();
    gh.issues.push({ number: 4, title: "Drift: platform-stage", body: "old", state: "open", labels: ["drift"], comments: [] });
    const result = await syncDriftIssues(gh, REPO, [{ stack: "platform-stage", status: "error", details: "Error: AccessDenied" }], "run");
    expect(result).toEqual([{ stack: "platform-stage", action: "failed", issue: 4 }]);
    expect(gh.issues[0]).toMatchObject({ state: "open" });
    expect(gh.issues[0]?.body).toContain("The drift check of `platform-stage` failed (run: run)");
    expect(gh.issues[0]?.body).toContain("Error: AccessDenied");
    const fresh = await syncDriftIssues(gh, REPO, [{ stack: "network-dev", status: "error", details: "" }], "run");
    expect(fresh[0]?.action).toBe("failed");
    expect(gh.issues.find((i) => i.title === "Drift: network-dev")).toMatchObject({ state: "open", labels: ["drift"] });
  });

  it("do not mistake a pull request or another title for the stack's issue", async () => {
    const gh = new FakeGitHub();
    gh.issues.push({ number: 1, title: "Drift: platform-stage", body: "", state: "open", labels: ["drift"], comments: [], pull_request: {} });
    gh.issues.push({ number: 2, title: "Drift: platform-stage-old", body: "", state: "open", labels: ["drift"], comments: [] });
    const result = await syncDriftIssues(gh, REPO, [{ stack: "platform-stage", status: "drifted", details: "x" }], "run");
    expect(result[0]?.action).toBe("opened");
  });
});

describe("the reviewed commit of a merge", () => {
  const pull = { number: 42, merged_at: "2026-11-25T08:00:00Z", merge_commit_sha: MERGE, head: { sha: HEAD }, base: { ref: "main" } };

  it("is the PR head when the merge has the same tree", async () => {
    const gh = new FakeGitHub();
    gh.pulls[MERGE] = [pull];
    gh.trees = { [MERGE]: "t1", [HEAD]: "t1" };
    expect(await findReviewedCommit(gh, REPO, MERGE)).toEqual({ commit: HEAD, pr: 42, reason: `reviewed in #42 at ${HEAD}` });
  });

  it("is none when the branch was not up to date (trees differ)", async () => {
    const gh = new FakeGitHub();
    gh.pulls[MERGE] = [pull];
    gh.trees = { [MERGE]: "t1", [HEAD]: "t2" };
    const r = await findReviewedCommit(gh, REPO, MERGE);
    expect(r.commit).toBeNull();
    expect(r.reason).toMatch(/differs from the reviewed head .* of #42 \(the branch was not up to date with main\)/);
  });

  it("is none for a direct push or an unmerged PR that merely contains the commit", async () => {
    const gh = new FakeGitHub();
    gh.pulls[MERGE] = [{ ...pull, merged_at: null, merge_commit_sha: null }];
    expect((await findReviewedCommit(gh, REPO, MERGE)).commit).toBeNull();
    expect((await findReviewedCommit(gh, REPO, OTHER)).reason).toMatch(/not the merge of a pull request/);
  });
});

describe("the reviewed plan artifact", () => {
  const artifact = (id: number, runId: number, headSha = HEAD, created = "2026-11-25T08:00:00Z") => ({
    id,
    name: `plan-payments-api-prod-${HEAD}`,
    expired: false,
    created_at: created,
    workflow_run: { id: runId, head_sha: headSha },
  });
  const goodRun = (id: number) => ({ id, path: ".github/workflows/pr.yml", event: "pull_request", conclusion: "success", head_sha: HEAD, head_repository: { full_name: REPO } });

  it("is the newest artifact of a successful PR run of this repository for exactly the commit", async () => {
    const gh = new FakeGitHub();
    gh.artifacts = [artifact(1, 11, HEAD, "2026-11-25T07:00:00Z"), artifact(2, 12, HEAD, "2026-11-25T08:00:00Z")];
    gh.runs = { 11: goodRun(11), 12: goodRun(12) };
    expect(await findPlanArtifact(gh, REPO, "payments-api-prod", HEAD)).toMatchObject({ found: true, runId: 12, artifactId: 2 });
  });

  it("is refused from a failed run, another workflow, another event or a fork, saying why", async () => {
    const gh = new FakeGitHub();
    gh.artifacts = [artifact(1, 11), artifact(2, 12), artifact(3, 13), artifact(4, 14)];
    gh.runs = {
      11: { ...goodRun(11), conclusion: "failure" },
      12: { ...goodRun(12), path: ".github/workflows/evil.yml" },
      13: { ...goodRun(13), event: "workflow_dispatch" },
      14: { ...goodRun(14), head_repository: { full_name: "mallory/baseplate" } },
    };
    const r = await findPlanArtifact(gh, REPO, "payments-api-prod", HEAD);
    expect(r.found).toBe(false);
    expect(r.reason).toContain("its run concluded failure");
    expect(r.reason).toContain("made by .github/workflows/evil.yml");
    expect(r.reason).toContain("made on workflow_dispatch");
    expect(r.reason).toContain("made for mallory/baseplate");
  });

  it("is missing when no artifact of that name and commit exists", async () => {
    const gh = new FakeGitHub();
    gh.artifacts = [{ ...artifact(1, 11, OTHER) }];
    gh.runs = { 11: goodRun(11) };
    expect(await findPlanArtifact(gh, REPO, "payments-api-prod", HEAD)).toMatchObject({
      found: false,
      reason: `no unexpired artifact plan-payments-api-prod-${HEAD} exists`,
    });
  });
});

describe("the REST client", () => {
  it("sends the token and API version, and turns an error status into a sentence", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = ((url: string, init: RequestInit) => {
      seen.push({ url, init });
      return Promise.resolve(url.endsWith("/forbidden")
        ? new Response("Resource not accessible by integration", { status: 403 })
        : new Response(JSON.stringify({ ok: 1 }), { status: 200 }));
    }) as unknown as typeof fetch;
    const gh = restClient("t0ken", "https://ghe.example/api/v3/", fakeFetch);
    expect(await gh.request("POST", "/repos/acme/baseplate/issues", { title: "x" })).toEqual({ ok: 1 });
    expect(seen[0]?.url).toBe("https://ghe.example/api/v3/repos/acme/baseplate/issues");
    expect(seen[0]?.init.headers).toMatchObject({ authorization: "Bearer t0ken", "x-github-api-version": "2022-11-28", "content-type": "application/json" });
    expect(seen[0]?.init.body).toBe('{"title":"x"}');
    const failure = gh.request("GET", "/forbidden");
    await expect(failure).rejects.toThrow(GitHubError);
    await expect(failure).rejects.toThrow(/GET \/forbidden answered 403 \(Resource not accessible by integration\); check the job's permissions/);
  });
});
