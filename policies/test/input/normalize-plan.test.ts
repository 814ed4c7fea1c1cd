import { describe, expect, it } from "vitest";
import { normalizePlan } from "../../src/input/plan.ts";
import type { PolicyResource } from "../../src/input/types.ts";
import { NOW, readFixtureJson } from "./helpers.ts";

function byAddress(resources: Record<string, PolicyResource[]>): Map<string, PolicyResource> {
  return new Map(Object.values(resources).flat().map((r) => [r.address, r]));
}

describe("normalizePlan (format 1.2, nested modules)", () => {
  const input = normalizePlan(readFixtureJson("plan", "v1.2-modules.plan.json"), { now: NOW, stackHint: "shop-prod", file: "v1.2.json" });
  const r = byAddress(input.resources);
  const get = (address: string): PolicyResource => {
    const found = r.get(address);
    if (found === undefined) throw new Error(`no resource ${address}`);
    return found;
  };

  it("omits provider attributes that are not constants", () => {
    const plan = readFixtureJson("plan", "v1.0.plan.json");
    const configuration = plan["configuration"] as { provider_config: { aws: { expressions: Record<string, unknown> } } };
    configuration.provider_config.aws.expressions["assume_role"] = [{ role_arn: { references: ["var.role"] }, session_name: { constant_value: "ci" } }];
    configuration.provider_config.aws.expressions["profile"] = { references: ["var.profile"] };
    const out = normalizePlan(plan, { now: NOW, file: "p.json" });
    expect(out.providers["aws"]).toEqual({ region: "eu-central-1", assume_role: [{ session_name: "ci" }] });
  });

  it("takes the environment from provider configuration and default tags", () => {
    expect(input.source).toBe("plan");
    expect(input.stack).toBe("shop-prod");
    expect(input.environment).toEqual({ name: "prod", tier: "prod", account: "333333333333", region: "eu-west-1" });
    expect(Object.keys(input.providers)).toEqual(["aws", "aws.us_east_1"]);
    expect(input.providers["aws"]?.["default_tags"]).toEqual([
      { tags: { Environment: "prod", Owner: "team-shop", CostCenter: "cc-1", Service: "shop", ManagedBy: "baseplate", DataClassification: "internal" } },
    ]);
  });

  it("lists every instance with its full address, sorted within each type, deposed objects left out", () => {
    expect([...r.keys()].sort()).toEqual([
      "aws_db_instance.main",
      "aws_iam_policy.admin",
      "aws_iam_role.legacy",
      "aws_instance.web",
      "aws_s3_bucket.archive",
      "aws_s3_bucket.logs",
      "aws_s3_bucket_public_access_block.logs",
      "data.aws_caller_identity.current",
      "data.aws_iam_policy_document.admin",
      'module.net["a"].aws_subnet.private[0]',
      'module.net["a"].aws_subnet.private[1]',
      'module.net["a"].aws_vpc.this',
      'module.net["a"].data.aws_availability_zones.all',
      'module.net["a"].module.edge.aws_security_group.ssh',
    ]);
    expect(input.resources["aws_s3_bucket"]?.map((x) => x.address)).toEqual(["aws_s3_bucket.archive", "aws_s3_bucket.logs"]);
    expect(get('module.net["a"].aws_subnet.private[1]').name).toBe("private");
  });

  it("uses after for creates and updates, before for deletes and forgets", () => {
    expect(get("aws_s3_bucket.logs").values).toEqual({ bucket: "shop-prod-logs", force_destroy: false, tags: { Name: "logs" } });
    expect(get("aws_s3_bucket.logs").before).toBeNull();
    const legacy = get("aws_iam_role.legacy");
    expect(legacy.actions).toEqual(["delete"]);
    expect(legacy.values["name"]).toBe("legacy");
    expect(legacy.unknown).toEqual({});
    const archive = get("aws_s3_bucket.archive");
    expect(archive.actions).toEqual(["forget"]);
    expect(archive.values["bucket"]).toBe("shop-prod-archive");
    expect(archive.replace).toBe(false);
  });

  it("marks replacements in both orders", () => {
    const db = get("aws_db_instance.main");
    expect(db.actions).toEqual(["delete", "create"]);
    expect(db.replace).toBe(true);
    expect(db.values["storage_encrypted"]).toBe(true);
    expect(db.before?.["storage_encrypted"]).toBe(false);
    const web = get("aws_instance.web");
    expect(web.actions).toEqual(["create", "delete"]);
    expect(web.replace).toBe(true);
    expect(web.values["ami"]).toBe("ami-0bbb");
  });

  it("carries unknown and sensitive markers", () => {
    expect(get("aws_db_instance.main").unknown).toEqual({ id: true, arn: true, endpoint: true });
    expect(get("aws_db_instance.main").sensitive).toEqual({ password: true });
    expect(get("aws_iam_policy.admin").unknown).toEqual({ policy: true });
    expect(get("aws_iam_policy.admin").values["policy"]).toBeUndefined();
  });

  it("includes data sources read during apply and those read while planning", () => {
    const deferred = get("data.aws_iam_policy_document.admin");
    expect(deferred.mode).toBe("data");
    expect(deferred.actions).toEqual(["read"]);
    expect(deferred.unknown).toEqual({ id: true, json: true, minified_json: true });
    const planned = get("data.aws_caller_identity.current");
    expect(planned.actions).toEqual(["read"]);
    expect(planned.values["arn"]).toBe("arn:aws:iam::333333333333:root");
    expect(get('module.net["a"].data.aws_availability_zones.all').values["names"]).toEqual(["eu-west-1a", "eu-west-1b"]);
  });

  it("resolves configuration references to full addresses with module paths, expanding count", () => {
    expect(get("aws_s3_bucket_public_access_block.logs").references).toEqual(["aws_s3_bucket.logs"]);
    expect(get("aws_iam_policy.admin").references).toEqual(["data.aws_iam_policy_document.admin"]);
    expect(get("data.aws_iam_policy_document.admin").references).toEqual(["aws_s3_bucket.logs"]);
    expect(get('module.net["a"].aws_subnet.private[0]').references).toEqual(['module.net["a"].aws_vpc.this']);
    expect(get("aws_db_instance.main").references).toEqual(['module.net["a"]']);
    expect(get("aws_instance.web").references).toEqual(["module.net"]);
    expect(get('module.net["a"].module.edge.aws_security_group.ssh').references).toEqual([]);
  });

  it("lists referrers with the same instance matching as references, and indexes every instance", () => {
    expect(get("aws_s3_bucket.logs").referenced_by).toEqual(
      ["aws_s3_bucket_public_access_block.logs", "data.aws_iam_policy_document.admin"].filter((a) => r.get(a)?.references.includes("aws_s3_bucket.logs")),
    );
    expect(get("aws_s3_bucket.logs").referenced_by).toContain("aws_s3_bucket_public_access_block.logs");
    // a reference to a module names every resource of its instances (res.ref_matches: `module.net[`)
    expect(get('module.net["a"].aws_subnet.private[0]').referenced_by).toContain("aws_instance.web");
    for (const [address, [type, position]] of Object.entries(input.index ?? {})) {
      expect(input.resources[type]?.[position]?.address).toBe(address);
    }
    expect(Object.keys(input.index ?? {})).toHaveLength(r.size);
  });

  it("gives each resource the provider config key its provider block is found under", () => {
    expect(get("aws_s3_bucket.logs").provider).toBe("aws");
    expect(get('module.net["a"].aws_vpc.this').provider).toBe("aws");
    // not in the configuration: the default configuration of its provider
    expect(get('module.net["a"].data.aws_availability_zones.all').provider).toBe("aws");
  });

  it("applies caller overrides (--stack, --environment, --tier)", () => {
    const over = normalizePlan(readFixtureJson("plan", "v1.2-modules.plan.json"), {
      now: NOW,
      stack: "payments-stage",
      environment: { name: "stage", tier: "stage" },
      file: "p.json",
    });
    expect(over.stack).toBe("payments-stage");
    expect(over.environment).toEqual({ name: "stage", tier: "stage", account: "333333333333", region: "eu-west-1" });
  });
});

describe("normalizePlan (older formats)", () => {
  it("reads format 1.0", () => {
    const input = normalizePlan(readFixtureJson("plan", "v1.0.plan.json"), { now: NOW, file: "v1.0.json" });
    expect(input.stack).toBe("plan");
    expect(input.environment).toEqual({ name: null, tier: null, account: null, region: "eu-central-1" });
    const sg = input.resources["aws_security_group"]?.[0];
    expect(sg?.actions).toEqual(["create"]);
    expect(sg?.sensitive).toEqual({});
    expect(input.resources["aws_s3_bucket"]?.[0]?.actions).toEqual(["no-op"]);
  });

  it("reads format 0.1, taking unchanged resources from planned_values and 0.12-style references", () => {
    const input = normalizePlan(readFixtureJson("plan", "v0.1.plan.json"), { now: NOW, file: "v0.1.json" });
    const bucket = input.resources["aws_s3_bucket"]?.[0];
    expect(bucket?.actions).toEqual(["create"]);
    expect(bucket?.references).toEqual(["aws_kms_key.k"]);
    expect(bucket?.sensitive).toEqual({});
    const key = input.resources["aws_kms_key"]?.[0];
    expect(key?.actions).toEqual(["no-op"]);
    expect(key?.values).toEqual({ enable_key_rotation: true });
  });

  it("fails closed on an errored or incomplete plan", () => {
    expect(() => normalizePlan({ format_version: "1.2", errored: true, resource_changes: [] }, { now: NOW, file: "e.json" })).toThrow(
      /e\.json is the plan of a failed `terraform plan` \(errored: true\)/,
    );
    expect(() => normalizePlan({ format_version: "1.2", complete: false, resource_changes: [] }, { now: NOW, file: "c.json" })).toThrow(
      /c\.json is an incomplete plan \(complete: false/,
    );
  });

  it("fails closed on a malformed resource_changes", () => {
    expect(() => normalizePlan({ format_version: "1.2", resource_changes: {} }, { now: NOW, file: "bad.json" })).toThrow(
      /bad\.json has a "resource_changes" that is not a list/,
    );
    expect(() =>
      normalizePlan({ format_version: "1.2", resource_changes: [{ address: "x.y", change: {} }] }, { now: NOW, file: "bad.json" }),
    ).toThrow(/bad\.json has a resource_changes entry without address, type, name or change/);
  });
});
