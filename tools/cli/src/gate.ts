/**
 * What check, review and report need beyond synthesis: the check runner (read, normalize,
 * evaluate, waive, summarize) and the reporters. main.ts imports this module only when one of
 * those commands runs, so `baseplate synth` does not load the WebAssembly runtime and the
 * reporters it never uses.
 */
export { checkExitCode, normalizeInputs, runCheck } from "./check.ts";
export { tierOf } from "@baseplate/policies/input";
export { parseOutputSpecs, render, renderInventory, renderReview, useColor } from "./reporters/index.ts";
