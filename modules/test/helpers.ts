import { App, Testing } from "cdktf";
import { expect } from "vitest";
import { BaselineStack, MANDATORY_TAG_KEYS, nameProblem, type BaselineStackProps, type NameKind } from "../src/index.ts";
import type { EnvironmentContext } from "../src/index.ts";

/** A valid environment for tests; override fields per test. */
export function env(overrides: Partial<EnvironmentContext> = {}): EnvironmentContext {
  return {
    org: "acme",
    name: "dev",
    tier: "dev",
    account: "123456789012",
    region: "eu-west-1",
    repository: "acme/infrastructure",
    ...overrides,
  };
}

/** Valid stack props for tests. */
export function stackProps(overrides: Partial<BaselineStackProps> = {}, environment: Partial<EnvironmentContext> = {}): BaselineStackProps {
  return { environment: env(environment), service: "payments-api", owner: "payments-team", costCenter: "CC-1042", backend: false, ...overrides };
}

/** A fresh app and baseline stack. */
export function makeStack(environment: Partial<EnvironmentContext> = {}, overrides: Partial<BaselineStackProps> = {}, id = "payments-api-dev"): BaselineStack {
  const app = Testing.app();
  return new BaselineStack(app, id, stackProps(overrides, environment));
}

/** Parsed synthesized JSON of a stack. */
export interface Synth {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly terraform: Record<string, unknown>;
}

export function synth(stack: BaselineStack): Synth {
  return JSON.parse(Testing.synth(stack)) as Synth;
}

/** Every resource of `type` in a synth. */
export function resources(s: Synth, type: string): Record<string, unknown>[] {
  return Object.values(s.resource[type] ?? {});
}

/** The only resource of `type`; fails when there are none or several. */
export function only(s: Synth, type: string): Record<string, unknown> {
  const all = resources(s, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Record<string, unknown>;
}

/** A parsed JSON policy document. */
export interface PolicyDoc {
  readonly Version: string;
  readonly Statement: {
    Sid?: string;
    Effect: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, string | string[]>>;
  }[];
}

export function policy(value: unknown): PolicyDoc {
  if (typeof value !== "string") throw new Error(`policy is not a string: ${JSON.stringify(value)}`);
  return JSON.parse(value) as PolicyDoc;
}

/** Statements of a policy document by Sid. */
export function bySid(doc: PolicyDoc): Record<string, PolicyDoc["Statement"][number]> {
  const out: Record<string, PolicyDoc["Statement"][number]> = {};
  for (const st of doc.Statement) if (st.Sid !== undefined) out[st.Sid] = st;
  return out;
}

/** A value as a sorted list (policy elements may be a string or a list). */
export function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (typeof v === "string" ? [v] : [...v]).sort();
}

export { App };

/**
 * Every resource is tagged with every mandatory tag: either it uses a provider whose
 * `default_tags` hold them all, or it carries them as explicit `tags`. Returns the number of
 * resources checked.
 */
export function expectMandatoryTags(s: Synth): number {
  const providerTags = new Map<string, Record<string, string>>();
  for (const p of s.provider["aws"] ?? []) {
    const alias = typeof p["alias"] === "string" ? `aws.${p["alias"]}` : "aws";
    providerTags.set(alias, (p["default_tags"] as { tags: Record<string, string> }[] | undefined)?.[0]?.tags ?? {});
  }
  let count = 0;
  for (const [type, byName] of Object.entries(s.resource)) {
    for (const [id, r] of Object.entries(byName)) {
      count++;
      const provider = typeof r["provider"] === "string" ? r["provider"] : "aws";
      const tags = { ...(providerTags.get(provider) ?? {}), ...((r["tags"] as Record<string, string> | undefined) ?? {}) };
      for (const key of MANDATORY_TAG_KEYS) expect(tags[key], `${type}.${id} tag ${key}`).toBeTruthy();
    }
  }
  return count;
}

const NAME_ATTRIBUTES: Record<string, [string, NameKind]> = {
  aws_s3_bucket: ["bucket", "s3-bucket"],
  aws_iam_role: ["name", "iam-role"],
  aws_iam_policy: ["name", "iam-policy"],
  aws_kms_alias: ["name", "kms-alias"],
};

/** Every named resource's name fits its kind's rule. Returns the number of names checked. */
export function expectNamesWithinLimits(s: Synth): number {
  let count = 0;
  for (const [type, [attr, kind]] of Object.entries(NAME_ATTRIBUTES)) {
    for (const [id, r] of Object.entries(s.resource[type] ?? {})) {
      count++;
      expect(nameProblem(kind, String(r[attr])), `${type}.${id}`).toBeNull();
    }
  }
  return count;
}
