import dev from "./dev.ts";
import prod from "./prod.ts";
import stage from "./stage.ts";
import { validateEstate, type Environment } from "./define.ts";

/** Every environment of the estate, in promotion order. */
export const ENVIRONMENTS: readonly Environment[] = [dev, stage, prod];
validateEstate(ENVIRONMENTS);

export * from "./define.ts";
