/**
 * Core types shared by the normalizer, the policy engine, waivers and the reporters.
 * The policy input shape is documented in policies/CONTRACT.md.
 */

export const POLICY_INPUT_SCHEMA = "baseplate/policy-input@1";
export const REPORT_SCHEMA = "baseplate/report@1";

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

/** What a rule returns (entrypoint `baseplate/findings`). */
export interface RawFinding {
  rule: string;
  address: string;
  attribute?: string | null;
  observed?: unknown;
}

/** The catalog types are the policies package's own (policies/src/types.ts). */
export type { Catalog, CatalogRule, Enforcement, Severity } from "@baseplate/policies";
import type { Enforcement, Severity } from "@baseplate/policies";

export interface WaiverRef {
  rule: string;
  target: string;
  reason: string;
  ticket: string;
  approvedBy: string;
  expires: string;
  /** Optional: restricts the waiver to one stack. */
  stack?: string;
  /** Optional ISO date the waiver was granted; `expires` is at most 90 days after it. */
  created?: string;
}

/** A problem with the waivers file or one of its entries (see src/waivers.ts). */
export interface WaiverProblem {
  waiver: WaiverRef | null;
  problem: string;
  enforcement: Enforcement;
  /** The waivers file, relative to the repository root when possible. */
  file?: string;
  /** Zero-based position of the entry in the file's `waivers` list, when it is about one entry. */
  index?: number;
}

/** A finding after the catalog, location and waivers have been applied. */
export interface Finding {
  rule: string;
  title: string;
  severity: Severity;
  enforcement: Enforcement;
  stack: string;
  source: Source;
  address: string;
  attribute: string | null;
  observed: unknown;
  message: string;
  remediation: string;
  controls: string[];
  construct: string | null;
  /** "path/to/file.ts:42" relative to the repository root, when known. */
  location: string | null;
  waived: WaiverRef | null;
}

export interface StackResult {
  stack: string;
  file: string;
  source: Source;
  environment: EnvironmentInfo;
  resourceCount: number;
  findings: Finding[];
}

export interface CheckReport {
  schema: typeof REPORT_SCHEMA;
  bundle: { sha256: string; rules: number; opa_version: string };
  generatedFor: string;
  stacks: StackResult[];
  /** Problems with the waivers file itself or unused waivers. */
  waiverProblems: WaiverProblem[];
  summary: { stacks: number; resources: number; mandatory: number; advisory: number; waived: number };
}

/** Documented exit codes. */
export const EXIT = {
  OK: 0,
  VIOLATIONS: 1,
  USAGE: 2,
  SENIOR_APPROVAL: 3,
} as const;
