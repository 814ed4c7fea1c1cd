import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CliError } from "../errors.ts";
import { safeText } from "../reporters/safe-text.ts";

/**
 * Largest input file read by default, in MiB. A plan of 10,000 resources in one stack is about
 * 14 MiB (its cdk.tf.json about 5 MiB), so this holds a 90,000-resource stack; a larger file is far
 * more likely a wrong file than a stack. `--max-input-mb` raises the limit.
 */
export const DEFAULT_MAX_INPUT_MB = 128;

export interface ReadLimits {
  /** Largest file read, in bytes (default DEFAULT_MAX_INPUT_MB MiB). */
  maxBytes?: number | undefined;
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** What a non-regular file is, for a message. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  if (stats.isDirectory()) return "a directory";
  return "not a regular file";
}

/**
 * The bytes of a regular file, refused at once when it is anything else (a FIFO, a device such as
 * /dev/zero, a socket) or larger than the limit. The file is opened without blocking, so a FIFO
 * with no writer cannot hang the gate, and its type and size are taken from the open descriptor.
 * `file` is the path as shown to people.
 */
export function readRegularFile(absolute: string, file: string, limits: ReadLimits = {}): Buffer {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_INPUT_MB * 1024 * 1024;
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw new CliError(`${file} is a directory; pass it as a directory argument.`);
    if (code === "ENOENT") throw new CliError(`${file} does not exist; pass a cdk.tf.json, a plan JSON file or a directory holding them.`);
    throw new CliError(`Cannot read ${file} (${code ?? "error"}); check that it exists and is readable.`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new CliError(`${file} is ${kindOf(stats)}, not a regular file; the gate reads only regular files. Write the stack or plan to a file and pass that.`);
    }
    if (stats.size > maxBytes) {
      throw new CliError(
        `${file} is ${megabytes(stats.size)}, over the ${megabytes(maxBytes)} input limit; no stack of this estate is that large, so check the file, or raise the limit with --max-input-mb ${Math.ceil(stats.size / (1024 * 1024)) + 1}.`,
      );
    }
    // Read what is there now, one byte past the size seen, so a file that grows while read is caught.
    const buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        throw new CliError(`${file} grew while it was read; write it completely before running the gate.`);
      }
    }
    return buffer.subarray(0, length);
  } catch (thrown) {
    if (thrown instanceof CliError) throw thrown;
    const code = (thrown as NodeJS.ErrnoException).code;
    throw new CliError(`Cannot read ${file} (${code ?? "error"}); check that it exists and is readable.`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The repository the gate runs in: the nearest directory at or above `cwd` holding `.git`, else
 * `cwd` itself. Symbolic links are followed only to targets inside it.
 */
export function repositoryRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return realpathOr(dir);
    const parent = dirname(dir);
    if (parent === dir) return realpathOr(resolve(cwd));
    dir = parent;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Where a symbolic link met while reading inputs leads, followed only when its target is inside the
 * repository; a link out of it, a dangling link or a loop is refused with a message (never skipped).
 * Returns the target's real path and its stats.
 */
export function followLink(absolute: string, shown: string, root: string): { real: string; stats: Stats } {
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    const why = code === "ELOOP" ? "a symbolic link loop" : code === "ENOENT" ? "a symbolic link to nothing" : `a symbolic link that cannot be followed (${code ?? "error"})`;
    throw new CliError(`${shown} is ${why}; replace it with the file or directory it should point to.`);
  }
  if (!inside(root, real)) {
    throw new CliError(
      `${shown} is a symbolic link to ${safeText(real)}, outside the repository ${safeText(root)}; the gate follows links only inside the repository. Copy the file in or pass its real path.`,
    );
  }
  return { real, stats: statSync(real) };
}

/** Whether the path is a symbolic link (false when it does not exist). */
export function isSymlink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}
