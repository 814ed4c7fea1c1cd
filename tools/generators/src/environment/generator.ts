import type { Tree } from "@nx/devkit";
import { TIERS, cidrsOverlap, environmentConfigProblems } from "../../../../stacks/src/environments/define.ts";
import { problemsError, readEstate } from "../estate.ts";
import { GeneratorError, addToRegistry, type Literal } from "../source.ts";
import {
  ENVIRONMENTS_DIR,
  REGISTRY_FILE,
  configFile,
  renderEnvironmentConfig,
  renderEnvironmentProject,
  renderEnvironmentTsconfig,
} from "../templates.ts";

/** Options of `nx g @baseplate/generators:environment` (see schema.json). */
export interface EnvironmentGeneratorOptions {
  name: string;
  tier: string;
  /** A string; `nx g` hands digits over as a number, which {@link accountId} turns back. */
  account: string | number;
  region?: string;
  vpcCidr: string;
  azCount?: number;
  zoneName: string;
  zoneId: string;
  platformOwner?: string;
  platformCostCenter?: string;
}

/**
 * The account id as the 12-digit string it is. Nx's argument parser turns `--account=012345678901`
 * into the number 12345678901; account ids always have 12 digits, so the zeros are restored.
 */
export function accountId(account: string | number): string {
  return typeof account === "number" && Number.isSafeInteger(account) && account >= 0 ? String(account).padStart(12, "0") : String(account);
}

/** A variable name for the environment in the registry: `prod-eu` -> `prodEu`. */
export function registryIdentifier(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return RESERVED.has(camel) ? `${camel}Env` : camel;
}

/** Words that cannot name an import binding, and the names the registry imports itself. */
const RESERVED = new Set(
  (
    "arguments await break case catch class const continue debugger default delete do else enum eval export extends false finally for " +
    "function if implements import in instanceof interface let new null package private protected public return static super switch " +
    "this throw true try typeof var void while with yield validateEstate"
  ).split(" "),
);

/**
 * Adds an environment: validates the config with the environment schema and its VPC range
 * against every other environment's, then writes its project and registers it after the
 * environments of the same or a lower tier (the registry is in promotion order).
 */
export function environmentGenerator(tree: Tree, options: EnvironmentGeneratorOptions): () => void {
  const estate = readEstate(tree);
  const dir = `${ENVIRONMENTS_DIR}/${options.name}`;
  if (tree.exists(dir)) throw new GeneratorError(`${dir} already exists; choose another environment name.`);
  const firstName = /environments\/([^/]+)\/config\.ts$/.exec(estate.registry.entries[0]?.specifier ?? "")?.[1];
  const first = estate.environments.find((e) => e.name === firstName) ?? estate.environments[0];
  const inherited = (key: string): Literal | undefined => first?.config[key];

  const config: { [key: string]: Literal } = {
    name: options.name,
    tier: options.tier,
    account: accountId(options.account),
    region: options.region ?? inherited("region") ?? null,
    platformOwner: options.platformOwner ?? inherited("platformOwner") ?? null,
    platformCostCenter: options.platformCostCenter ?? inherited("platformCostCenter") ?? null,
    vpcCidr: options.vpcCidr,
    azCount: options.azCount ?? (options.tier === "prod" ? 3 : 2),
    dns: { zoneName: options.zoneName, zoneId: options.zoneId },
    services: [],
  };
  const problems = environmentConfigProblems({ ...estate.org, ...config });
  for (const other of estate.environments) {
    if (typeof other.config["vpcCidr"] === "string" && cidrsOverlap(options.vpcCidr, other.config["vpcCidr"])) {
      problems.push(`vpcCidr ${options.vpcCidr} overlaps ${other.config["vpcCidr"]} of '${other.name}' (${other.file}); give each environment its own range`);
    }
    if (other.config["dns"] !== null && typeof other.config["dns"] === "object" && (other.config["dns"] as { [key: string]: Literal })["zoneId"] === options.zoneId) {
      problems.push(`zoneId ${options.zoneId} is already the hosted zone of '${other.name}'; each environment has its own zone`);
    }
  }
  if (problems.length > 0) throw problemsError(`cannot add environment '${options.name}'`, problems);

  // promotion order: after every environment whose tier is the same or lower
  const rank = (tier: Literal | undefined): number => (TIERS as readonly Literal[]).indexOf(tier ?? null);
  const tierOf = new Map(estate.environments.map((e) => [`../../environments/${e.name}/config.ts`, e.config["tier"]]));
  let position = 0;
  estate.registry.entries.forEach((entry, i) => {
    if (rank(tierOf.get(entry.specifier)) <= rank(options.tier)) position = i + 1;
  });

  tree.write(configFile(options.name), renderEnvironmentConfig(options.name, config));
  tree.write(`${dir}/project.json`, renderEnvironmentProject(options.name));
  tree.write(`${dir}/tsconfig.json`, renderEnvironmentTsconfig());
  tree.write(
    REGISTRY_FILE,
    addToRegistry(REGISTRY_FILE, estate.registry.text, { identifier: registryIdentifier(options.name), specifier: `../../environments/${options.name}/config.ts` }, position),
  );
  return () => {
    const lines = [
      `Added environment '${options.name}' (${options.tier}): ${dir}/ (Nx project env-${options.name}), registered in ${REGISTRY_FILE}.`,
      "Next:",
      `  npx nx run env-${options.name}:gate     # synthesize its stacks and run the policy gate`,
      `  npx nx g @baseplate/generators:service --environment=${options.name} ...`,
    ];
    lines.push(`  add the environment's jobs to .github/workflows/apply.yml and '${options.name}' to ENVIRONMENT_ORDER in tools/workflows/src/stacks.ts`);
    // .github/CODEOWNERS gives every path to the seniors unless it is listed for the team, so a
    // new environment needs no CODEOWNERS line to be protected.
    if (options.tier !== "prod") lines.push(`  optionally let the platform team own its values: add '/${dir}/config.ts @acme/platform' to .github/CODEOWNERS (senior review)`);
    process.stdout.write(`${lines.join("\n")}\n`);
  };
}

export default environmentGenerator;
