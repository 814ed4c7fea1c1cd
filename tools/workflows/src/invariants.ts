/**
 * The invariants every GitHub workflow of the repository keeps. Each is checked statically on the
 * parsed YAML of `.github/workflows/*.yml`, with the steps of local composite actions
 * (`uses: ./path`) expanded into the job that uses them, so a rule cannot be dodged by moving a
 * command into an action.
 *
 * | id   | invariant |
 * | ---- | --------- |
 * | W001 | no `pull_request_target` trigger (it runs with a write token on untrusted code) |
 * | W002 | top-level `permissions` is a map of `read`/`none` scopes (`{}` is best); every job declares its own `permissions` map |
 * | W003 | no `write-all` anywhere |
 * | W004 | every `uses:` is pinned by a full 40-hex commit SHA with the version in a trailing comment (`# v1.2.3`); local `./` actions excepted, `docker://` images pinned by `@sha256:` digest |
 * | W005 | every `write` scope a job holds is one it needs: `id-token` only with aws-actions/configure-aws-credentials, `security-events` only with github/codeql-action/upload-sarif, `pull-requests` only with the PR comment step (`pr-comment`), `issues` only with the drift issue step (`drift-issues`); every other write scope is refused |
 * | W006 | AWS access only through OIDC: configure-aws-credentials gets `role-to-assume` and the job `id-token: write`; no access-key inputs, no `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` env |
 * | W007 | a job that runs `terraform apply` (or destroy, or `cdktf deploy`) has a literal `environment:` (dev, stage or prod) and the concurrency group `apply-${{ matrix.stack }}` (or `inputs.stack`) with `cancel-in-progress` not true |
 * | W008 | an apply job's environment is the environment it applies to: every target it names (job id tokens, `environment` inputs of its steps, `*ENVIRONMENT` env values) equals it, so prod applies run in `prod` |
 * | W009 | no untrusted expression inside `run:` or an actions/github-script `script` (`github.event.*`, `github.head_ref`, `inputs.*`): pass them through `env:` |
 * | W010 | every actions/checkout sets `persist-credentials: false` |
 * | W011 | no repository secrets: `secrets.*` other than `secrets.GITHUB_TOKEN` and `secrets: inherit` are refused (AWS uses OIDC) |
 * | W012 | `terraform apply` applies a saved, reviewed plan file (`*.tfplan`), never `-auto-approve` of a fresh plan; destroy and `cdktf deploy` are refused |
 * | W000 | the workflow and every local action it uses parse and exist |
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isScalar, parseDocument, visit, type Document } from "yaml";

export interface Finding {
  /** Workflow or action file, relative to the repository root. */
  file: string;
  /** Job id, or null for workflow-level problems. */
  job: string | null;
  rule: string;
  message: string;
}

export function formatFinding(f: Finding): string {
  return `${f.file}${f.job === null ? "" : `: job "${f.job}"`}: ${f.rule} ${f.message}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, Json>;

interface Parsed {
  file: string;
  doc: Document;
  data: Json;
}

/** A step as it runs in a job, with the file it was written in (the workflow or a local action). */
interface EffectiveStep {
  file: string;
  step: Obj;
}

const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v?\d+(\.\d+)*\b/;
const DOCKER_PIN = /@sha256:[0-9a-f]{64}$/;
/**
 * The commands of the construct engine's CLI (cdktf, and CDK Terrain's cdktn, its continuation):
 * their deploy/destroy change infrastructure. A test ties this list to the installed engine CLI's
 * commands, so a change of engine cannot make the guardrail go quiet (docs/engine.md).
 */
export const ENGINE_COMMANDS: readonly string[] = ["cdktf", "cdktn"];
/** Commands that change infrastructure: terraform apply/destroy, the engine CLI's deploy/destroy. */
const TERRAFORM_APPLY = new RegExp(
  `\\bterraform\\b(?:\\s+-chdir[= ]\\S+)?\\s+(?:apply|destroy)\\b|\\b(?:${ENGINE_COMMANDS.join("|")})\\s+(?:deploy|destroy|apply)\\b`,
);

/** Whether a line of a `run:` script changes infrastructure (W007, W012). */
export function changesInfrastructure(line: string): boolean {
  return TERRAFORM_APPLY.test(line);
}
const UNTRUSTED = /\$\{\{[^}]*?\b(github\.event(?!\w)[\w.[\]*'"-]*|github\.head_ref|inputs\.[\w-]+)[^}]*\}\}/g;
const SECRET_REF = /\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g;
const STATIC_AWS_ENV = new Set(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
const ENVIRONMENTS = ["dev", "stage", "prod"] as const;
const APPLY_GROUP = /^apply-\$\{\{\s*(matrix|inputs)\.stack\s*\}\}$/;

/** Write scopes a job may hold, and what in the job shows that it needs the scope. */
const WRITE_EVIDENCE: Record<string, { need: string; test: (steps: EffectiveStep[]) => boolean }> = {
  "id-token": {
    need: "a step using aws-actions/configure-aws-credentials (GitHub OIDC)",
    test: (steps) => steps.some((s) => usesAction(s.step, "aws-actions/configure-aws-credentials")),
  },
  "security-events": {
    need: "a step using github/codeql-action/upload-sarif",
    test: (steps) => steps.some((s) => usesAction(s.step, "github/codeql-action/upload-sarif")),
  },
  "pull-requests": {
    need: "the PR comment step (a run step invoking `pr-comment`)",
    test: (steps) => steps.some((s) => /\bpr-comment\b/.test(runText(s.step))),
  },
  issues: {
    need: "the drift issue step (a run step invoking `drift-issues`)",
    test: (steps) => steps.some((s) => /\bdrift-issues\b/.test(runText(s.step))),
  },
};

function isObj(value: Json | undefined): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function runText(step: Obj): string {
  return typeof step["run"] === "string" ? step["run"] : "";
}

function usesOf(step: Obj): string | null {
  return typeof step["uses"] === "string" ? step["uses"] : null;
}

function usesAction(step: Obj, action: string): boolean {
  const uses = usesOf(step);
  return uses !== null && uses.toLowerCase().startsWith(`${action.toLowerCase()}@`);
}

function readYaml(root: string, absolute: string): Parsed | Finding {
  const file = relative(root, absolute);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (thrown) {
    return { file, job: null, rule: "W000", message: `cannot be read (${(thrown as NodeJS.ErrnoException).code ?? String(thrown)}); check the path.` };
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    return { file, job: null, rule: "W000", message: `is not valid YAML (${doc.errors[0]?.message.split("\n")[0] ?? "parse error"}); fix the syntax.` };
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as Json;
  if (!isObj(data)) return { file, job: null, rule: "W000", message: "is not a YAML mapping; a workflow or action is a map with `on`/`jobs` or `runs`." };
  return { file, doc, data };
}

/** Every `uses:` value with its trailing comment and source offset, read from the YAML CST. */
function usesNodes(doc: Document): { uses: string; comment: string | null; offset: number }[] {
  const out: { uses: string; comment: string | null; offset: number }[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value) && typeof pair.value.value === "string") {
        out.push({ uses: pair.value.value, comment: pair.value.comment ?? null, offset: pair.value.range?.[0] ?? 0 });
      }
    },
  });
  return out;
}

/** Loads and caches local composite actions. */
class ActionResolver {
  private readonly cache = new Map<string, Parsed | Finding>();
  private readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  load(uses: string): Parsed | Finding {
    const dir = join(this.root, uses.replace(/^\.\//, ""));
    const cached = this.cache.get(dir);
    if (cached) return cached;
    const candidates = [join(dir, "action.yml"), join(dir, "action.yaml")];
    const found = candidates.find((c) => existsSync(c));
    const result: Parsed | Finding =
      found === undefined
        ? { file: relative(this.root, dir), job: null, rule: "W000", message: "has no action.yml or action.yaml; create it or fix the path." }
        : readYaml(this.root, found);
    this.cache.set(dir, result);
    return result;
  }
}

function stepsOf(value: Json | undefined): Obj[] {
  return Array.isArray(value) ? value.filter(isObj) : [];
}

/** The job's steps with local composite actions expanded (recursively, cycles cut). */
function expand(steps: Obj[], file: string, actions: ActionResolver, problems: Finding[], seen: Set<string>): EffectiveStep[] {
  const out: EffectiveStep[] = [];
  for (const step of steps) {
    out.push({ file, step });
    const uses = usesOf(step);
    if (uses === null || !uses.startsWith("./")) continue;
    const action = actions.load(uses);
    if (!("data" in action)) {
      problems.push({ ...action, file, message: `uses ${uses}: ${action.file} ${action.message}` });
      continue;
    }
    if (seen.has(action.file)) continue;
    const runs = isObj(action.data) ? action.data["runs"] : undefined;
    if (!isObj(runs) || runs["using"] !== "composite") continue;
    out.push(...expand(stepsOf(runs["steps"]), action.file, actions, problems, new Set([...seen, action.file])));
  }
  return out;
}

function triggers(on: Json | undefined): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.filter((x): x is string => typeof x === "string");
  if (isObj(on)) return Object.keys(on);
  return [];
}

function environmentName(env: Json | undefined): string | null {
  if (typeof env === "string") return env;
  if (isObj(env) && typeof env["name"] === "string") return env["name"];
  return null;
}

/** Every string scalar of a JSON value, with the key path that leads to it. */
function strings(value: Json | undefined, path: string[] = []): { path: string[]; text: string }[] {
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

function envKeys(value: Json | undefined): string[] {
  return isObj(value) ? Object.keys(value) : [];
}

/** Every `uses:` value of the resolved data (aliases expanded), with the job it is in. */
function usesValues(value: Json | undefined, path: string[] = []): { uses: string; job: string | null }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => usesValues(v, [...path, String(i)]));
  if (!isObj(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = [...path, key];
    if (key === "uses" && typeof v === "string") return [{ uses: v, job: path[0] === "jobs" && path[1] !== undefined ? path[1] : null }];
    return usesValues(v, here);
  });
}

/**
 * Checks uses: pins in a parsed file (workflow or action): the pin on the resolved data (so a
 * value reached through a YAML alias is checked in the job that uses it), the version comment on
 * the written scalar.
 */
function checkPins(parsed: Parsed, jobOfOffset: (offset: number) => string | null, findings: Finding[]): void {
  for (const { uses, job } of usesValues(parsed.data)) {
    if (uses.startsWith("./")) continue;
    if (uses.startsWith("docker://")) {
      if (!DOCKER_PIN.test(uses)) {
        findings.push({ file: parsed.file, job, rule: "W004", message: `uses ${uses} without an @sha256: digest; pin the image by digest.` });
      }
    } else if (!SHA_PIN.test(uses)) {
      findings.push({
        file: parsed.file,
        job,
        rule: "W004",
        message: `uses ${uses}, which is not pinned by a full 40-character commit SHA; pin it as owner/repo@<sha> # vX.Y.Z.`,
      });
    }
  }
  for (const { uses, comment, offset } of usesNodes(parsed.doc)) {
    if (!SHA_PIN.test(uses) || (comment !== null && VERSION_COMMENT.test(comment))) continue;
    findings.push({
      file: parsed.file,
      job: jobOfOffset(offset),
      rule: "W004",
      message: `uses ${uses} without the version in a trailing comment; add "# vX.Y.Z" so reviewers and Dependabot can read it.`,
    });
  }
}

/** Maps a source offset to the job whose node contains it. */
function jobLocator(doc: Document): (offset: number) => string | null {
  const ranges: { job: string; start: number; end: number }[] = [];
  const jobs = isMap(doc.contents) ? doc.contents.get("jobs", true) : undefined;
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const value = pair.value as { range?: [number, number, number] } | null;
      if (isScalar(pair.key) && value?.range) ranges.push({ job: String(pair.key.value), start: value.range[0], end: value.range[2] });
    }
  }
  return (offset) => ranges.find((r) => offset >= r.start && offset <= r.end)?.job ?? null;
}

function checkPermissionsValue(file: string, job: string | null, perms: Json | undefined, findings: Finding[]): void {
  if (perms === "write-all") {
    findings.push({ file, job, rule: "W003", message: "sets permissions: write-all; grant only the scopes the job needs." });
  }
}

function checkJob(
  wf: Parsed,
  jobId: string,
  job: Obj,
  actions: ActionResolver,
  findings: Finding[],
): void {
  const file = wf.file;
  const problems: Finding[] = [];
  const steps = expand(stepsOf(job["steps"]), file, actions, problems, new Set());
  for (const p of problems) findings.push({ ...p, job: jobId });

  // W002 / W003: explicit, non-blanket permissions.
  const perms = job["permissions"];
  checkPermissionsValue(file, jobId, perms, findings);
  if (perms === undefined) {
    findings.push({ file, job: jobId, rule: "W002", message: "has no permissions: block; declare the scopes it needs (permissions: {} when none)." });
  } else if (!isObj(perms) && perms !== "write-all") {
    findings.push({ file, job: jobId, rule: "W002", message: `sets permissions: ${JSON.stringify(perms)}; use a map of the scopes it needs.` });
  }

  // W005: every write scope is justified by what the job does.
  if (isObj(perms)) {
    for (const [scope, level] of Object.entries(perms)) {
      if (level !== "write") continue;
      const evidence = WRITE_EVIDENCE[scope];
      if (evidence === undefined) {
        findings.push({ file, job: jobId, rule: "W005", message: `grants ${scope}: write, which no job of this repository needs; remove it or use read.` });
      } else if (!evidence.test(steps)) {
        findings.push({ file, job: jobId, rule: "W005", message: `grants ${scope}: write without ${evidence.need}; remove the scope.` });
      }
    }
  }

  // W006: AWS only through OIDC.
  for (const { file: at, step } of steps) {
    if (!usesAction(step, "aws-actions/configure-aws-credentials")) continue;
    const withs = isObj(step["with"]) ? step["with"] : {};
    if (typeof withs["role-to-assume"] !== "string" || withs["role-to-assume"].trim() === "") {
      findings.push({ file: at, job: jobId, rule: "W006", message: "configures AWS credentials without role-to-assume; assume a role through GitHub OIDC." });
    }
    for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) {
      if (key in withs) findings.push({ file: at, job: jobId, rule: "W006", message: `passes ${key} to configure-aws-credentials; long-lived keys are refused, use role-to-assume with OIDC.` });
    }
    if (!isObj(perms) || perms["id-token"] !== "write") {
      findings.push({ file, job: jobId, rule: "W006", message: "assumes an AWS role but lacks permissions id-token: write, which OIDC needs." });
    }
  }
  const envBlocks: (Json | undefined)[] = [job["env"], ...steps.map((s) => s.step["env"])];
  for (const key of envBlocks.flatMap(envKeys)) {
    if (STATIC_AWS_ENV.has(key)) {
      findings.push({ file, job: jobId, rule: "W006", message: `sets ${key} in env; long-lived AWS keys are refused, assume a role through OIDC.` });
    }
  }

  // W007 / W008: applies are gated by an environment and serialized per stack.
  const applies = steps.some((s) => TERRAFORM_APPLY.test(runText(s.step)));
  if (applies) {
    for (const { file: at, step } of steps) {
      for (const line of runText(step).split("\n")) {
        if (!TERRAFORM_APPLY.test(line)) continue;
        if (/-auto-approve\b/.test(line) || !/\.tfplan["']?\s*$/.test(line.trim())) {
          findings.push({
            file: at,
            job: jobId,
            rule: "W012",
            message: `runs "${line.trim()}"; apply only the reviewed plan file (terraform apply <plan>.tfplan), never -auto-approve.`,
          });
        }
      }
    }
    const environment = environmentName(job["environment"]);
    if (environment === null) {
      findings.push({ file, job: jobId, rule: "W007", message: "runs terraform apply without environment:; set the GitHub Environment (dev, stage or prod) whose rules gate it." });
    } else if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
      findings.push({
        file,
        job: jobId,
        rule: "W007",
        message: `runs terraform apply in environment "${environment}"; use a literal dev, stage or prod so its protection rules are known.`,
      });
    }
    const concurrency = job["concurrency"];
    const group = isObj(concurrency) ? concurrency["group"] : concurrency;
    if (typeof group !== "string" || !APPLY_GROUP.test(group.trim())) {
      findings.push({
        file,
        job: jobId,
        rule: "W007",
        message: `runs terraform apply without the per-stack concurrency group (found ${JSON.stringify(group ?? null)}); set concurrency.group: apply-\${{ matrix.stack }}.`,
      });
    }
    if (isObj(concurrency) && concurrency["cancel-in-progress"] !== undefined && concurrency["cancel-in-progress"] !== false) {
      findings.push({ file, job: jobId, rule: "W007", message: "cancels an apply in progress; set cancel-in-progress: false so an apply is never interrupted." });
    }
    if (environment !== null && (ENVIRONMENTS as readonly string[]).includes(environment)) {
      const targets = new Set<string>();
      const unverifiable: string[] = [];
      for (const token of jobId.toLowerCase().split(/[-_]/)) if ((ENVIRONMENTS as readonly string[]).includes(token)) targets.add(token);
      const candidates: string[] = [];
      // Inside a local action, `${{ inputs.x }}` is bound to the caller's `with:`, which is
      // itself a candidate; such pass-throughs are not checked twice.
      const passThrough = (at: string, value: string): boolean => at !== file && /^\$\{\{\s*inputs\.[\w-]+\s*\}\}$/.test(value.trim());
      for (const { file: at, step } of steps) {
        const withs = isObj(step["with"]) ? step["with"] : {};
        const value = withs["environment"];
        if (typeof value === "string" && !passThrough(at, value)) candidates.push(value);
      }
      const envBlocksWithFile: [string, Json | undefined][] = [[file, job["env"]], ...steps.map((s): [string, Json | undefined] => [s.file, s.step["env"]])];
      for (const [at, block] of envBlocksWithFile) {
        if (!isObj(block)) continue;
        for (const [key, value] of Object.entries(block)) {
          if (/ENVIRONMENT$/i.test(key) && typeof value === "string" && !passThrough(at, value)) candidates.push(value);
        }
      }
      for (const value of candidates) {
        if (value.includes("${{")) {
          // Values derived from inputs. or matrix. cannot be checked statically, except the
          // job's own environment name passed through.
          if (!/^\$\{\{\s*(job\.environment|github\.job)\b/.test(value)) unverifiable.push(value);
        } else targets.add(value);
      }
      for (const target of targets) {
        if (target !== environment) {
          findings.push({
            file,
            job: jobId,
            rule: "W008",
            message: `applies to ${target} but runs in environment "${environment}"; a ${target} apply must use environment: ${target}.`,
          });
        }
      }
      for (const value of unverifiable) {
        findings.push({ file, job: jobId, rule: "W008", message: `passes the target environment as ${value}, which cannot be verified against environment: ${environment}; pass the literal.` });
      }
      if (targets.size === 0 && unverifiable.length === 0) {
        findings.push({
          file,
          job: jobId,
          rule: "W008",
          message: "runs terraform apply without naming its target environment; name the job <env>-... or pass environment: <env> to the apply step.",
        });
      }
    }
  }

  // W009: no untrusted expression interpolated into a shell or a github-script script.
  for (const { file: at, step } of steps) {
    const withs = isObj(step["with"]) ? step["with"] : {};
    const script = usesAction(step, "actions/github-script") && typeof withs["script"] === "string" ? withs["script"] : null;
    for (const [where, text] of [["run:", runText(step)], ["the github-script script", script ?? ""]] as const) {
      for (const match of text.matchAll(UNTRUSTED)) {
        findings.push({
          file: at,
          job: jobId,
          rule: "W009",
          message: `interpolates ${match[1] ?? "an untrusted value"} into ${where}; pass it through env: and read the variable instead.`,
        });
      }
    }
  }

  // W010: checkout without persisted credentials.
  for (const { file: at, step } of steps) {
    if (!usesAction(step, "actions/checkout")) continue;
    const withs = isObj(step["with"]) ? step["with"] : {};
    if (withs["persist-credentials"] !== false) {
      findings.push({ file: at, job: jobId, rule: "W010", message: "checks out without persist-credentials: false; the token must not stay in .git/config." });
    }
  }
}

/** Checks one repository root: every workflow under .github/workflows and the local actions they use. */
export function checkRepository(root: string): Finding[] {
  const dir = join(root, ".github", "workflows");
  if (!existsSync(dir)) {
    return [{ file: relative(root, dir) || ".", job: null, rule: "W000", message: "does not exist; there are no workflows to check (pass the repository root)." }];
  }
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) return [{ file: relative(root, dir), job: null, rule: "W000", message: "holds no workflow; pass the repository root." }];
  const actions = new ActionResolver(root);
  const findings: Finding[] = [];
  const actionFiles = new Set<string>();
  for (const name of files) findings.push(...checkWorkflow(root, join(dir, name), actions, actionFiles));
  // Pins and secrets inside the local actions used by the workflows.
  for (const file of [...actionFiles].sort()) {
    const parsed = readYaml(root, join(root, file));
    if (!("data" in parsed)) continue;
    checkPins(parsed, () => null, findings);
    checkSecrets(parsed, () => null, findings);
  }
  return dedupe(findings);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = formatFinding(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkSecrets(parsed: Parsed, jobOf: (path: string[]) => string | null, findings: Finding[]): void {
  for (const { path, text } of strings(parsed.data)) {
    for (const match of text.matchAll(SECRET_REF)) {
      if (match[1] === "GITHUB_TOKEN") continue;
      findings.push({
        file: parsed.file,
        job: jobOf(path),
        rule: "W011",
        message: `reads secrets.${match[1] ?? ""}; use github.token, OIDC roles and repository variables instead of stored secrets.`,
      });
    }
  }
}

function checkWorkflow(root: string, absolute: string, actions: ActionResolver, actionFiles: Set<string>): Finding[] {
  const parsed = readYaml(root, absolute);
  if (!("data" in parsed)) return [parsed];
  const findings: Finding[] = [];
  const wf = parsed.data as Obj;
  const file = parsed.file;

  // W001
  if (triggers(wf["on"]).includes("pull_request_target")) {
    findings.push({ file, job: null, rule: "W001", message: "triggers on pull_request_target, which runs with a write token next to untrusted code; use pull_request." });
  }

  // W002 / W003 top level
  const top = wf["permissions"];
  checkPermissionsValue(file, null, top, findings);
  if (top === undefined) {
    findings.push({ file, job: null, rule: "W002", message: "has no top-level permissions:; set permissions: {} and grant scopes per job." });
  } else if (!isObj(top)) {
    if (top !== "write-all") findings.push({ file, job: null, rule: "W002", message: `sets top-level permissions: ${JSON.stringify(top)}; set permissions: {} and grant scopes per job.` });
  } else {
    for (const [scope, level] of Object.entries(top)) {
      if (level !== "read" && level !== "none") {
        findings.push({ file, job: null, rule: "W002", message: `grants ${scope}: ${typeof level === "string" ? level : JSON.stringify(level)} to every job at the top level; move it to the one job that needs it.` });
      }
    }
  }

  const jobs = wf["jobs"];
  if (!isObj(jobs) || Object.keys(jobs).length === 0) {
    findings.push({ file, job: null, rule: "W000", message: "has no jobs; a workflow needs a jobs: map." });
    return findings;
  }
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isObj(job)) {
      findings.push({ file, job: jobId, rule: "W000", message: "is not a mapping." });
      continue;
    }
    checkJob(parsed, jobId, job, actions, findings);
    for (const step of stepsOf(job["steps"])) collectLocalActions(usesOf(step), actions, actionFiles);
    if (job["secrets"] === "inherit") {
      findings.push({ file, job: jobId, rule: "W011", message: "passes secrets: inherit to a reusable workflow; pass nothing, or name what it needs." });
    }
  }

  const jobOffset = jobLocator(parsed.doc);
  checkPins(parsed, jobOffset, findings);
  checkSecrets(parsed, (path) => (path[0] === "jobs" && path[1] !== undefined ? path[1] : null), findings);
  return findings;
}

function collectLocalActions(uses: string | null, actions: ActionResolver, into: Set<string>): void {
  if (uses === null || !uses.startsWith("./")) return;
  const action = actions.load(uses);
  if (!("data" in action) || into.has(action.file)) return;
  into.add(action.file);
  const runs = isObj(action.data) ? action.data["runs"] : undefined;
  if (isObj(runs)) for (const step of stepsOf(runs["steps"])) collectLocalActions(usesOf(step), actions, into);
}
