/**
 * Types of the compiled bundle's catalog and manifest. The CLI re-exports the catalog types
 * from here, so there is one definition.
 */

export type Severity = "critical" | "high" | "medium" | "low" | "info";
/** Every severity, most severe first: the one order that validation, listings and sorting use. */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];
export type Enforcement = "mandatory" | "advisory";

/** One rule of the catalog (policies/build/catalog.json), built from METADATA annotations. */
export interface CatalogRule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  enforcement: Enforcement;
  controls: string[];
  remediation: string;
  /** Message template; placeholders: {address} {attribute} {observed} {stack}. */
  message: string;
  package: string;
  resource_types: string[];
  /** "both" unless the rule only makes sense on a plan. */
  sources: "both" | "plan" | "synth";
  /** Plan-only change rules: the risk category that drives who must approve. */
  risk?: string;
}

export interface Catalog {
  schema: "baseplate/catalog@1";
  opa_version: string;
  rules: CatalogRule[];
}

/** policies/build/manifest.json: what was built, from what, with which tools. */
export interface Manifest {
  schema: "baseplate/policy-bundle@1";
  /** sha256 (hex) of policy.wasm. */
  sha256: string;
  rules: number;
  opa_version: string;
  entrypoints: string[];
  /** sha256 over the Rego sources and build scripts the bundle was built from. */
  inputs_sha256: string;
}

/** What a rule returns; defined beside the policy input it answers (src/input/types.ts). */
export type { RawFinding } from "./input/types.ts";
