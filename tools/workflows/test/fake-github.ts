/** An in-memory GitHub repository answering the REST routes the workflow helpers use. */
import type { GitHub } from "../src/github.ts";

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  comments: string[];
  pull_request?: object;
}

export class FakeGitHub implements GitHub {
  readonly calls: string[] = [];
  readonly comments = new Map<number, FakeComment[]>();
  readonly issues: FakeIssue[] = [];
  pulls: Record<string, unknown[]> = {};
  trees: Record<string, string> = {};
  artifacts: unknown[] = [];
  runs: Record<number, unknown> = {};
  private nextId = 1000;

  async request<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T> {
    this.calls.push(`${method} ${path}`);
    const [route = "", query = ""] = path.split("?");
    const params = new URLSearchParams(query);
    const page = Number(params.get("page") ?? "1");
    const perPage = Number(params.get("per_page") ?? "30");
    const paged = <X>(items: X[]): X[] => items.slice((page - 1) * perPage, page * perPage);
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    await Promise.resolve();

    if ((m = /^\/repos\/acme\/baseplate\/issues\/(\d+)\/comments$/.exec(route))) {
      const n = Number(m[1]);
      if (method === "GET") return paged(this.comments.get(n) ?? []) as T;
      const issue = this.issues.find((i) => i.number === n);
      if (issue) {
        issue.comments.push(String(b["body"]));
        return { id: this.nextId++ } as T;
      }
      const comment = { id: this.nextId++, body: String(b["body"]), user: { login: "github-actions[bot]", type: "Bot" } };
      this.comments.set(n, [...(this.comments.get(n) ?? []), comment]);
      return comment as T;
    }
    if ((m = /^\/repos\/acme\/baseplate\/issues\/comments\/(\d+)$/.exec(route)) && method === "PATCH") {
      const id = Number(m[1]);
      for (const list of this.comments.values()) for (const c of list) if (c.id === id) c.body = String(b["body"]);
      return {} as T;
    }
    if (route === "/repos/acme/baseplate/issues" && method === "GET") {
      const labels = params.get("labels");
      const state = params.get("state");
      return paged(this.issues.filter((i) => (state === null || i.state === state) && (labels === null || i.labels.includes(labels)))) as T;
    }
    if (route === "/repos/acme/baseplate/issues" && method === "POST") {
      const issue: FakeIssue = { number: this.nextId++, title: String(b["title"]), body: String(b["body"]), state: "open", labels: b["labels"] as string[], comments: [] };
      this.issues.push(issue);
      return issue as T;
    }
    if ((m = /^\/repos\/acme\/baseplate\/issues\/(\d+)$/.exec(route)) && method === "PATCH") {
      const issue = this.issues.find((i) => i.number === Number(m?.[1]));
      if (!issue) throw new Error(`no issue ${m[1]}`);
      if (typeof b["body"] === "string") issue.body = b["body"];
      if (b["state"] === "closed") issue.state = "closed";
      return issue as T;
    }
    if ((m = /^\/repos\/acme\/baseplate\/commits\/([0-9a-f]{40})\/pulls$/.exec(route))) return (this.pulls[m[1] ?? ""] ?? []) as T;
    if ((m = /^\/repos\/acme\/baseplate\/git\/commits\/([0-9a-f]{40})$/.exec(route))) {
      const tree = this.trees[m[1] ?? ""];
      if (tree === undefined) throw new Error(`no commit ${m[1]}`);
      return { tree: { sha: tree } } as T;
    }
    if (route === "/repos/acme/baseplate/actions/artifacts") {
      const name = params.get("name");
      return { total_count: 0, artifacts: paged(this.artifacts.filter((a) => (a as { name: string }).name === name)) } as T;
    }
    if ((m = /^\/repos\/acme\/baseplate\/actions\/runs\/(\d+)$/.exec(route))) {
      const run = this.runs[Number(m[1])];
      if (run === undefined) throw new Error(`no run ${m[1]}`);
      return run as T;
    }
    throw new Error(`FakeGitHub: unexpected ${method} ${path}`);
  }
}
