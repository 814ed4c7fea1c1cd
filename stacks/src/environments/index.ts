// The environment registry: one import and one entry per environment, in promotion order.
// Each environment's config is its own Nx project under stacks/environments/<name>/;
// `npx nx g @baseplate/generators:environment` adds one here.
import dev from "../../environments/dev/config.ts";
import stage from "../../environments/stage/config.ts";
import prod from "../../environments/prod/config.ts";
import { validateEstate, type Environment } from "./define.ts";

/** Every environment of the estate, in promotion order. */
export const ENVIRONMENTS: readonly Environment[] = [dev, stage, prod];
validateEstate(ENVIRONMENTS);

export * from "./define.ts";
