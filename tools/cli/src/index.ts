/** Programmatic API of the baseplate CLI. */
export { main, resolveNow, type Io } from "./main.ts";
export { runCheck, normalizeInputs, evaluateStacks, finishReport, declaredBeside, bundleCatalog, checkExitCode, type CheckOptions, type CheckRun, type InputOptions, type NormalizedStack } from "./check.ts";
export { summarize, countFindings, findingStatus, type EvaluatedStack, type FindingStatus } from "./summary.ts";
export { evaluateStack, formatMessage, compareFindings, type PolicyBundle } from "./engine.ts";
export { loadPolicyBundle } from "./bundle.ts";
export { loadInputs, readInput, type LoadedInput } from "./input/index.ts";
export { normalize, normalizeSynth, type NormalizedInput } from "./normalize.ts";
export { renderJson, renderTerminal, parseOutputSpecs, render, renderReview, renderInventory } from "./reporters/index.ts";
export * from "./types.ts";
