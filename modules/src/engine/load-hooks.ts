import { registerHooks } from "node:module";
import { ENGINE_PACKAGES, EngineError } from "./packages.ts";

/**
 * The AWS provider, cdktf and constructs ship CommonJS `.js` files in packages whose package.json
 * has no `"type"` field. When such a file is `import`ed, Node cannot tell its format from the name,
 * so it reads the file and compiles it once just to look for ESM syntax, then compiles it again as
 * CommonJS. The provider's class files are large: that probe is several percent of a synthesis.
 *
 * `installCdktfLoadHooks()` tells Node the format of these three packages up front, through a
 * synchronous in-thread load hook (Node passes no format, or null, for such files), so each file
 * is compiled once.
 *
 * It also defers two start-up costs of cdktf, which requires these when it loads though only
 * rare paths call them: `archiver` (a zip library with about a hundred modules of dependencies,
 * whose only caller, zipping a TerraformAsset of type ARCHIVE, runs in a child process) and `semver` (used only to check the Terraform
 * binary's version for import and moved blocks). Those two requires, from those two cdktf files,
 * get a stand-in that loads the real module on first use (deferred/).
 *
 * Call it before the first import of any of these packages (the CLI's bin and the cdktf app entry
 * do). Every other module loads as before.
 *
 * Both rely on the engine's package names and on two files inside cdktf. The engine module
 * (./index.ts) calls {@link verifyLoadHooks} once cdktf has loaded: when the hooks were installed
 * but did not see cdktf load, or a deferred require was never made, it throws an EngineError
 * naming the internal that moved (docs/engine.md), instead of quietly costing start-up time.
 */

/** Packages known to publish only CommonJS `.js` files (no `"type"`, no ESM build). */
export const COMMONJS_PACKAGES: readonly string[] = [ENGINE_PACKAGES.provider, ENGINE_PACKAGES.core, ENGINE_PACKAGES.constructs];

const MARKERS = COMMONJS_PACKAGES.map((name) => `/node_modules/${name}/`);

/** Whether a module URL is a `.js` file inside one of COMMONJS_PACKAGES (and not a package nested below it). */
export function isKnownCommonJs(url: string): boolean {
  if (!url.startsWith("file:") || !url.endsWith(".js")) return false;
  const at = url.lastIndexOf("/node_modules/");
  if (at < 0) return false;
  return MARKERS.some((marker) => url.startsWith(marker, at));
}

/** One of cdktf's eager requires that gets a deferred stand-in. */
export interface DeferredRequire {
  /** The requiring file, inside the engine's core package. */
  readonly file: string;
  /** What it requires. */
  readonly specifier: string;
  /** The stand-in, in ./deferred/ (it names the same file). */
  readonly standIn: string;
}

/** cdktf's eager requires that get a deferred stand-in. */
export const DEFERRED_REQUIRES: readonly DeferredRequire[] = [
  { file: `${ENGINE_PACKAGES.core}/lib/private/fs.js`, specifier: "archiver", standIn: "archiver.cjs" },
  { file: `${ENGINE_PACKAGES.core}/lib/validations/validate-binary-version.js`, specifier: "semver", standIn: "semver.cjs" },
];

/** What the hooks did so far in this process: whether they are registered, which engine packages' entries they saw, which stand-ins they handed out. */
const activity = { registered: false, sawCore: false, standIns: new Set<string>() };

/** The stand-in's URL when `specifier` required from `parentURL` is one of the deferred requires, else null. */
export function deferredStandIn(specifier: string, parentURL: string | undefined): string | null {
  if (parentURL === undefined) return null;
  const entry = DEFERRED_REQUIRES.find((d) => d.specifier === specifier && parentURL.endsWith(`/node_modules/${d.file}`));
  return entry === undefined ? null : new URL(`./deferred/${entry.standIn}`, import.meta.url).href;
}

const CORE_MARKER = `/node_modules/${ENGINE_PACKAGES.core}/`;

/** Registers the load hook once per process; returns whether this call registered it. */
export function installCdktfLoadHooks(): boolean {
  if (activity.registered) return false;
  activity.registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const standIn = deferredStandIn(specifier, context.parentURL);
      if (standIn !== null) {
        activity.standIns.add(specifier);
        return { url: standIn, format: "commonjs", shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (!context.format && isKnownCommonJs(url)) {
        if (!activity.sawCore && url.includes(CORE_MARKER)) activity.sawCore = true;
        return nextLoad(url, { ...context, format: "commonjs" });
      }
      return nextLoad(url, context);
    },
  });
  return true;
}

/**
 * What did not take effect, given what the hooks did (`seen`), once the engine's core package
 * has loaded; empty when all did. Exported for tests; the engine module calls {@link verifyLoadHooks}.
 */
export function loadHookProblems(seen: { sawCore: boolean; standIns: ReadonlySet<string> }): string[] {
  const problems: string[] = [];
  if (!seen.sawCore) {
    problems.push(
      `the load hooks were installed but never saw a CommonJS file of '${ENGINE_PACKAGES.core}' load without a format ` +
        `(the package was loaded before the hooks, is no longer CommonJS without "type", or is not under node_modules/${ENGINE_PACKAGES.core}/)`,
    );
  }
  for (const d of DEFERRED_REQUIRES) {
    if (!seen.standIns.has(d.specifier)) {
      problems.push(`${d.file} no longer requires '${d.specifier}' when ${ENGINE_PACKAGES.core} loads (the deferred stand-in ${d.standIn} was never used)`);
    }
  }
  return problems;
}

/**
 * Throws an {@link EngineError} when the hooks were installed and did not take effect. Call it once
 * the engine's core package has loaded (the engine module does). Does nothing when the hooks
 * were not installed (tests, tools that do not synthesize).
 */
export function verifyLoadHooks(): void {
  if (!activity.registered) return;
  const problems = loadHookProblems(activity);
  if (problems.length > 0) {
    throw new EngineError(
      problems.join("; "),
      "call installCdktfLoadHooks() before anything imports the engine, and update COMMONJS_PACKAGES / DEFERRED_REQUIRES " +
        "in modules/src/engine/load-hooks.ts (and ./deferred/) to the installed engine; see docs/engine.md",
    );
  }
}
