/**
 * Evaluation cost grows linearly with the estate: copies of a real synthesized prod service
 * stack (test/fixtures/payments-api-prod.cdk.tf.json), normalized by the CLI's normalizer, at
 * 2,000 and 8,000 resources. A rule that scans every resource of a type for each resource
 * (quadratic) makes the 4x larger input cost about 16x; linear rules cost about 4x. Both the
 * WebAssembly memory the evaluation allocates (deterministic) and the time (best of three) are
 * checked, with bounds generous enough for a loaded machine and tight enough to fail on
 * quadratic behaviour.
 */
import { describe, expect, it } from "vitest";
import { bigInput } from "../scripts/big-input.ts";
import { evaluate, loadBundle, sizedFor, toArrayBuffer } from "../src/index.ts";

interface Measure {
  resources: number;
  ms: number;
  heapBytes: number;
  findings: number;
}

async function measure(resources: number): Promise<Measure> {
  const { input, resources: actual } = bigInput(resources);
  const bytes = toArrayBuffer(input);
  const { policy } = await loadBundle();
  let best = Number.POSITIVE_INFINITY;
  let findings = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    findings = evaluate(policy, bytes).length;
    best = Math.min(best, performance.now() - started);
  }
  const used = sizedFor(policy, bytes.byteLength);
  const exports = (used.wasmInstance as unknown as { exports: { opa_heap_ptr_get: () => number } }).exports;
  return { resources: actual, ms: best, heapBytes: exports.opa_heap_ptr_get(), findings };
}

describe("scaling", () => {
  it("evaluates 4x the resources for about 4x the memory and time, not 16x", async () => {
    const small = await measure(2_000);
    const large = await measure(8_000);
    const ratio = large.resources / small.resources;
    expect(ratio).toBeGreaterThan(3.5);
    // the stack is clean: no finding at either size (a rule that misreads the copies would report)
    expect(small.findings).toBe(0);
    expect(large.findings).toBe(0);
    const memory = large.heapBytes / small.heapBytes;
    const time = large.ms / small.ms;
    process.stdout.write(
      `scaling: ${small.resources} resources ${small.ms.toFixed(0)} ms ${(small.heapBytes / 2 ** 20).toFixed(0)} MiB; ` +
        `${large.resources} resources ${large.ms.toFixed(0)} ms ${(large.heapBytes / 2 ** 20).toFixed(0)} MiB; ` +
        `memory x${memory.toFixed(2)}, time x${time.toFixed(2)}\n`,
    );
    expect(memory).toBeLessThan(ratio * 1.25);
    expect(time).toBeLessThan(ratio * 2);
  }, 120_000);
});
