import { isAbsolute, relative, resolve } from "node:path";

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const abs = resolve(path);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}
