import { describe, expect, it } from "vitest";
import { collectTokenReferences, interpolations, referenceTarget, splitAddress, stripIndexes } from "../../src/input/references.ts";

function refs(value: unknown): string[] {
  const into = new Set<string>();
  collectTokenReferences(value, into);
  return [...into].sort();
}

describe("referenceTarget", () => {
  it.each([
    ["aws_kms_key.k.arn", "aws_kms_key.k"],
    ["aws_kms_key.k", "aws_kms_key.k"],
    ["data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p"],
    ["aws_subnet.s[0].id", "aws_subnet.s[0]"],
    ['aws_subnet.s["a"].id', 'aws_subnet.s["a"]'],
    ["module.vpc.vpc_id", "module.vpc"],
    ['module.net["a"].sg_id', 'module.net["a"]'],
    ["var.region", null],
    ["local.tags", null],
    ["each.value", null],
    ["count.index", null],
    ["path.module", null],
    ["self.id", null],
    ["terraform.workspace", null],
    ["_.a", null],
    ["foo.bar", null],
    ["data.foo.bar", null],
    ["aws_.x", null],
  ])("%s -> %s", (traversal, expected) => {
    expect(referenceTarget(traversal)).toBe(expected);
  });
});

describe("interpolations", () => {
  it("finds nested interpolation bodies and skips escaped $${", () => {
    expect(interpolations('a-${aws_s3_bucket.b.id}-$${literal}-${lookup({a = "}"}, "a")}')).toEqual([
      "aws_s3_bucket.b.id",
      'lookup({a = "}"}, "a")',
    ]);
  });
});

describe("collectTokenReferences", () => {
  it("reads ${...} tokens anywhere in the values, including inside JSON policy strings", () => {
    const values = {
      bucket: "${aws_s3_bucket.assets_1A2B.id}",
      policy: '{"Resource":"${aws_s3_bucket.assets_1A2B.arn}/*"}',
      nested: [{ kms_master_key_id: "${aws_kms_key.key_9F8E.arn}" }],
      doc: "${data.aws_iam_policy_document.doc_77.json}",
      fn: "${element(aws_subnet.private.*.id, 0)}",
      cond: '${var.enabled ? aws_sns_topic.alarms.arn : ""}',
      idx: '${aws_subnet.per_az["eu-west-1a"].id}',
      mod: "${module.vpc.private_subnets}",
      ignored: ["${var.region}", "${local.name}", "plain", 42, null, "${each.key}"],
      literal: '${jsonencode({ "aws_fake.name" = 1 })}',
    };
    expect(refs(values)).toEqual([
      "aws_kms_key.key_9F8E",
      "aws_s3_bucket.assets_1A2B",
      "aws_sns_topic.alarms",
      'aws_subnet.per_az["eu-west-1a"]',
      "aws_subnet.private",
      "data.aws_iam_policy_document.doc_77",
      "module.vpc",
    ]);
  });

  it("does not read attribute chains as resources", () => {
    expect(refs("${aws_lb.main.dns_name.foo_bar.baz}")).toEqual(["aws_lb.main"]);
  });
});

describe("addresses", () => {
  it("splits and strips instance keys, respecting quoted keys with dots and brackets", () => {
    expect(splitAddress('module.a["x.y]"].aws_s3_bucket.b[0]')).toEqual(["module", 'a["x.y]"]', "aws_s3_bucket", "b[0]"]);
    expect(stripIndexes('module.a["x.y]"].module.b[2].aws_s3_bucket.c["k"]')).toBe("module.a.module.b.aws_s3_bucket.c");
  });
});
