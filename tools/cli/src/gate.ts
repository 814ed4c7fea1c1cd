/**
 * What check, review and report need beyond synthesis: the policy engine, the input normalizer
 * and the reporters. main.ts imports this module only when one of those commands runs, so
 * `baseplate synth` does not load the WebAssembly runtime and the reporters it never uses.
 */
export { loadPolicyBundle } from "./bundle.ts";
export { bundleCatalog, checkExitCode, checkStacks, finalizeReport, normalizeInputs } from "./check.ts";
export { tierOf } from "@baseplate/policies/input";
export { parseOutputSpecs, render, useColor } from "./reporters/index.ts";
