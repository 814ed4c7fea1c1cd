import { BaselineError } from "./errors.ts";

/** Environment tiers. The tier, not the environment name, decides sizes, retention and protection. */
export const TIERS = ["dev", "stage", "prod"] as const;
export type Tier = (typeof TIERS)[number];

/** AWS regions an environment may be placed in. */
export const ALLOWED_REGIONS = [
  "eu-west-1",
  "eu-west-2",
  "eu-central-1",
  "eu-north-1",
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "ap-southeast-2",
] as const;

/** Where a stack runs: the environment every Baseplate construct reads its defaults from. */
export interface EnvironmentContext {
  /** Organisation prefix used in every name, lowercase letters and digits, 2-10 chars. */
  readonly org: string;
  /** Environment name, e.g. `dev`, `stage`, `prod`, `prod-eu`. Lowercase, 2-12 chars. */
  readonly name: string;
  /** Tier that decides the baselines: `dev`, `stage` or `prod`. */
  readonly tier: Tier;
  /** 12-digit AWS account id the stack may deploy to. */
  readonly account: string;
  /** AWS region, one of {@link ALLOWED_REGIONS}. */
  readonly region: string;
  /** Repository that manages this environment, `owner/name`; becomes the `Repository` tag. */
  readonly repository: string;
}

const ORG = /^[a-z][a-z0-9]{1,9}$/;
const ENV_NAME = /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/;
const ACCOUNT = /^\d{12}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Returns the problems with an environment context, each as `[problem, fix]`. */
export function environmentProblems(env: Partial<Record<keyof EnvironmentContext, unknown>>): [string, string][] {
  const problems: [string, string][] = [];
  const str = (v: unknown): string => JSON.stringify(v) ?? "undefined";
  if (typeof env.org !== "string" || !ORG.test(env.org)) {
    problems.push([`org ${str(env.org)} is invalid`, "use 2-10 lowercase letters or digits starting with a letter, e.g. 'acme'"]);
  }
  if (typeof env.name !== "string" || !ENV_NAME.test(env.name)) {
    problems.push([
      `environment name ${str(env.name)} is invalid`,
      "use 2-12 lowercase letters, digits or hyphens, e.g. 'dev' or 'prod-eu'",
    ]);
  }
  if (typeof env.tier !== "string" || !(TIERS as readonly string[]).includes(env.tier)) {
    problems.push([`tier ${str(env.tier)} is unknown`, `use one of ${TIERS.join(", ")}`]);
  }
  if (typeof env.account !== "string" || !ACCOUNT.test(env.account)) {
    problems.push([`account id ${str(env.account)} is invalid`, "use the 12-digit AWS account id as a string, e.g. '123456789012'"]);
  }
  if (typeof env.region !== "string" || !(ALLOWED_REGIONS as readonly string[]).includes(env.region)) {
    problems.push([`region ${str(env.region)} is not allowed`, `use one of ${ALLOWED_REGIONS.join(", ")}`]);
  }
  if (typeof env.repository !== "string" || !REPOSITORY.test(env.repository)) {
    problems.push([`repository ${str(env.repository)} is invalid`, "use 'owner/name', e.g. 'acme/infrastructure'"]);
  }
  return problems;
}

/** Throws a {@link BaselineError} naming `path` when the environment context is invalid. */
export function assertEnvironment(path: string, env: EnvironmentContext): void {
  const problems = environmentProblems(env);
  const first = problems[0];
  if (first) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => p[0]).join("; ")})` : "";
    throw new BaselineError(path, first[0] + more, first[1]);
  }
}
