import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import {
  BaselineStack,
  CiRoles,
  LogBucket,
  MANDATORY_TAG_KEYS,
  SecureBucket,
  ServiceRole,
  StateBackendBootstrap,
  stateBucketName,
} from "../src/index.ts";
import { env, makeStack, resources, stackProps, synth } from "./helpers.ts";
import { expectBaselineError, testTags } from "./construct-helpers.ts";

const EXPECTED_TAGS = testTags("dev");


describe("BaselineStack provider and backend", () => {
  it("configures the AWS provider with every mandatory tag as default_tags, the region and the account", () => {
    const s = synth(makeStack());
    const provider = s.provider["aws"]?.[0] as Record<string, unknown>;
    expect(provider["region"]).toBe("eu-west-1");
    expect(provider["allowed_account_ids"]).toEqual(["123456789012"]);
    const tags = (provider["default_tags"] as { tags: Record<string, string> }[])[0]?.tags;
    expect(tags).toEqual(EXPECTED_TAGS);
    expect(Object.keys(tags ?? {}).sort()).toEqual([...MANDATORY_TAG_KEYS].sort());
  });

  it("puts the mandatory tags on a second-region provider too", () => {
    const stack = makeStack();
    stack.awsProvider("us-east-1", "us-east-1");
    const providers = synth(stack).provider["aws"] ?? [];
    expect(providers).toHaveLength(2);
    const second = providers.find((p) => p["alias"] === "us_east_1") as Record<string, unknown>;
    expect(second["region"]).toBe("us-east-1");
    expect((second["default_tags"] as { tags: Record<string, string> }[])[0]?.tags).toEqual(EXPECTED_TAGS);
  });

  it("uses an S3 backend in the environment's state bucket with native lockfile locking", () => {
    const app = Testing.app();
    const stack = new BaselineStack(app, "payments-api-dev", { ...stackProps(), backend: undefined });
    const backend = (synth(stack).terraform["backend"] as Record<string, Record<string, unknown>>)["s3"];
    expect(backend).toEqual({
      bucket: stateBucketName(env()),
      key: "stacks/payments-api-dev/terraform.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(backend?.["dynamodb_table"]).toBeUndefined();
  });

  it("tags() keeps the mandatory values even when extra tags try to override them", () => {
    const stack = makeStack();
    expect(stack.tags({ Owner: "someone-else", Team: "x" })).toEqual({ Team: "x", ...EXPECTED_TAGS });
  });
});

describe("TagEnforcer", () => {
  it("adds propagating tag blocks to an aws_autoscaling_group, keeping the user's own tags", () => {
    const stack = makeStack();
    new AutoscalingGroup(stack, "asg", { maxSize: 1, minSize: 1, tag: [{ key: "Role", value: "web", propagateAtLaunch: true }] });
    const asg = resources(synth(stack), "aws_autoscaling_group")[0] as { tag: { key: string; value: string; propagate_at_launch: boolean }[] };
    const byKey = Object.fromEntries(asg.tag.map((t) => [t.key, t]));
    expect(byKey["Role"]?.value).toBe("web");
    for (const [key, value] of Object.entries(EXPECTED_TAGS)) {
      expect(byKey[key]).toEqual({ key, value, propagate_at_launch: true });
    }
    expect(asg.tag).toHaveLength(MANDATORY_TAG_KEYS.length + 1);
  });

  it("adds instance and volume tag_specifications to an aws_launch_template", () => {
    const stack = makeStack();
    new LaunchTemplate(stack, "lt", { name: "x", imageId: "ami-12345678" });
    const lt = resources(synth(stack), "aws_launch_template")[0] as { tag_specifications: { resource_type: string; tags: Record<string, string> }[] };
    expect(lt.tag_specifications.map((t) => t.resource_type).sort()).toEqual(["instance", "volume"]);
    for (const spec of lt.tag_specifications) expect(spec.tags).toEqual(EXPECTED_TAGS);
  });

  it("writes explicit tags on a resource whose provider has no default_tags", () => {
    const stack = makeStack();
    const raw = new AwsProvider(stack, "raw", { alias: "raw", region: "eu-west-1" });
    new S3Bucket(stack, "raw-bucket", { bucket: "acme-dev-raw", provider: raw, tags: { Purpose: "test" } });
    new S3Bucket(stack, "default-bucket", { bucket: "acme-dev-default" });
    const buckets = synth(stack).resource["aws_s3_bucket"] ?? {};
    const rawBucket = Object.entries(buckets).find(([k]) => k.startsWith("raw-bucket"))?.[1] as { tags: Record<string, string>; provider: string };
    expect(rawBucket.provider).toBe("aws.raw");
    expect(rawBucket.tags).toEqual({ Purpose: "test", ...EXPECTED_TAGS });
    const defaultBucket = Object.entries(buckets).find(([k]) => k.startsWith("default-bucket"))?.[1] as Record<string, unknown>;
    expect(defaultBucket["tags"]).toBeUndefined();
  });
});

/** The line number after the caller's line. */
function nextLine(): number {
  const frame = new Error().stack?.split("\n")[2] ?? "";
  return Number(/:(\d+):\d+\)?$/.exec(frame)?.[1]) + 1;
}

describe("stack metadata", () => {
  it("writes the environment and construct sources into the synthesized JSON", () => {
    const outdir = mkdtempSync(join(tmpdir(), "baseplate-meta-"));
    try {
      const app = new App({ outdir });
      const stack = new BaselineStack(app, "payments-api-dev", stackProps());
      const roleLine = nextLine();
      new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com" });
      new SecureBucket(stack, "invoices", { name: "invoices" });
      app.synth();
      const dir = join(outdir, "stacks", "payments-api-dev");
      expect(readdirSync(dir)).toContain("cdk.tf.json");
      const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, Record<string, unknown>>;
      const meta = json["//"]?.["baseplate"] as { schema: string; stack: string; service: string; environment: unknown; sources: Record<string, string> };
      expect(meta.schema).toBe("baseplate/stack-metadata@1");
      expect(meta.stack).toBe("payments-api-dev");
      expect(meta.service).toBe("payments-api");
      expect(meta.environment).toEqual({ name: "dev", tier: "dev", account: "123456789012", region: "eu-west-1" });
      expect(meta.sources["payments-api-dev/task"]).toBe(`modules/test/baseline.test.ts:${roleLine}`);
      expect(meta.sources["payments-api-dev/invoices"]).toMatch(/^modules\/test\/baseline\.test\.ts:\d+$/);
      expect(meta.sources["payments-api-dev/invoices/key"]).toBe(meta.sources["payments-api-dev/invoices"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("determinism", () => {
  it("synthesizes identical JSON for the same program", () => {
    const build = (): string => {
      const stack = makeStack({ name: "prod", tier: "prod" });
      const logs = new LogBucket(stack, "logs");
      const bucket = new SecureBucket(stack, "invoices", { name: "invoices", accessLogs: { bucket: logs } });
      const role = new ServiceRole(stack, "task", { name: "task", servicePrincipal: "ecs-tasks.amazonaws.com" });
      bucket.grantReadWrite(role);
      new StateBackendBootstrap(stack, "state");
      new CiRoles(stack, "ci");
      return Testing.synth(stack);
    };
    const first = build();
    expect(build()).toBe(first);
    expect(first).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});

describe("validation", () => {
  it("rejects a bad account id with the stack path and the fix", () => {
    expectBaselineError(() => makeStack({ account: "12345" }), "payments-api-dev", /account id "12345" is invalid/, /12-digit AWS account id/);
  });

  it("rejects an unknown tier", () => {
    expectBaselineError(() => makeStack({ tier: "production" as never }), "payments-api-dev", /tier "production" is unknown/, /dev, stage, prod/);
  });

  it("rejects a missing owner", () => {
    expectBaselineError(() => makeStack({}, { owner: "" }), "payments-api-dev", /mandatory tag Owner is missing/, /team slug/);
  });

  it("rejects an invalid cost centre and lists further environment problems", () => {
    expectBaselineError(() => makeStack({}, { costCenter: "1042" }), "payments-api-dev", /CostCenter="1042" is invalid/, /CC-/);
    const err = expectBaselineError(() => makeStack({ account: "x", region: "mars-1" }), "payments-api-dev", /and 1 more: region "mars-1"/, /12-digit/);
    expect(err.name).toBe("BaselineError");
  });

  it("rejects a Baseplate construct outside a BaselineStack", () => {
    const app = Testing.app();
    const plain = new TerraformStack(app, "plain");
    const holder = new Construct(plain, "holder");
    expectBaselineError(() => new SecureBucket(holder, "b", { name: "b" }), "plain/holder", /not inside a BaselineStack/, /new BaselineStack/);
  });
});
