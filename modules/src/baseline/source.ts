import { existsSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Records where a construct was declared (`file.ts:line`, relative to the repository root), so
 * reports can point a finding at the line a person wrote. Frames inside Baseplate's own
 * modules, cdktf, constructs and Node are skipped.
 */

const modulesDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
let rootCache: string | undefined;

function repositoryRoot(): string {
  if (rootCache !== undefined) return rootCache;
  let dir = modulesDir;
  for (;;) {
    if (existsSync(resolve(dir, "nx.json"))) break;
    const parent = dirname(dir);
    if (parent === dir) {
      dir = process.cwd();
      break;
    }
    dir = parent;
  }
  rootCache = dir;
  return dir;
}

const FRAME = /\(?((?:file:\/\/)?\/[^():]+\.[cm]?[jt]s):(\d+):\d+\)?$/;

/** The first stack frame outside Baseplate's modules and dependencies, or null. */
export function callerLocation(): string | null {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  Error.captureStackTrace(holder, callerLocation);
  Error.stackTraceLimit = limit;
  const lines = (holder.stack ?? "").split("\n").slice(1);
  for (const line of lines) {
    const m = FRAME.exec(line.trim());
    if (!m || m[1] === undefined) continue;
    const file = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    if (file.includes(`${sep}node_modules${sep}`)) continue;
    if (file.startsWith(modulesDir + sep + "src" + sep) && !file.endsWith(".test.ts")) continue;
    return `${relative(repositoryRoot(), file).split(sep).join("/")}:${m[2]}`;
  }
  return null;
}
