/** Programmatic API of the baseplate CLI. */
export { main, resolveNow, type Io } from "./main.ts";
export { runCheck, checkStacks, declaredBeside, bundleCatalog, normalizeInputs, checkExitCode, finalizeReport, summarize, type CheckOptions, type NormalizedStack } from "./check.ts";
export { evaluateStack, formatMessage, compareFindings, type PolicyBundle } from "./engine.ts";
export { loadPolicyBundle } from "./bundle.ts";
export { loadInputs, readInput, type LoadedInput } from "./input/index.ts";
export { normalize, normalizeSynth, type NormalizedInput } from "./normalize.ts";
export { renderJson, renderTerminal, parseOutputSpecs, render } from "./reporters/index.ts";
export * from "./types.ts";
