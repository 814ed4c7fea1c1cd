import { createRequire } from "node:module";
import { expect } from "vitest";
import { BaselineError, MANDATORY_TAG_KEYS, nameProblem, type NameKind } from "../src/index.ts";
import type { Synth } from "./helpers.ts";

const require = createRequire(import.meta.url);
const taggable = new Map<string, boolean>();

/**
 * True when the provider resource class for `type` has a top-level `tags` argument (so the
 * provider's default_tags apply). Read from the generated class itself, e.g. `aws_vpc` ->
 * `@cdktf/provider-aws/lib/vpc/index.js`.
 */
export function isTaggable(type: string): boolean {
  const cached = taggable.get(type);
  if (cached !== undefined) return cached;
  const dir = type.replace(/^aws_/, "").replace(/_/g, "-");
  const mod = require(`@cdktf/provider-aws/lib/${dir}/index.js`) as Record<string, unknown>;
  const cls = Object.values(mod).find(
    (v): v is { prototype: object; tfResourceType: string } => typeof v === "function" && (v as { tfResourceType?: unknown }).tfResourceType === type,
  );
  if (cls === undefined) throw new Error(`no provider class for ${type} in @cdktf/provider-aws/lib/${dir}`);
  const result = "tagsInput" in cls.prototype;
  taggable.set(type, result);
  return result;
}

/** The mandatory tags `makeStack` gives a stack in `environment` (helpers.ts defaults). */
export function testTags(environment: string, dataClassification = "internal"): Record<string, string> {
  return {
    Owner: "payments-team",
    CostCenter: "CC-1042",
    Environment: environment,
    Service: "payments-api",
    DataClassification: dataClassification,
    ManagedBy: "baseplate",
    Repository: "acme/infrastructure",
  };
}

/** Expects `fn` to throw a BaselineError at `path` whose message matches `problem` and whose fix matches `fix`. */
export function expectBaselineError(fn: () => unknown, path: string, problem: RegExp, fix: RegExp): BaselineError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(BaselineError);
  const err = caught as BaselineError;
  expect(err.constructPath).toBe(path);
  expect(err.message).toMatch(problem);
  expect(err.fix).toMatch(fix);
  expect(err.message.startsWith(`${path}: `)).toBe(true);
  expect(err.message).toContain("Fix: ");
  return err;
}

/**
 * Checks that every taggable resource in the synth gets all mandatory tags: it uses a provider
 * whose default_tags hold every mandatory key (with the expected values), and its own tags do not
 * contradict them. Returns how many taggable resources were checked.
 */
export function expectMandatoryTags(s: Synth, expected: Readonly<Record<string, string>>): number {
  const providers = new Map<string, Record<string, string>>();
  for (const p of s.provider["aws"] ?? []) {
    const alias = typeof p["alias"] === "string" ? `aws.${p["alias"]}` : "aws";
    const dt = p["default_tags"] as { tags?: Record<string, string> }[] | undefined;
    providers.set(alias, dt?.[0]?.tags ?? {});
  }
  let checked = 0;
  for (const [type, byName] of Object.entries(s.resource)) {
    if (!isTaggable(type)) continue;
    for (const [name, r] of Object.entries(byName)) {
      const provider = typeof r["provider"] === "string" ? r["provider"] : "aws";
      const defaults = providers.get(provider);
      expect(defaults, `${type}.${name} uses provider ${provider} without default_tags`).toBeDefined();
      const own = (r["tags"] ?? {}) as Record<string, string>;
      const effective = { ...(defaults ?? {}), ...own };
      for (const key of MANDATORY_TAG_KEYS) {
        expect(effective[key], `${type}.${name} tag ${key}`).toBe(expected[key]);
      }
      checked++;
    }
  }
  return checked;
}

/** Resource types and the attribute holding their physical name, with the naming rule that applies. */
const NAMED: readonly [string, string, NameKind][] = [
  ["aws_security_group", "name", "security-group"],
  ["aws_lb", "name", "load-balancer"],
  ["aws_lb_target_group", "name", "target-group"],
  ["aws_db_instance", "identifier", "rds-identifier"],
  ["aws_db_subnet_group", "name", "rds-identifier"],
  ["aws_db_parameter_group", "name", "rds-identifier"],
  ["aws_backup_vault", "name", "backup-vault"],
  ["aws_backup_plan", "name", "backup-plan"],
  ["aws_cloudwatch_log_group", "name", "log-group"],
  ["aws_cloudwatch_metric_alarm", "alarm_name", "alarm"],
  ["aws_cloudwatch_dashboard", "dashboard_name", "dashboard"],
  ["aws_sns_topic", "name", "sns-topic"],
  ["aws_iam_role", "name", "iam-role"],
  ["aws_ecs_cluster", "name", "ecs-cluster"],
  ["aws_ecs_service", "name", "ecs-service"],
  ["aws_kms_alias", "name", "kms-alias"],
];

/** Checks every physical name in the synth against its type's length and charset; returns how many were checked. */
export function expectNamesWithinLimits(s: Synth): number {
  let checked = 0;
  for (const [type, attr, kind] of NAMED) {
    for (const [name, r] of Object.entries(s.resource[type] ?? {})) {
      const value = r[attr];
      expect(typeof value, `${type}.${name}.${attr}`).toBe("string");
      expect(nameProblem(kind, value as string), `${type}.${name}.${attr}`).toBeNull();
      checked++;
    }
  }
  return checked;
}

/** All resources of `type` keyed by logical id. */
export function byId(s: Synth, type: string): Record<string, Record<string, unknown>> {
  return s.resource[type] ?? {};
}
