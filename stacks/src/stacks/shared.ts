import { formatName, type EnvironmentContext } from "@baseplate/modules";

/** The shared service name of the per-account platform stack. */
export const PLATFORM_SERVICE = "platform";
/** The shared service name of the per-environment network stack. */
export const NETWORK_SERVICE = "network";

/**
 * Name of the environment's S3 server access-log bucket, created by the platform stack
 * (`LogBucket` named `access-logs` with the account id) and named by string from other stacks.
 */
export function accessLogBucketName(env: EnvironmentContext): string {
  return formatName("s3-bucket", { org: env.org, environment: env.name, service: PLATFORM_SERVICE, name: "access-logs", attributes: [env.account] });
}
