/**
 * The few GitHub REST calls the workflows make, through a minimal client so tests can run them
 * against an in-memory repository: the single PR comment, drift issues, the reviewed commit of a
 * merge, and the reviewed plan artifact of a commit.
 */

export class GitHubError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = "GitHubError";
    this.status = status;
  }
}

export interface GitHub {
  request<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T>;
}

/** A REST client on `fetch`; `apiUrl` is `GITHUB_API_URL` (github.com or GHES). */
export function restClient(token: string, apiUrl = "https://api.github.com", fetchFn: typeof fetch = fetch): GitHub {
  return {
    async request<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T> {
      const init: RequestInit = {
        method,
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${token}`,
          "x-github-api-version": "2022-11-28",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
      };
      if (body !== undefined) init.body = JSON.stringify(body);
      const response = await fetchFn(`${apiUrl.replace(/\/$/, "")}${path}`, init);
      if (!response.ok) {
        const detail = (await response.text()).slice(0, 200);
        throw new GitHubError(`GitHub API ${method} ${path} answered ${response.status} (${detail}); check the job's permissions and GITHUB_TOKEN.`, response.status);
      }
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
  };
}

/** All pages of a list endpoint (100 per page, at most `maxPages`). */
async function paginate<T>(gh: GitHub, path: string, maxPages = 20): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes("?") ? "&" : "?";
  for (let page = 1; page <= maxPages; page++) {
    const items = await gh.request<T[]>("GET", `${path}${sep}per_page=100&page=${page}`);
    out.push(...items);
    if (items.length < 100) break;
  }
  return out;
}

export const CHECK_MARKER = "<!-- baseplate:check -->";
/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT = 65_000;

export interface Comment {
  id: number;
  body?: string;
  user?: { login?: string; type?: string } | null;
}

/** Keeps a body under GitHub's limit, saying where the rest is. */
export function fitComment(body: string, moreUrl: string | null): string {
  if (body.length <= MAX_COMMENT) return body;
  const note = `\n\n…truncated: the full report is ${moreUrl === null ? "in the workflow run's artifacts" : `in the [workflow run](${moreUrl})`}.\n`;
  return body.slice(0, MAX_COMMENT - note.length) + note;
}

/**
 * Creates the PR comment that starts with `marker`, or updates it when a previous run posted it
 * (the oldest such comment from a bot). Returns what it did.
 */
export async function upsertComment(
  gh: GitHub,
  repo: string,
  pr: number,
  body: string,
  marker = CHECK_MARKER,
): Promise<{ action: "created" | "updated"; id: number }> {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const comments = await paginate<Comment>(gh, `/repos/${repo}/issues/${pr}/comments`);
  const existing = comments.find((c) => (c.body ?? "").includes(marker) && (c.user?.type === undefined || c.user.type === "Bot"));
  if (existing !== undefined) {
    await gh.request("PATCH", `/repos/${repo}/issues/comments/${existing.id}`, { body: text });
    return { action: "updated", id: existing.id };
  }
  const created = await gh.request<Comment>("POST", `/repos/${repo}/issues/${pr}/comments`, { body: text });
  return { action: "created", id: created.id };
}

export interface Issue {
  number: number;
  title: string;
  state: string;
  pull_request?: unknown;
}

export type DriftStatus = "drifted" | "clean" | "error";

export interface DriftResult {
  stack: string;
  status: DriftStatus;
  /** Plan excerpt for the issue body (drifted, or the error output of a failed plan). */
  details: string;
  /** Drifted resources from the refresh-only plan's `resource_drift`: "address (actions)". */
  drifted?: string[];
}

export const DRIFT_LABEL = "drift";
export const driftTitle = (stack: string): string => `Drift: ${stack}`;

/**
 * Opens or updates the issue `Drift: <stack>` (label `drift`) for a drifted stack, closes it for
 * a clean one. A failed plan opens or updates the same issue too (the check could not run, so
 * nobody knows whether the stack drifted) and is reported as `failed`. One issue per stack: the
 * open one is reused.
 */
export async function syncDriftIssues(
  gh: GitHub,
  repo: string,
  results: readonly DriftResult[],
  runUrl: string,
): Promise<{ stack: string; action: "opened" | "updated" | "closed" | "none" | "failed"; issue: number | null }[]> {
  const open = (await paginate<Issue>(gh, `/repos/${repo}/issues?state=open&labels=${DRIFT_LABEL}`)).filter((i) => i.pull_request === undefined);
  const byTitle = new Map(open.map((i) => [i.title, i]));
  const out: { stack: string; action: "opened" | "updated" | "closed" | "none" | "failed"; issue: number | null }[] = [];
  for (const r of [...results].sort((a, b) => (a.stack < b.stack ? -1 : 1))) {
    const issue = byTitle.get(driftTitle(r.stack));
    if (r.status === "drifted" || r.status === "error") {
      const body =
        r.status === "drifted"
          ? [
              `\`terraform plan -refresh-only -detailed-exitcode\` found changes made outside Terraform in \`${r.stack}\` (run: ${runUrl}).`,
              "",
              ...(r.drifted && r.drifted.length > 0 ? ["Drifted resources:", "", ...r.drifted.slice(0, 200).map((d) => `- \`${d}\``), ""] : []),
              "Reconcile the stack: revert the manual change, or codify it in a pull request and apply it. Changes merged but not yet applied are not drift and are not listed here.",
              "",
              "```",
              r.details.slice(0, 60_000),
              "```",
            ].join("\n")
          : [
              `The drift check of \`${r.stack}\` failed (run: ${runUrl}): the refresh-only plan did not run or its result could not be read, so drift is unknown.`,
              "",
              "Fix the cause (credentials, the plan role, state access, a provider error) and re-run the Drift workflow.",
              "",
              "```",
              r.details.slice(-20_000),
              "```",
            ].join("\n");
      const failed = r.status === "error";
      if (issue === undefined) {
        const created = await gh.request<Issue>("POST", `/repos/${repo}/issues`, { title: driftTitle(r.stack), body, labels: [DRIFT_LABEL] });
        out.push({ stack: r.stack, action: failed ? "failed" : "opened", issue: created.number });
      } else {
        await gh.request("PATCH", `/repos/${repo}/issues/${issue.number}`, { body });
        out.push({ stack: r.stack, action: failed ? "failed" : "updated", issue: issue.number });
      }
    } else if (r.status === "clean") {
      if (issue === undefined) {
        out.push({ stack: r.stack, action: "none", issue: null });
      } else {
        await gh.request("POST", `/repos/${repo}/issues/${issue.number}/comments`, { body: `No drift in \`${r.stack}\` any more (run: ${runUrl}); closing.` });
        await gh.request("PATCH", `/repos/${repo}/issues/${issue.number}`, { state: "closed", state_reason: "completed" });
        out.push({ stack: r.stack, action: "closed", issue: issue.number });
      }
    }
  }
  return out;
}

interface PullRequest {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
  base: { ref: string };
}

export interface ReviewedCommit {
  /** The PR head commit whose plans were reviewed, or null when there is none to trust. */
  commit: string | null;
  pr: number | null;
  reason: string;
}

/**
 * The reviewed commit behind `sha` on the default branch: the head of the merged pull request
 * whose merge produced `sha`, provided the trees are identical (the branch was up to date, so the
 * reviewed plans describe exactly this code).
 */
export async function findReviewedCommit(gh: GitHub, repo: string, sha: string): Promise<ReviewedCommit> {
  const pulls = await gh.request<PullRequest[]>("GET", `/repos/${repo}/commits/${sha}/pulls`);
  const pr = pulls.find((p) => p.merged_at !== null && p.merge_commit_sha === sha);
  if (pr === undefined) {
    return { commit: null, pr: null, reason: `commit ${sha} is not the merge of a pull request, so no plan of it was reviewed` };
  }
  const [merged, head] = await Promise.all([
    gh.request<{ tree: { sha: string } }>("GET", `/repos/${repo}/git/commits/${sha}`),
    gh.request<{ tree: { sha: string } }>("GET", `/repos/${repo}/git/commits/${pr.head.sha}`),
  ]);
  if (merged.tree.sha !== head.tree.sha) {
    return {
      commit: null,
      pr: pr.number,
      reason: `the code of ${sha} differs from the reviewed head ${pr.head.sha} of #${pr.number} (the branch was not up to date with ${pr.base.ref})`,
    };
  }
  return { commit: pr.head.sha, pr: pr.number, reason: `reviewed in #${pr.number} at ${pr.head.sha}` };
}

interface Artifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string;
  workflow_run?: { id: number; head_sha: string; repository_id?: number; head_repository_id?: number } | null;
}

interface WorkflowRun {
  id: number;
  path: string;
  event: string;
  conclusion: string | null;
  head_sha: string;
  head_repository?: { full_name: string } | null;
}

export const planArtifactName = (stack: string, commit: string): string => `plan-${stack}-${commit}`;

export interface PlanArtifact {
  found: boolean;
  runId: number | null;
  artifactId: number | null;
  name: string;
  reason: string;
}

/**
 * The reviewed plan artifact `plan-<stack>-<commit>`: uploaded by a successful `pull_request`
 * run of `workflowPath` on this repository (not a fork) for exactly `commit`; the newest wins.
 */
export async function findPlanArtifact(
  gh: GitHub,
  repo: string,
  stack: string,
  commit: string,
  workflowPath = ".github/workflows/pr.yml",
): Promise<PlanArtifact> {
  const name = planArtifactName(stack, commit);
  const listed: Artifact[] = [];
  for (let page = 1; page <= 5; page++) {
    const response = await gh.request<{ artifacts?: Artifact[] }>("GET", `/repos/${repo}/actions/artifacts?name=${encodeURIComponent(name)}&per_page=100&page=${page}`);
    if (!Array.isArray(response.artifacts)) throw new GitHubError(`GitHub API listed artifacts of ${repo} without an artifacts array; check GITHUB_API_URL.`, 200);
    listed.push(...response.artifacts);
    if (response.artifacts.length < 100) break;
  }
  const artifacts = listed
    .filter((a) => a.name === name && !a.expired && a.workflow_run?.head_sha === commit)
    .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  const rejected: string[] = [];
  for (const artifact of artifacts) {
    const runId = artifact.workflow_run?.id;
    if (runId === undefined) continue;
    const run = await gh.request<WorkflowRun>("GET", `/repos/${repo}/actions/runs/${runId}`);
    const problems = [
      run.path === workflowPath ? null : `made by ${run.path}, not ${workflowPath}`,
      run.event === "pull_request" ? null : `made on ${run.event}, not pull_request`,
      run.head_repository?.full_name === repo ? null : `made for ${run.head_repository?.full_name ?? "another repository"}`,
      run.conclusion === "success" ? null : `its run concluded ${run.conclusion ?? "not yet"}`,
      run.head_sha === commit ? null : `its run is for ${run.head_sha}`,
    ].filter((p): p is string => p !== null);
    if (problems.length === 0) {
      return { found: true, runId, artifactId: artifact.id, name, reason: `reviewed plan from run ${runId}` };
    }
    rejected.push(`run ${runId}: ${problems.join(", ")}`);
  }
  return {
    found: false,
    runId: null,
    artifactId: null,
    name,
    reason:
      rejected.length === 0
        ? `no unexpired artifact ${name} exists`
        : `artifact ${name} exists but cannot be trusted (${rejected.join("; ")})`,
  };
}
