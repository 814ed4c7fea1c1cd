import {
  AuditTrail,
  BaselineStack,
  CiRoles,
  LogBucket,
  PermissionsBoundary,
  StateBackendBootstrap,
} from "@baseplate/modules";
import type { Construct } from "constructs";
import type { Environment } from "../environments/index.ts";
import { PLATFORM_SERVICE } from "./shared.ts";

export interface PlatformStackProps {
  /** The environment whose account this stack bootstraps. */
  readonly environment: Environment;
  /** Every environment living in this account (they share the account's CI roles). */
  readonly environments: readonly Environment[];
}

/**
 * Per account: the Terraform state backend, the S3 access-log bucket, the permissions boundary
 * every role carries, the GitHub Actions OIDC provider with a plan and an apply role per
 * environment, and the account's CloudTrail with its log-archive bucket and key.
 */
export class PlatformStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    const env = props.environment;
    super(scope, id, {
      environment: env.context,
      service: PLATFORM_SERVICE,
      owner: env.platformOwner,
      costCenter: env.platformCostCenter,
      dataClassification: "confidential",
    });
    const accessLogs = new LogBucket(this, "access-logs", {});
    new StateBackendBootstrap(this, "state", { accessLogs: { bucket: accessLogs } });
    PermissionsBoundary.of(this);
    new CiRoles(this, "ci", { environments: props.environments.map((e) => e.name) });
    new AuditTrail(this, "audit", { accessLogs: { bucket: accessLogs } });
  }
}
