import { createRequire } from "node:module";
import { Lazy } from "cdktf";
import { ENGINE_PACKAGES, EngineError } from "./packages.ts";

/**
 * cdktf records where every token was created (a full stack trace, formatted to strings at once)
 * so that a resolution error can say "Object creation stack: ...". Building the estate creates
 * thousands of tokens and only a failing synthesis ever reads one of those traces, yet formatting
 * them is about a tenth of a whole `baseplate synth`.
 *
 * `deferTokenTraces()` keeps the same traces but formats each only when it is read: the frames
 * are captured exactly as before (same depth, same frames hidden), and the token's
 * `creationStack` turns into the same array of `file:line` strings on first use. Errors therefore
 * read exactly as they did. Idempotent. It relies on an internal of cdktf (the module below and
 * its `captureStackTrace` export, called through the export by cdktf's tokens); when that has
 * moved, or the replacement is not called when a token is created, it throws an
 * {@link EngineError} naming the internal, rather than quietly costing the speed (docs/engine.md).
 */

const require = createRequire(import.meta.url);
/** The internal this patch replaces a function of. */
export const STACK_TRACE_MODULE = `${ENGINE_PACKAGES.core}/lib/tokens/private/stack-trace.js`;
const FIX =
  "find where the installed engine now captures token creation stacks and update modules/src/engine/token-traces.ts, " +
  "or remove the deferTokenTraces() call (stacks/src/app.ts) and accept slower synthesis; see docs/engine.md";

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

/**
 * Replaces `mod.captureStackTrace` with the deferred capture, then runs `createToken` (which must
 * make the engine capture a creation stack) and checks that the replacement ran. Throws an
 * {@link EngineError} naming {@link STACK_TRACE_MODULE} when `mod` has no such export or the
 * engine did not call it. Exported for tests; use {@link deferTokenTraces}.
 */
export function patchStackTraceModule(mod: unknown, createToken: () => unknown): void {
  if (!isStackTraceModule(mod)) {
    throw new EngineError(`${STACK_TRACE_MODULE} no longer exports a function captureStackTrace (the token-trace deferral relies on it)`, FIX);
  }
  let calls = 0;
  const deferred: Capture = function captureStackTrace(below) {
    calls++;
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
  const original = mod.captureStackTrace;
  mod.captureStackTrace = deferred;
  createToken();
  if (calls === 0) {
    mod.captureStackTrace = original;
    throw new EngineError(`creating a token no longer calls captureStackTrace of ${STACK_TRACE_MODULE}, so the token-trace deferral took no effect`, FIX);
  }
}

/** Replaces cdktf's token stack-trace capture with one that formats on demand; true once installed. */
export function deferTokenTraces(): boolean {
  if (installed) return true;
  let mod: unknown;
  try {
    mod = require(STACK_TRACE_MODULE);
  } catch (error) {
    throw new EngineError(`${STACK_TRACE_MODULE} cannot be loaded (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`, FIX);
  }
  patchStackTraceModule(mod, () => Lazy.anyValue({ produce: () => null }));
  installed = true;
  return true;
}
