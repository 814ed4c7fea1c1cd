/**
 * The policy input: what the normalizers produce and the Rego reads. Its shape is documented in
 * policies/CONTRACT.md.
 */

export const POLICY_INPUT_SCHEMA = "baseplate/policy-input@1";

export type Tier = "dev" | "stage" | "prod";
export type Source = "synth" | "plan";

export interface EnvironmentInfo {
  name: string | null;
  tier: Tier | null;
  account: string | null;
  region: string | null;
}

export interface PolicyResource {
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  values: Record<string, unknown>;
  before: Record<string, unknown> | null;
  unknown: Record<string, unknown>;
  sensitive: Record<string, unknown>;
  actions: string[];
  replace: boolean;
  references: string[];
  /**
   * Addresses of the resources whose `references` name this one, sorted, unique (policy-input
   * 1.1; the normalizer always sets it). Lets a rule go from a resource to what refers to it
   * through `index` without scanning every resource.
   */
  referenced_by?: string[];
  construct: string | null;
  source_location: string | null;
  provider: string;
}

export interface PolicyInput {
  schema: typeof POLICY_INPUT_SCHEMA;
  source: Source;
  stack: string;
  environment: EnvironmentInfo;
  now: string;
  resources: Record<string, PolicyResource[]>;
  /**
   * Address -> [type, position in `resources[type]`] for every resource (policy-input 1.1; the
   * normalizer always sets it). Absent on hand-written inputs: rules then scan.
   */
  index?: Record<string, [string, number]>;
  /**
   * Provider configurations by key (`aws`, `aws.us_east_1`), as written; `default_tags` is an
   * array of `{ tags: {...} }` blocks (a bare object is tolerated). Absent on older inputs.
   */
  providers?: Record<string, Record<string, unknown>>;
}

/** What a rule returns (entrypoint `baseplate/findings`); see policies/CONTRACT.md. */
export interface RawFinding {
  rule: string;
  address: string;
  attribute?: string | null;
  observed?: unknown;
}
