import { registerHooks } from "node:module";

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
 */

/** Packages known to publish only CommonJS `.js` files (no `"type"`, no ESM build). */
export const COMMONJS_PACKAGES: readonly string[] = ["@cdktf/provider-aws", "cdktf", "constructs"];

const MARKERS = COMMONJS_PACKAGES.map((name) => `/node_modules/${name}/`);

/** Whether a module URL is a `.js` file inside one of COMMONJS_PACKAGES (and not a package nested below it). */
export function isKnownCommonJs(url: string): boolean {
  if (!url.startsWith("file:") || !url.endsWith(".js")) return false;
  const at = url.lastIndexOf("/node_modules/");
  if (at < 0) return false;
  return MARKERS.some((marker) => url.startsWith(marker, at));
}

/** cdktf's eager requires that get a deferred stand-in: the requiring file, the specifier, the stand-in. */
const DEFERRED: readonly { from: RegExp; specifier: string; standIn: string }[] = [
  { from: /\/node_modules\/cdktf\/lib\/private\/fs\.js$/, specifier: "archiver", standIn: "archiver.cjs" },
  { from: /\/node_modules\/cdktf\/lib\/validations\/validate-binary-version\.js$/, specifier: "semver", standIn: "semver.cjs" },
];

/** The stand-in's URL when `specifier` required from `parentURL` is one of the deferred requires, else null. */
export function deferredStandIn(specifier: string, parentURL: string | undefined): string | null {
  if (parentURL === undefined) return null;
  const entry = DEFERRED.find((d) => d.specifier === specifier && d.from.test(parentURL));
  return entry === undefined ? null : new URL(`./deferred/${entry.standIn}`, import.meta.url).href;
}

let registered = false;

/** Registers the load hook once per process; returns whether this call registered it. */
export function installCdktfLoadHooks(): boolean {
  if (registered) return false;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const standIn = deferredStandIn(specifier, context.parentURL);
      if (standIn !== null) return { url: standIn, format: "commonjs", shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (!context.format && isKnownCommonJs(url)) {
        return nextLoad(url, { ...context, format: "commonjs" });
      }
      return nextLoad(url, context);
    },
  });
  return true;
}
