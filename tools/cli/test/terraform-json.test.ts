import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readInput } from "../src/input/index.ts";
import { normalize } from "../src/normalize.ts";
import { declaresNoInstance } from "../src/input/terraform-json.ts";

const NOW = "2026-11-25T00:00:00Z";
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const META = { metadata: { backend: "local", stackName: "s", version: "0.21.0" } };

/** A stack directory `s` holding the given files; returns [cwd, path of cdk.tf.json]. */
function stackDir(files: Record<string, unknown>): [string, string] {
  const cwd = mkdtempSync(join(tmpdir(), "baseplate-tfjson-"));
  dirs.push(cwd);
  mkdirSync(join(cwd, "s"));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(cwd, "s", name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return [cwd, join(cwd, "s", "cdk.tf.json")];
}

function addresses(cwd: string, file: string): string[] {
  const input = normalize(readInput(file, cwd), { now: NOW, stack: null, environment: {} });
  return Object.values(input.resources).flat().map((r) => r.address).sort();
}

describe("a stack directory is read as Terraform reads it", () => {
  it("reads every *.tf.json beside cdk.tf.json", () => {
    const [cwd, file] = stackDir({
      "cdk.tf.json": { "//": META, resource: { aws_s3_bucket: { a: { bucket: "a" } } } },
      "extra.tf.json": { resource: { aws_security_group: { open: { ingress: [{ cidr_blocks: ["0.0.0.0/0"], from_port: 22, to_port: 22, protocol: "tcp" }] } } } },
      "more.tf.json": { data: { aws_caller_identity: { me: {} } }, provider: { aws: [{ alias: "use1", region: "us-east-1" }] } },
      "notes.json": { resource: { aws_s3_bucket: { ignored: {} } } },
    });
    const loaded = readInput(file, cwd);
    expect(loaded.files).toEqual([join("s", "cdk.tf.json"), join("s", "extra.tf.json"), join("s", "more.tf.json")]);
    expect(addresses(cwd, file)).toEqual(["aws_s3_bucket.a", "aws_security_group.open", "data.aws_caller_identity.me"]);
    const input = normalize(loaded, { now: NOW, stack: null, environment: {} });
    expect(Object.keys(input.providers)).toContain("aws.use1");
  });

  it("refuses a resource declared in two files, naming both", () => {
    const [cwd, file] = stackDir({
      "cdk.tf.json": { "//": META, resource: { aws_s3_bucket: { a: { bucket: "a" } } } },
      "extra.tf.json": { resource: { aws_s3_bucket: { a: { bucket: "other" } } } },
    });
    expect(() => readInput(file, cwd)).toThrow(/^s\/extra\.tf\.json: aws_s3_bucket\.a is declared again \(first in s\/cdk\.tf\.json\)/);
  });

  it("refuses HCL and override files it cannot read the way Terraform does", () => {
    const [cwd, file] = stackDir({ "cdk.tf.json": { "//": META, resource: {} }, "main.tf": 'resource "aws_s3_bucket" "x" {}' });
    expect(() => readInput(file, cwd)).toThrow(/^s\/main\.tf is an HCL file that Terraform reads/);
    const [cwd2, file2] = stackDir({ "cdk.tf.json": { "//": META, resource: {} }, "x_override.tf.json": { resource: {} } });
    expect(() => readInput(file2, cwd2)).toThrow(/^s\/x_override\.tf\.json is a Terraform override file/);
  });

  it("a sibling file with a repeated key is refused with file:line", () => {
    const [cwd, file] = stackDir({
      "cdk.tf.json": { "//": META, resource: {} },
      "extra.tf.json": '{\n "resource": {},\n "resource": {"aws_s3_bucket": {"b": {}}}\n}',
    });
    expect(() => readInput(file, cwd)).toThrow(/^s\/extra\.tf\.json:3:2: duplicate key "resource"/);
  });

  it("accepts array-form block bodies at every label level (hcl2json)", () => {
    const [cwd, file] = stackDir({
      "cdk.tf.json": {
        "//": META,
        resource: [
          { aws_s3_bucket: { b: [{ bucket: "b", tags: { Name: "b" } }] } },
          { aws_s3_bucket_versioning: [{ v: [{ bucket: "${aws_s3_bucket.b.id}", versioning_configuration: [{ status: "Enabled" }] }] }] },
        ],
        provider: { aws: { region: "eu-west-1" } },
      },
    });
    const input = normalize(readInput(file, cwd), { now: NOW, stack: null, environment: {} });
    const bucket = input.resources["aws_s3_bucket"]?.[0];
    expect(bucket?.values).toEqual({ bucket: "b", tags: { Name: "b" } });
    expect(input.resources["aws_s3_bucket_versioning"]?.[0]?.references).toEqual(["aws_s3_bucket.b"]);
    expect(input.providers["aws"]).toEqual({ region: "eu-west-1" });
  });

  it("refuses two bodies for one resource name", () => {
    const [cwd, file] = stackDir({ "cdk.tf.json": { "//": META, resource: { aws_s3_bucket: { b: [{}, {}] } } } });
    expect(() => readInput(file, cwd)).toThrow(/aws_s3_bucket\.b is declared 2 times/);
  });

  it("drops resources with count 0 or an empty for_each: they do not exist", () => {
    const [cwd, file] = stackDir({
      "cdk.tf.json": {
        "//": META,
        resource: {
          aws_s3_account_public_access_block: { zero: { count: 0, block_public_acls: true }, zero_text: { count: "${0}" }, one: { count: 1 } },
          aws_ebs_encryption_by_default: { none: { for_each: "${toset([])}", enabled: true }, empty_map: { for_each: {} }, some: { for_each: '${toset(["a"])}' } },
        },
      },
    });
    const loaded = readInput(file, cwd);
    expect(loaded.absent).toEqual([
      "aws_ebs_encryption_by_default.empty_map",
      "aws_ebs_encryption_by_default.none",
      "aws_s3_account_public_access_block.zero",
      "aws_s3_account_public_access_block.zero_text",
    ]);
    expect(addresses(cwd, file)).toEqual(["aws_ebs_encryption_by_default.some", "aws_s3_account_public_access_block.one"]);
  });

  it("declaresNoInstance reads only what is certain", () => {
    expect(declaresNoInstance({ count: 0 })).toBe(true);
    expect(declaresNoInstance({ count: "0" })).toBe(true);
    expect(declaresNoInstance({ count: "${ 0 }" })).toBe(true);
    expect(declaresNoInstance({ for_each: [] })).toBe(true);
    expect(declaresNoInstance({ for_each: "${{}}" })).toBe(true);
    expect(declaresNoInstance({ for_each: "${tomap({})}" })).toBe(true);
    expect(declaresNoInstance({ count: 2 })).toBe(false);
    expect(declaresNoInstance({ count: "${var.n}" })).toBe(false);
    expect(declaresNoInstance({ for_each: "${var.names}" })).toBe(false);
    expect(declaresNoInstance({ for_each: "${toset([])}${var.x}" })).toBe(false);
    expect(declaresNoInstance({})).toBe(false);
  });
});
