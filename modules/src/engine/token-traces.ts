import { createRequire } from "node:module";

/**
 * cdktf records where every token was created (a full stack trace, formatted to strings at once)
 * so that a resolution error can say "Object creation stack: ...". Building the estate creates
 * thousands of tokens and only a failing synthesis ever reads one of those traces, yet formatting
 * them is about a tenth of a whole `baseplate synth`.
 *
 * `deferTokenTraces()` keeps the same traces but formats each only when it is read: the frames
 * are captured exactly as before (same depth, same frames hidden), and the token's
 * `creationStack` turns into the same array of `file:line` strings on first use. Errors therefore
 * read exactly as they did. Idempotent; returns false (and changes nothing) when the installed
 * cdktf no longer has the function this replaces, so an upgrade costs speed, never correctness.
 */

const require = createRequire(import.meta.url);
const STACK_TRACE_MODULE = "cdktf/lib/tokens/private/stack-trace.js";

type Capture = (below?: (...args: never[]) => unknown) => string[];
interface StackTraceModule {
  captureStackTrace: Capture;
}

let installed = false;

function isStackTraceModule(value: unknown): value is StackTraceModule {
  return typeof value === "object" && value !== null && typeof (value as { captureStackTrace?: unknown }).captureStackTrace === "function";
}

/** Trace lines as cdktf writes them: the first line ("Error") dropped, each "at " prefix removed. */
function frames(stack: unknown): string[] {
  if (typeof stack !== "string" || stack === "") return [];
  return stack
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/^\s*at\s+/, ""));
}

/** An array whose elements are computed on first access of anything on it. */
function lazyArray(compute: () => string[]): string[] {
  let value: string[] | undefined;
  const get = (): string[] => (value ??= compute());
  return new Proxy<string[]>([], {
    get(_target, key) {
      const array = get();
      const member: unknown = Reflect.get(array, key, array);
      return typeof member === "function" ? (member as (...a: unknown[]) => unknown).bind(array) : member;
    },
    has: (_target, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
      // The proxy target's own `length` is non-configurable: report it as the target has it.
      return key === "length" && descriptor !== undefined ? { ...descriptor, configurable: false } : descriptor;
    },
  });
}

/** Replaces cdktf's token stack-trace capture with one that formats on demand. */
export function deferTokenTraces(): boolean {
  if (installed) return true;
  let mod: unknown;
  try {
    mod = require(STACK_TRACE_MODULE);
  } catch {
    return false;
  }
  if (!isStackTraceModule(mod)) return false;
  const deferred: Capture = function captureStackTrace(below) {
    const holder: { stack?: unknown } = {};
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(holder, below ?? captureStackTrace);
    } finally {
      Error.stackTraceLimit = limit;
    }
    return lazyArray(() => frames(holder.stack));
  };
  mod.captureStackTrace = deferred;
  installed = true;
  return true;
}
