/**
 * Times the gate's phases on a synth output directory or plan files, in this process, through the
 * CLI's own library functions: read+parse (load), normalize, evaluate (policy.wasm), and the
 * catalog/finding step. Prints one JSON line:
 *
 *   {"resources":10004,"stacks":10,"load_ms":..,"normalize_ms":..,"evaluate_ms":..,"findings_ms":..,
 *    "bundle_ms":..,"total_ms":..,"max_rss_mb":..,"findings":..,"per_rule_ms":{...}?}
 *
 *   node tools/bench/phases.ts --synth-dir DIR | PATH... [--rules]
 *
 * `--rules` also times each rule alone (a bundle per rule package is not available, so this
 * evaluates the whole bundle on inputs holding only the resource types each rule reads).
 */
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { loadInputs, loadPolicyBundle, normalize } from "../cli/src/index.ts";
import { catalogIndex, evaluateStack, inputBytes } from "../cli/src/engine.ts";
import type { PolicyInput } from "../cli/src/types.ts";

const NOW = "2026-11-25T00:00:00Z";

export interface PhaseTimes {
  resources: number;
  stacks: number;
  bundle_ms: number;
  load_ms: number;
  normalize_ms: number;
  serialize_ms: number;
  evaluate_ms: number;
  findings_ms: number;
  total_ms: number;
  findings: number;
  max_rss_mb: number;
  per_type_ms?: Record<string, number>;
}

export async function measurePhases(paths: string[], synthDir: string | undefined, byType: boolean): Promise<PhaseTimes> {
  const t0 = performance.now();
  const bundle = await loadPolicyBundle();
  const t1 = performance.now();
  const loaded = loadInputs(paths, process.cwd(), synthDir);
  const t2 = performance.now();
  const inputs = loaded.map((input) => ({ file: input.file, input: normalize(input, { now: NOW, stack: null, environment: {} }) }));
  const t3 = performance.now();
  let serialize = 0;
  let evaluate = 0;
  let findingsCount = 0;
  const catalog = catalogIndex(bundle.rules);
  for (const { input } of inputs) {
    const s0 = performance.now();
    const bytes = inputBytes(input);
    const s1 = performance.now();
    bundle.evaluate(bytes);
    serialize += s1 - s0;
    evaluate += performance.now() - s1;
  }
  const t4 = performance.now();
  for (const { file, input } of inputs) findingsCount += evaluateStack(bundle, catalog, input, file).length;
  const t5 = performance.now();
  // evaluateStack evaluates again; its own share beyond evaluation is the catalog/finding step.
  const findingsMs = Math.max(0, t5 - t4 - evaluate - serialize);
  let resources = 0;
  for (const { input } of inputs) for (const list of Object.values(input.resources)) resources += list.length;

  let perType: Record<string, number> | undefined;
  if (byType) {
    perType = {};
    const types = new Set<string>();
    for (const { input } of inputs) for (const t of Object.keys(input.resources)) types.add(t);
    for (const type of [...types].sort()) {
      const start = performance.now();
      for (const { input } of inputs) {
        const only: PolicyInput = { ...input, resources: input.resources[type] === undefined ? {} : { [type]: input.resources[type] } };
        bundle.evaluate(inputBytes(only));
      }
      perType[type] = Math.round(performance.now() - start);
    }
    const start = performance.now();
    for (const { input } of inputs) bundle.evaluate(inputBytes({ ...input, resources: {} }));
    perType["(no resources)"] = Math.round(performance.now() - start);
  }
  return {
    resources,
    stacks: inputs.length,
    bundle_ms: Math.round(t1 - t0),
    load_ms: Math.round(t2 - t1),
    normalize_ms: Math.round(t3 - t2),
    serialize_ms: Math.round(serialize),
    evaluate_ms: Math.round(evaluate),
    findings_ms: Math.round(findingsMs),
    total_ms: Math.round(t3 - t0 + serialize + evaluate + findingsMs),
    findings: findingsCount,
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(perType === undefined ? {} : { per_type_ms: perType }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { "synth-dir": { type: "string" }, types: { type: "boolean" } },
    allowPositionals: true,
  });
  const result = await measurePhases(positionals, values["synth-dir"], values.types === true);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
