import { describe, expect, it } from "vitest";
import { addressKeys, linkReferences } from "../../src/input/common.ts";
import { normalizeSynth } from "../../src/input/synth.ts";
import { POLICY_INPUT_SCHEMA, type PolicyResource } from "../../src/input/types.ts";
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
      referenced_by: [],
      construct: "shop-dev/assets/public-access",
      source_location: "stacks/src/shop.ts:27",
      provider: "aws",
    });
  });

  it("lists each resource's referrers and indexes every address by type and position", () => {
    const bucket = input.resources["aws_s3_bucket"]?.find((r) => r.address === "aws_s3_bucket.assets_bucket_5D6E7F80");
    expect(bucket?.referenced_by).toEqual(
      all(input.resources)
        .filter((r) => r.references.includes("aws_s3_bucket.assets_bucket_5D6E7F80"))
        .map((r) => r.address)
        .sort(),
    );
    expect(bucket?.referenced_by).toContain("aws_s3_bucket_public_access_block.assets_public-access_D5E6F7A8");
    const index = input.index ?? {};
    expect(Object.keys(index)).toHaveLength(all(input.resources).length);
    for (const [address, [type, position]] of Object.entries(index)) {
      expect(input.resources[type]?.[position]?.address).toBe(address);
    }
    for (const r of all(input.resources)) {
      for (const from of r.referenced_by ?? []) {
        const [type, position] = index[from] ?? ["", -1];
        expect(input.resources[type]?.[position]?.references).toContain(r.address);
      }
    }
  });

  it("links a reference to every instance of its target, and never a resource to itself", () => {
    const doc = {
      resource: {
        aws_subnet: { s: { vpc_id: "${aws_vpc.v.id}", tags: { self: "${aws_subnet.s.id}" } } },
        aws_vpc: { v: {} },
        aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" }, g: { log_destination: "${aws_vpc.v.arn}" } },
      },
    };
    const out = normalizeSynth(doc, { now: NOW });
    expect(out.resources["aws_vpc"]?.[0]?.referenced_by).toEqual(["aws_flow_log.f", "aws_flow_log.g", "aws_subnet.s"]);
    expect(out.resources["aws_subnet"]?.[0]?.referenced_by).toEqual([]);
    expect(out.index).toEqual({
      "aws_flow_log.f": ["aws_flow_log", 0],
      "aws_flow_log.g": ["aws_flow_log", 1],
      "aws_subnet.s": ["aws_subnet", 0],
      "aws_vpc.v": ["aws_vpc", 0],
    });
    const groups = {
      aws_subnet: [
        { ...out.resources["aws_subnet"]![0]!, address: "aws_subnet.s[0]", references: [] },
        { ...out.resources["aws_subnet"]![0]!, address: "aws_subnet.s[1]", references: [] },
      ],
      aws_route_table_association: [{ ...out.resources["aws_subnet"]![0]!, address: "aws_route_table_association.a", type: "aws_route_table_association", references: ["aws_subnet.s"] }],
    };
    linkReferences(groups);
    expect(groups.aws_subnet.map((r) => r.referenced_by)).toEqual([["aws_route_table_association.a"], ["aws_route_table_association.a"]]);
    expect(addressKeys('module.m["x"].aws_subnet.s[0]')).toEqual(['module.m["x"].aws_subnet.s[0]', "module.m", 'module.m["x"].aws_subnet.s']);
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

describe("malformed synthesized stacks fail closed", () => {
  it.each([
    [{ resource: [] }, /"resource" is a list, not an object/],
    [{ resource: { aws_security_group: null } }, /"resource\.aws_security_group" is null, not an object/],
    [{ resource: { aws_security_group: { open: [{ ingress: [] }] } } }, /"resource\.aws_security_group\.open" is a list, not an object/],
    [{ resource: { aws_s3_bucket: { b: "x" } } }, /"resource\.aws_s3_bucket\.b" is a string, not an object/],
    [{ resource: { "": { b: {} } } }, /"resource" has a resource type with an empty name/],
    [{ resource: { aws_s3_bucket: { "": {} } } }, /"resource\.aws_s3_bucket" has a resource with an empty name/],
  ])("%j is refused, naming the file", (doc, message) => {
    expect(() => normalizeSynth({ "//": { metadata: {} }, ...doc }, { now: "2026-11-25T00:00:00Z", file: "cdktf.out/stacks/x/cdk.tf.json" })).toThrow(message);
    expect(() => normalizeSynth({ "//": { metadata: {} }, ...doc }, { now: "2026-11-25T00:00:00Z", file: "cdktf.out/stacks/x/cdk.tf.json" })).toThrow(/^cdktf\.out\/stacks\/x\/cdk\.tf\.json: /);
  });
});
