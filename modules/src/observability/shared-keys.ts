import type { IConstruct } from "constructs";
import { BaselineStack } from "../baseline/stack.ts";
import { KmsKey, type KeyServicePreset } from "../kms/key.ts";

/** What a stack-wide key encrypts. */
export type SharedKeyPurpose = "logs" | "alarms";

const SERVICES: Readonly<Record<SharedKeyPurpose, readonly KeyServicePreset[]>> = {
  // CloudWatch Logs encrypts log groups of this account and region.
  logs: ["logs"],
  // CloudWatch alarms publish to encrypted SNS topics.
  alarms: ["cloudwatch"],
};

const DESCRIPTIONS: Readonly<Record<SharedKeyPurpose, string>> = {
  logs: "CloudWatch Logs log groups",
  alarms: "SNS alarm topics",
};

/**
 * The stack's shared customer-managed key for `purpose`, created on first use as a direct child
 * of the stack, so a stack pays for one logs key and one alarms key however many log groups and
 * topics it has.
 */
export function sharedKey(scope: IConstruct, purpose: SharedKeyPurpose): KmsKey {
  const stack = BaselineStack.of(scope);
  const id = `SharedKey-${purpose}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof KmsKey) return existing;
  return new KmsKey(stack, id, {
    name: `shared-${purpose}`,
    description: `Shared key of ${stack.stackName} for ${DESCRIPTIONS[purpose]}`,
    allowServices: SERVICES[purpose],
  });
}
