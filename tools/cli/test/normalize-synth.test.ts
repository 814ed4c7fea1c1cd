import { describe, expect, it } from "vitest";
import { normalizeSynth } from "../src/normalize/synth.ts";
import { POLICY_INPUT_SCHEMA, type PolicyResource } from "../src/types.ts";
import { NOW, readFixtureJson } from "./helpers.ts";

function all(resources: Record<string, PolicyResource[]>): PolicyResource[] {
  return Object.values(resources).flat();
}

describe("normalizeSynth", () => {
  const doc = readFixtureJson("synth", "noncompliant", "cdk.tf.json");
  const input = normalizeSynth(doc, { now: NOW, stackHint: "noncompliant" });

  it("produces the contract's top-level shape with the environment from Baseplate's stack metadata", () => {
    expect(input.schema).toBe(POLICY_INPUT_SCHEMA);
    expect(input.source).toBe("synth");
    expect(input.stack).toBe("shop-dev");
    expect(input.now).toBe(NOW);
    expect(input.environment).toEqual({ name: "dev", tier: "dev", account: "111111111111", region: "eu-west-1" });
  });

  it("groups resources by type, types and addresses sorted", () => {
    expect(Object.keys(input.resources)).toEqual([
      "aws_iam_policy",
      "aws_iam_policy_document",
      "aws_s3_bucket",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_security_group",
    ]);
    expect(input.resources["aws_iam_policy"]?.map((r) => r.address)).toEqual([
      "aws_iam_policy.admin_inline_4E5F6A7B",
      "aws_iam_policy.admin_policy_0A1B2C3D",
    ]);
  });

  it("maps one resource exactly as the contract describes", () => {
    const pab = input.resources["aws_s3_bucket_public_access_block"]?.[0];
    expect(pab).toEqual({
      address: "aws_s3_bucket_public_access_block.assets_public-access_D5E6F7A8",
      mode: "managed",
      type: "aws_s3_bucket_public_access_block",
      name: "assets_public-access_D5E6F7A8",
      values: {
        block_public_acls: false,
        block_public_policy: false,
        bucket: "${aws_s3_bucket.assets_bucket_5D6E7F80.id}",
        ignore_public_acls: false,
        restrict_public_buckets: false,
      },
      before: null,
      unknown: {},
      sensitive: {},
      actions: [],
      replace: false,
      references: ["aws_s3_bucket.assets_bucket_5D6E7F80"],
      construct: "shop-dev/assets/public-access",
      source_location: "stacks/src/shop.ts:27",
      provider: "aws",
    });
  });

  it("takes a resource's source location from its nearest recorded ancestor construct", () => {
    const nested = normalizeSynth(
      {
        "//": { baseplate: { sources: { s: "stacks/src/s.ts:1", "s/data": "stacks/src/s.ts:9" } } },
        resource: {
          aws_s3_bucket: { b: { "//": { metadata: { path: "s/data/bucket/Resource" } } } },
          aws_sns_topic: { t: { "//": { metadata: { path: "s/alarms/topic" } } } },
          aws_sqs_queue: { q: { "//": { metadata: { path: "other/q" } } } },
        },
      },
      { now: NOW },
    );
    expect(nested.resources["aws_s3_bucket"]?.[0]?.source_location).toBe("stacks/src/s.ts:9");
    expect(nested.resources["aws_sns_topic"]?.[0]?.source_location).toBe("stacks/src/s.ts:1");
    expect(nested.resources["aws_sqs_queue"]?.[0]?.source_location).toBeNull();
  });

  it("strips // metadata from every resource", () => {
    for (const resource of all(input.resources)) expect(Object.hasOwn(resource.values, "//")).toBe(false);
  });

  it("gives data sources a data. address and finds references inside JSON policy strings", () => {
    const doc = input.resources["aws_iam_policy_document"]?.[0];
    expect(doc?.address).toBe("data.aws_iam_policy_document.admin_document_7C1D2E3F");
    expect(doc?.mode).toBe("data");
    expect(input.resources["aws_iam_policy"]?.[1]?.references).toEqual(["data.aws_iam_policy_document.admin_document_7C1D2E3F"]);
    expect(input.resources["aws_s3_bucket_policy"]?.[0]?.references).toEqual(["aws_s3_bucket.assets_bucket_5D6E7F80"]);
  });

  it("keeps policy JSON strings byte for byte, CRLF included", () => {
    const inline = input.resources["aws_iam_policy"]?.[0]?.values["policy"];
    expect(inline).toContain('\r\n  "Statement"');
    expect(JSON.parse(inline as string)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
  });

  it("exposes provider configurations by config key", () => {
    expect(Object.keys(input.providers)).toEqual(["aws"]);
    const aws = input.providers["aws"];
    expect(aws?.["region"]).toBe("eu-west-1");
    expect(aws?.["default_tags"]).toEqual([
      {
        tags: {
          CostCenter: "CC-1234",
          DataClassification: "internal",
          Environment: "dev",
          ManagedBy: "baseplate",
          Owner: "team-shop",
          Repository: "acme/infra",
          Service: "shop",
        },
      },
    ]);
  });

  it("falls back to the provider for the environment and derives the tier from its name", () => {
    const clean = normalizeSynth(readFixtureJson("synth", "clean", "cdk.tf.json"), { now: NOW });
    expect(clean.stack).toBe("web-dev");
    expect(clean.environment).toEqual({ name: "dev", tier: "dev", account: "222222222222", region: "eu-central-1" });
    expect(clean.resources["aws_security_group"]?.[0]?.source_location).toBeNull();
  });

  it("lets caller overrides win and maps tier synonyms", () => {
    const over = normalizeSynth(doc, { now: NOW, stack: "other", environment: { name: "prod", tier: "prod" } });
    expect(over.stack).toBe("other");
    expect(over.environment).toEqual({ name: "prod", tier: "prod", account: "111111111111", region: "eu-west-1" });
    const withProduction = normalizeSynth(
      { "//": { baseplate: { environment: { name: "live", tier: "production" } } }, resource: {} },
      { now: NOW, stackHint: "live-stack" },
    );
    expect(withProduction.stack).toBe("live-stack");
    expect(withProduction.environment.tier).toBe("prod");
  });

  it("aliased providers get aws.<alias> keys; resources keep their provider key", () => {
    const aliased = normalizeSynth(
      {
        "//": { metadata: { stackName: "s" } },
        provider: { aws: [{ region: "eu-west-1" }, { alias: "us_east_1", region: "us-east-1" }] },
        resource: { aws_acm_certificate: { cert: { domain_name: "x.example.com", provider: "aws.us_east_1" } } },
      },
      { now: NOW },
    );
    expect(Object.keys(aliased.providers)).toEqual(["aws", "aws.us_east_1"]);
    expect(aliased.resources["aws_acm_certificate"]?.[0]?.provider).toBe("aws.us_east_1");
  });

  it("treats __proto__ and constructor as plain keys (no prototype pollution)", () => {
    const hostile = JSON.parse(
      '{"//": {"metadata": {"stackName": "h"}}, "resource": {"__proto__": {"x": {"a": 1}}, "constructor": {"y": {"__proto__": {"polluted": true}, "b": 2}}}}',
    ) as Record<string, unknown>;
    const out = normalizeSynth(hostile, { now: NOW });
    expect(Object.keys(out.resources).sort()).toEqual(["__proto__", "constructor"]);
    expect(out.resources["__proto__"]?.[0]?.address).toBe("__proto__.x");
    const y = out.resources["constructor"]?.[0];
    expect(Object.hasOwn(y?.values ?? {}, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    const roundTrip = JSON.parse(JSON.stringify(out)) as { resources: Record<string, { address: string }[]> };
    expect(Object.hasOwn(roundTrip.resources, "__proto__")).toBe(true);
  });
});
