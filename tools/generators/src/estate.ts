// The estate as the generators see it: every environment config in the workspace tree, read
// from its literal, plus the registry that lists them.
import type { Tree } from "@nx/devkit";
import { ENVIRONMENTS_DIR, ORG_FILE, REGISTRY_FILE, configFile } from "./templates.ts";
import { GeneratorError, readConstObject, readEnvironmentConfig, readRegistry, type Literal, type RegistryEntry } from "./source.ts";

/** One environment of the workspace. */
export interface EstateEnvironment {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly config: { [key: string]: Literal };
}

/** The estate read from a workspace tree. */
export interface Estate {
  readonly org: { [key: string]: Literal };
  readonly environments: readonly EstateEnvironment[];
  readonly registry: { readonly text: string; readonly entries: readonly RegistryEntry[] };
}

/** The text of a workspace file, or a clear error naming it. */
export function readText(tree: Tree, file: string): string {
  const text = tree.read(file, "utf-8");
  if (text === null) throw new GeneratorError(`${file} does not exist; run the generator at the root of the Baseplate workspace.`);
  return text;
}

/** Reads every environment under stacks/environments/ and the registry. */
export function readEstate(tree: Tree): Estate {
  const org = readConstObject(ORG_FILE, readText(tree, ORG_FILE), "ORG");
  const registryText = readText(tree, REGISTRY_FILE);
  const entries = readRegistry(REGISTRY_FILE, registryText);
  const environments = tree
    .children(ENVIRONMENTS_DIR)
    .filter((name) => tree.exists(configFile(name)))
    .sort()
    .map((name) => {
      const file = configFile(name);
      const text = readText(tree, file);
      return { name, file, text, config: readEnvironmentConfig(file, text, org) };
    });
  for (const env of environments) {
    if (!entries.some((e) => e.specifier === `../../environments/${env.name}/config.ts`)) {
      throw new GeneratorError(`${env.file} is not registered in ${REGISTRY_FILE}; import it there and add it to ENVIRONMENTS.`);
    }
    if (env.config["name"] !== env.name) {
      throw new GeneratorError(`${env.file}: the environment's name ${JSON.stringify(env.config["name"])} differs from its directory '${env.name}'; keep them equal.`);
    }
  }
  return { org, environments, registry: { text: registryText, entries } };
}

/** Stack names of an environment config literal, as the stacks app derives them. */
export function stackNamesOf(config: { [key: string]: Literal }): string[] {
  const env = typeof config["name"] === "string" ? config["name"] : "";
  const services = Array.isArray(config["services"]) ? config["services"] : [];
  return [
    `platform-${env}`,
    `network-${env}`,
    ...services.flatMap((s) => (typeof s === "object" && s !== null && !Array.isArray(s) && typeof s["name"] === "string" ? [`${s["name"]}-${env}`] : [])),
  ];
}

/** Formats problems as one error message. */
export function problemsError(where: string, problems: readonly string[]): GeneratorError {
  return new GeneratorError(`${where}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}
