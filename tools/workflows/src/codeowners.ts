/**
 * A strict reader of `.github/CODEOWNERS` for the patterns this repository uses: `*`, and paths
 * anchored at the root (`/dir/` for a directory, `/path/file` for a file). Any other pattern is
 * refused, so a test never silently misreads ownership. The last matching rule wins, as on GitHub.
 */
export interface OwnerRule {
  pattern: string;
  owners: string[];
  line: number;
}

export class CodeownersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodeownersError";
  }
}

export function parseCodeowners(text: string, source: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern === undefined || owners.length === 0) {
      throw new CodeownersError(`${source}:${index + 1}: "${raw.trim()}" names no owner; write "<pattern> @org/team".`);
    }
    if (pattern !== "*" && !/^\/[^*?[\]!]+$/.test(pattern)) {
      throw new CodeownersError(`${source}:${index + 1}: pattern "${pattern}" is not "*" or a root-anchored path; use /dir/ or /path/file.`);
    }
    for (const owner of owners) {
      if (!/^@[\w.-]+(\/[\w.-]+)?$/.test(owner)) throw new CodeownersError(`${source}:${index + 1}: "${owner}" is not an @user or @org/team.`);
    }
    rules.push({ pattern, owners, line: index + 1 });
  });
  return rules;
}

function matches(pattern: string, path: string): boolean {
  if (pattern === "*") return true;
  const anchored = pattern.slice(1);
  if (anchored.endsWith("/")) return path.startsWith(anchored);
  return path === anchored || path.startsWith(`${anchored}/`);
}

/** Owners of a repository-relative path: the last matching rule's, or [] when none matches. */
export function ownersOf(rules: readonly OwnerRule[], path: string): string[] {
  let owners: string[] = [];
  for (const rule of rules) if (matches(rule.pattern, path)) owners = rule.owners;
  return owners;
}
