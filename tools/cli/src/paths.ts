import { isAbsolute, relative, resolve } from "node:path";
import { safeText } from "./reporters/safe-text.ts";

/**
 * A path as shown to people: relative to `cwd` (default: the working directory) when it lies
 * inside it, else absolute; a relative `path` is taken from `cwd`. File names are
 * attacker-controlled (a pull request can add any), so control characters are escaped and a name
 * cannot start a workflow command.
 */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  return safeText(rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute);
}
