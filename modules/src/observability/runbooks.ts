import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runbooks live in `docs/runbooks/<slug>.md` at the repository root (the directory holding
 * `nx.json`). Alarms name a slug; synthesis fails when its file does not exist.
 */

/** Slug shape: lowercase words joined by hyphens, e.g. `certificate-expiry`. */
export const RUNBOOK_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Runbook directory relative to the repository root. */
export const RUNBOOK_DIR = "docs/runbooks";

const moduleDir = dirname(fileURLToPath(import.meta.url));
const rootCache = new Map<string, string | null>();

function walkUp(start: string): string | null {
  const cached = rootCache.get(start);
  if (cached !== undefined) return cached;
  let dir = resolve(start);
  let found: string | null = null;
  for (;;) {
    if (existsSync(join(dir, "nx.json"))) {
      found = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  rootCache.set(start, found);
  return found;
}

/**
 * The repository root: the nearest ancestor of the working directory holding `nx.json`, else the
 * nearest ancestor of this module's directory; null when neither has one.
 */
export function findRepositoryRoot(start: string = process.cwd()): string | null {
  return walkUp(start) ?? walkUp(moduleDir);
}

/** Repository-relative path of a runbook, e.g. `docs/runbooks/certificate-expiry.md`. */
export function runbookPath(slug: string): string {
  return `${RUNBOOK_DIR}/${slug}.md`;
}

/**
 * Checks a runbook slug; returns `[problem, fix]` or null when the slug is well formed and its
 * file exists under `root`.
 */
export function runbookProblem(slug: string, root: string | null = findRepositoryRoot()): [string, string] | null {
  if (!RUNBOOK_SLUG.test(slug)) {
    return [`runbook slug '${slug}' is malformed`, "use lowercase words joined by hyphens, e.g. 'certificate-expiry'"];
  }
  if (root === null) {
    return [
      `cannot check runbook '${slug}': no repository root (a directory with nx.json) above ${process.cwd()}`,
      "run synthesis from inside the repository",
    ];
  }
  const file = join(root, RUNBOOK_DIR, `${slug}.md`);
  if (!existsSync(file)) {
    return [
      `runbook ${runbookPath(slug)} does not exist`,
      `create ${runbookPath(slug)} from the template in ${RUNBOOK_DIR}/README.md (Symptoms, Triage, Escalation, Rollback), or name an existing runbook`,
    ];
  }
  return null;
}
