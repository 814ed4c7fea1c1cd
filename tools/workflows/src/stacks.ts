/**
 * Which stacks a workflow works on, and in which order: the matrices of the plan, apply and drift
 * workflows. Stacks come from `baseplate synth --list` (`name<TAB>environment<TAB>tier` lines);
 * the selection is the stacks synthesized under `cdktf.out/stacks/<stack>/cdk.tf.json`.
 *
 * Order: environments dev -> stage -> prod; within one, platform -> network -> services.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const ENVIRONMENT_ORDER = ["dev", "stage", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_ORDER)[number];
export const LAYER_ORDER = ["platform", "network", "services"] as const;
export type Layer = (typeof LAYER_ORDER)[number];

export interface StackInfo {
  name: string;
  environment: string;
  tier: string;
}

/** One matrix entry of a workflow job. */
export interface StackEntry {
  stack: string;
  environment: EnvironmentName;
  layer: Layer;
  /** Tier of the environment (dev, stage, prod): the baselines and the approvals follow it. */
  tier: string;
  /** Upper-case environment, for repository variable names such as BASEPLATE_PLAN_ROLE_ARN_PROD. */
  env_key: string;
}

export class StackListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackListError";
  }
}

/** The layer of a stack, from its name: `platform-<env>`, `network-<env>`, anything else is a service. */
export function layerOf(stack: string): Layer {
  if (stack.startsWith("platform-")) return "platform";
  if (stack.startsWith("network-")) return "network";
  return "services";
}

/** Parses `baseplate synth --list` output; `source` names the input in errors. */
export function parseStackList(text: string, source: string): StackInfo[] {
  const stacks: StackInfo[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const [name, environment, tier, ...rest] = line.split("\t");
    if (name === undefined || environment === undefined || tier === undefined || rest.length > 0 || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new StackListError(
        `${source}:${index + 1}: expected "stack<TAB>environment<TAB>tier" as printed by 'baseplate synth --list', found ${JSON.stringify(line)}.`,
      );
    }
    stacks.push({ name, environment, tier });
  });
  return stacks;
}

function environmentIndex(stack: StackInfo): number {
  const index = (ENVIRONMENT_ORDER as readonly string[]).indexOf(stack.environment);
  if (index < 0) {
    throw new StackListError(
      `Stack ${stack.name} is in environment "${stack.environment}", which the workflows do not deploy (known: ${ENVIRONMENT_ORDER.join(", ")}); add its jobs to .github/workflows/apply.yml and the list in tools/workflows/src/stacks.ts.`,
    );
  }
  return index;
}

/** Stacks in deployment order: dev -> stage -> prod, platform -> network -> services, then by name. */
export function orderStacks(stacks: readonly StackInfo[]): StackEntry[] {
  return stacks
    .map((s) => ({ s, env: environmentIndex(s), layer: LAYER_ORDER.indexOf(layerOf(s.name)) }))
    .sort((a, b) => a.env - b.env || a.layer - b.layer || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0))
    .map(({ s }) => ({
      stack: s.name,
      environment: s.environment as EnvironmentName,
      layer: layerOf(s.name),
      tier: s.tier,
      env_key: s.environment.toUpperCase(),
    }));
}

/** Stack names synthesized under `<synthDir>/stacks/<stack>/cdk.tf.json`. */
export function synthesizedStacks(synthDir: string): string[] {
  const dir = join(synthDir, "stacks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "cdk.tf.json")))
    .map((d) => d.name)
    .sort();
}

/** The listed stacks restricted to `names`; a name that is not listed is an error. */
export function selectStacks(all: readonly StackInfo[], names: readonly string[]): StackInfo[] {
  const known = new Map(all.map((s) => [s.name, s]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new StackListError(`Synthesized stack ${unknown.join(", ")} is not in the stack list; run 'baseplate synth --list' from the same checkout.`);
  }
  return names.map((n) => known.get(n) as StackInfo);
}

/**
 * The workflow outputs: `stacks` (every selected stack, ordered) and one `<env>_<layer>` list per
 * apply job, each a JSON array (possibly empty) of matrix entries.
 */
export function workflowOutputs(entries: readonly StackEntry[]): Record<string, string> {
  const outputs: Record<string, string> = { stacks: JSON.stringify(entries), count: String(entries.length) };
  for (const env of ENVIRONMENT_ORDER) {
    for (const layer of LAYER_ORDER) {
      outputs[`${env}_${layer}`] = JSON.stringify(entries.filter((e) => e.environment === env && e.layer === layer));
    }
  }
  return outputs;
}
