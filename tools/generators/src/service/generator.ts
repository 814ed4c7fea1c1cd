import type { Tree } from "@nx/devkit";
import { environmentConfigProblems } from "../../../../stacks/src/environments/define.ts";
import { problemsError, readEstate, stackNamesOf } from "../estate.ts";
import { GeneratorError, addServiceToConfig, type Literal } from "../source.ts";

/** Options of `nx g @baseplate/generators:service` (see schema.json). */
export interface ServiceGeneratorOptions {
  name: string;
  environment: string;
  owner: string;
  costCenter: string;
  dataClassification?: string;
  image: string;
  domain?: string;
  database?: boolean;
}

/**
 * Adds a service to an environment's config. The whole resulting config is validated with the
 * environment schema (`environmentConfigProblems`) before anything is written, and the new stack
 * name must be unique in the estate.
 */
export function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): () => void {
  const estate = readEstate(tree);
  const env = estate.environments.find((e) => e.name === options.environment);
  if (env === undefined) {
    throw new GeneratorError(
      `environment '${options.environment}' does not exist; use one of ${estate.environments.map((e) => e.name).join(", ") || "(none)"}, or add it with 'nx g @baseplate/generators:environment'.`,
    );
  }
  const dns = env.config["dns"];
  const zone = typeof dns === "object" && dns !== null && !Array.isArray(dns) && typeof dns["zoneName"] === "string" ? dns["zoneName"] : "";
  const service: { [key: string]: Literal } = {
    name: options.name,
    owner: options.owner,
    costCenter: options.costCenter,
    dataClassification: options.dataClassification ?? "internal",
    image: options.image,
    domainName: options.domain ?? `${options.name}.${zone}`,
  };
  if (options.database === false) service["database"] = false;
  const services = Array.isArray(env.config["services"]) ? env.config["services"] : [];
  const problems = environmentConfigProblems({ ...env.config, services: [...services, service] });
  if (problems.length > 0) throw problemsError(`cannot add service '${options.name}' to ${env.file}`, problems);

  const stack = `${options.name}-${env.name}`;
  const clash = estate.environments.find((e) => e.name !== env.name && stackNamesOf(e.config).includes(stack));
  if (clash !== undefined) {
    throw new GeneratorError(`the stack name '${stack}' is already used in environment '${clash.name}'; choose another service name.`);
  }

  tree.write(env.file, addServiceToConfig(env.file, env.text, service));
  return () => {
    process.stdout.write(
      [
        `Added service '${options.name}' to ${env.file}: its stack is ${stack}.`,
        "Next:",
        `  npx baseplate synth ${stack} && npx baseplate check cdktf.out/stacks/${stack}`,
        `  open a pull request; CI synthesizes and gates every affected stack and posts the plan.`,
        "",
      ].join("\n"),
    );
  };
}

export default serviceGenerator;
