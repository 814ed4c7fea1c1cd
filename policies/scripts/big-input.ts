/**
 * Builds large, realistic policy inputs for scaling measurements: copies of one synthesized stack
 * (cdk.tf.json), each copy with its own logical ids, references and resource names, normalized by
 * the policy input normalizer exactly as `baseplate check` does.
 *
 *   node policies/scripts/big-input.ts --resources 10000 --out /tmp/big.json [--from <cdk.tf.json>] [--synth]
 *
 * `--synth` writes the replicated cdk.tf.json (for a whole `baseplate check` run) instead of the
 * normalized policy input.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { normalizeSynth, type NormalizedInput } from "../src/input/index.ts";
import { isObject } from "../src/input/common.ts";

type Json = Record<string, unknown>;

/** A synthesized prod service stack of the example estate (72 resources). */
export const DEFAULT_STACK = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "payments-api-prod.cdk.tf.json");

const NOW = "2026-11-24T00:00:00Z";


function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Number of resources (managed and data) in a cdk.tf.json document. */
export function countResources(doc: Json): number {
  let n = 0;
  for (const mode of ["resource", "data"]) {
    const block = doc[mode];
    if (!isObject(block)) continue;
    for (const byName of Object.values(block)) if (isObject(byName)) n += Object.keys(byName).length;
  }
  return n;
}

/**
 * `copies` copies of the stack's resources in one document. Copy i renames every logical id
 * (`<id>_c<i>`, references included) and the service name in literal values (`payments-api` ->
 * `payments-api-c<i>`), so bucket, role and group names stay unique, as in a real estate.
 */
export function replicate(doc: Json, copies: number, service = "payments-api"): Json {
  const ids = new Set<string>();
  for (const mode of ["resource", "data"]) {
    const block = doc[mode];
    if (!isObject(block)) continue;
    for (const byName of Object.values(block)) if (isObject(byName)) for (const id of Object.keys(byName)) ids.add(id);
  }
  const idPattern = new RegExp(`(?<=\\.)(${[...ids].sort((a, b) => b.length - a.length).map(escape).join("|")})(?![A-Za-z0-9_-])`, "g");
  const servicePattern = new RegExp(escape(service), "g");
  const out: Json = { ...doc };
  for (const mode of ["resource", "data"]) {
    const block = doc[mode];
    if (!isObject(block)) continue;
    const merged: Record<string, Json> = {};
    for (const [type, byName] of Object.entries(block)) {
      if (!isObject(byName)) continue;
      const target: Json = (merged[type] = {});
      for (let i = 0; i < copies; i++) {
        for (const [id, config] of Object.entries(byName)) {
          const text = JSON.stringify(config)
            .replace(idPattern, (m) => `${m}_c${i}`)
            .replace(servicePattern, `${service}-c${i}`);
          target[`${id}_c${i}`] = JSON.parse(text) as unknown;
        }
      }
    }
    out[mode] = merged;
  }
  return out;
}

/** A normalized policy input of about `resources` resources (whole copies of the stack). */
export function bigInput(resources: number, from: string = DEFAULT_STACK): { input: NormalizedInput; resources: number } {
  const doc = JSON.parse(readFileSync(from, "utf8")) as Json;
  const copies = Math.max(1, Math.round(resources / countResources(doc)));
  const big = replicate(doc, copies);
  return { input: normalizeSynth(big, { now: NOW }), resources: countResources(big) };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      resources: { type: "string", default: "1000" },
      out: { type: "string" },
      from: { type: "string", default: DEFAULT_STACK },
      synth: { type: "boolean", default: false },
    },
  });
  const wanted = Number(values.resources);
  if (!Number.isInteger(wanted) || wanted < 1 || values.out === undefined) {
    throw new Error("Usage: node policies/scripts/big-input.ts --resources <n> --out <file> [--from <cdk.tf.json>] [--synth]");
  }
  const doc = JSON.parse(readFileSync(values.from, "utf8")) as Json;
  const big = replicate(doc, Math.max(1, Math.round(wanted / countResources(doc))));
  const output = values.synth ? big : normalizeSynth(big, { now: NOW });
  writeFileSync(values.out, JSON.stringify(output));
  process.stdout.write(`${values.out}: ${countResources(big)} resources\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
