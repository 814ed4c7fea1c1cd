import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { App, deferTokenTraces, type BaselineStack, type Tier } from "@baseplate/modules";
import { ENVIRONMENTS, type Environment, type ServiceConfig } from "./environments/index.ts";
import { NetworkStack } from "./stacks/network.ts";
import { PlatformStack } from "./stacks/platform.ts";
import { ServiceStack } from "./stacks/service.ts";

/** What kind of stack: shared per account, shared per environment, or one service. */
export type StackKind = "platform" | "network" | "service";

/** One stack of the estate. Names are deterministic: `platform-<env>`, `network-<env>`, `<service>-<env>`. */
export interface StackDefinition {
  readonly name: string;
  readonly environment: string;
  readonly tier: Tier;
  readonly kind: StackKind;
  /** Stacks that must be applied first. */
  readonly dependsOn: readonly string[];
  /** Source files (relative to the repository root) whose change can change this stack. */
  readonly inputs: readonly string[];
  readonly build: (app: App) => BaselineStack;
}

/** Where each environment's config lives, relative to the repository root (one Nx project each). */
export const ENVIRONMENTS_DIR = "stacks/environments";

/** The config file of an environment, relative to the repository root. */
export function environmentConfigFile(name: string): string {
  return `${ENVIRONMENTS_DIR}/${name}/config.ts`;
}

/** Every stack of the estate, in apply order (platform, network, services; dev before prod). */
export function stackDefinitions(environments: readonly Environment[] = ENVIRONMENTS): StackDefinition[] {
  const defs: StackDefinition[] = [];
  const platformOfAccount = new Map<string, string>();
  for (const env of environments) {
    const envFile = environmentConfigFile(env.name);
    let platform = platformOfAccount.get(env.account);
    if (platform === undefined) {
      platform = `platform-${env.name}`;
      platformOfAccount.set(env.account, platform);
      const sharing = environments.filter((e) => e.account === env.account);
      defs.push({
        name: platform,
        environment: env.name,
        tier: env.tier,
        kind: "platform",
        dependsOn: [],
        inputs: [...sharing.map((e) => environmentConfigFile(e.name)), "stacks/src/stacks/platform.ts"],
        build: (app) => new PlatformStack(app, platform!, { environment: env, environments: sharing }),
      });
    }
    const network = `network-${env.name}`;
    defs.push({
      name: network,
      environment: env.name,
      tier: env.tier,
      kind: "network",
      dependsOn: [platform],
      inputs: [envFile, "stacks/src/stacks/network.ts"],
      build: (app) => new NetworkStack(app, network, { environment: env }),
    });
    for (const service of env.services) {
      const name = `${service.name}-${env.name}`;
      defs.push({
        name,
        environment: env.name,
        tier: env.tier,
        kind: "service",
        dependsOn: [platform, network],
        inputs: [envFile, "stacks/src/stacks/service.ts"],
        build: (app) => new ServiceStack(app, name, { environment: env, service: service satisfies ServiceConfig }),
      });
    }
  }
  return defs;
}

/** The estate's stacks without their builders: name, environment, tier, kind, dependencies. */
export function listStacks(environments: readonly Environment[] = ENVIRONMENTS): Omit<StackDefinition, "build">[] {
  return stackDefinitions(environments).map(({ build: _build, ...rest }) => rest);
}

/**
 * Adds the selected stacks (all when `select` is empty) to `app`. Unknown names fail with the
 * list of known ones. Token creation traces are formatted only if an error reads them
 * (`deferTokenTraces`).
 */
export function buildApp(app: App, select: readonly string[] = [], environments: readonly Environment[] = ENVIRONMENTS): BaselineStack[] {
  deferTokenTraces();
  const defs = stackDefinitions(environments);
  const known = new Set(defs.map((d) => d.name));
  const unknown = select.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new Error(`unknown stack(s): ${unknown.join(", ")}. Known stacks: ${[...known].join(", ")}`);
  }
  const wanted = select.length === 0 ? defs : defs.filter((d) => select.includes(d.name));
  return wanted.map((d) => d.build(app));
}

/** Result of an in-process synthesis. */
export interface SynthResult {
  readonly outdir: string;
  readonly stacks: { readonly name: string; readonly file: string }[];
}

/**
 * Synthesizes the selected stacks (all by default) to `outdir` in this process. `environments`
 * replaces the estate's environments (tests, and comparing a changed config with the committed one).
 */
export function synthesize(opts: { outdir: string; stacks?: readonly string[]; environments?: readonly Environment[] }): SynthResult {
  const outdir = resolve(opts.outdir);
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, skipValidation: false, skipBackendValidation: true });
  const built = buildApp(app, opts.stacks ?? [], opts.environments ?? ENVIRONMENTS);
  app.synth();
  return {
    outdir,
    stacks: built.map((s) => ({ name: s.node.id, file: relative(process.cwd(), join(outdir, "stacks", s.node.id, "cdk.tf.json")) })),
  };
}
