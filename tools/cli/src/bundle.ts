import { DEFAULT_BUNDLE_DIR, evaluate, loadBundle } from "@baseplate/policies";
import { CliError, describeThrown } from "./errors.ts";
import type { PolicyBundle } from "./engine.ts";

export { DEFAULT_BUNDLE_DIR };

let cached: { dir: string; bundle: Promise<PolicyBundle> } | undefined;

/**
 * Loads the compiled policy bundle (policy.wasm, catalog.json, manifest.json) once per process and
 * directory. A missing or inconsistent bundle (sha256 mismatch, bad catalog, no entrypoint) is a
 * CliError (exit 2) carrying the loader's one-sentence explanation.
 */
export function loadPolicyBundle(dir: string = DEFAULT_BUNDLE_DIR): Promise<PolicyBundle> {
  if (cached?.dir === dir) return cached.bundle;
  const bundle = (async (): Promise<PolicyBundle> => {
    let loaded;
    try {
      loaded = await loadBundle(dir);
    } catch (thrown) {
      throw new CliError(describeThrown(thrown));
    }
    const policy = loaded.policy;
    return {
      sha256: loaded.sha256,
      opaVersion: loaded.manifest.opa_version,
      rules: loaded.catalog.rules,
      evaluate: (input: ArrayBuffer) => evaluate(policy, input),
    };
  })();
  cached = { dir, bundle };
  return bundle;
}
