/**
 * Core types shared by the policy engine, waivers and the reporters. The policy input types live
 * with their contract in @baseplate/policies (policies/CONTRACT.md).
 */

export const REPORT_SCHEMA = "baseplate/report@1";

/** The policy input and raw finding types are the policies package's own (policies/src/input/types.ts). */
export { POLICY_INPUT_SCHEMA } from "@baseplate/policies/input";
export type { EnvironmentInfo, PolicyInput, PolicyResource, RawFinding, Source, Tier } from "@baseplate/policies/input";
import type { EnvironmentInfo, Source } from "@baseplate/policies/input";

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
  /** Who asked for the waiver (a GitHub login); the approver must be someone else. */
  requestedBy?: string;
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

/** Unwaived mandatory, unwaived advisory and waived findings (src/summary.ts counts them). */
export interface FindingCounts {
  mandatory: number;
  advisory: number;
  waived: number;
}

/** "fail" when an unwaived mandatory finding or a mandatory waiver problem remains (exit 1). */
export type Verdict = "pass" | "fail";

export interface StackResult {
  stack: string;
  file: string;
  source: Source;
  environment: EnvironmentInfo;
  resourceCount: number;
  findings: Finding[];
  /** This stack's findings counted. */
  counts: FindingCounts;
}

/**
 * The whole check: its verdict and counts, which every reporter shows as they are. The counts
 * include the waiver problems (invalid or expired waivers as mandatory, unused ones as advisory).
 */
export interface CheckSummary extends FindingCounts {
  verdict: Verdict;
  stacks: number;
  resources: number;
}

/** A finished report: what the check runner returns and every reporter renders. */
export interface CheckReport {
  schema: typeof REPORT_SCHEMA;
  bundle: { sha256: string; rules: number; opa_version: string };
  generatedFor: string;
  stacks: StackResult[];
  /** Problems with the waivers file itself or unused waivers. */
  waiverProblems: WaiverProblem[];
  summary: CheckSummary;
}

/** Documented exit codes. */
export const EXIT = {
  OK: 0,
  VIOLATIONS: 1,
  USAGE: 2,
  SENIOR_APPROVAL: 3,
} as const;
