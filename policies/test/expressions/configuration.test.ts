import { describe, expect, it } from "vitest";
import { Configuration, plainOf, symbolicOf } from "../../src/input/expressions/configuration.ts";
import { partitionOf, policyDocumentAttributes } from "../../src/input/expressions/aws.ts";
import { Unknown, type Value } from "../../src/input/expressions/index.ts";

const env = { account: "123456789012", region: "eu-west-1" };

function evaluated(doc: Record<string, unknown>, mode: "managed" | "data", type: string, name: string, options = {}) {
  const config = new Configuration(doc, { environment: env, ...options });
  const r = config.evaluate(mode, type, name);
  if (r === null) throw new Error("missing");
  return { values: plainOf(r.values) as Record<string, unknown>, symbolic: symbolicOf(r.values), computed: r.computed === null ? null : (plainOf(r.computed) as Record<string, unknown>), refs: [...r.refs].sort() };
}

describe("variables, locals and configured arguments", () => {
  const doc = {
    variable: { cidr: { default: "0.0.0.0/0" }, name: { type: "string" } },
    locals: { open: "${var.cidr}", ports: [22, "${1 + 1}"], chain: "${local.open}" },
    resource: {
      aws_s3_bucket: { b: { bucket: "logs-${var.name}", force_destroy: "${true}" } },
      aws_security_group_rule: {
        r: { cidr_blocks: ["${local.chain}"], from_port: "${local.ports[1]}", description: "for ${aws_s3_bucket.b.bucket}", depends_on: ["aws_s3_bucket.b"] },
      },
    },
  };

  it("a variable's default and a local (through another local) reach the value", () => {
    const r = evaluated(doc, "managed", "aws_security_group_rule", "r");
    expect(r.values["cidr_blocks"]).toEqual(["0.0.0.0/0"]);
    expect(r.values["from_port"]).toBe(2);
    expect(r.values["depends_on"]).toEqual(["aws_s3_bucket.b"]);
  });

  it("a configured argument of another resource is known as far as its own expression is", () => {
    const r = evaluated(doc, "managed", "aws_security_group_rule", "r");
    expect(r.values["description"]).toBe("for logs-${var.name}");
    expect(r.symbolic).toEqual({ description: "var.name (no default: set when Terraform runs)" });
    expect(r.refs).toEqual(["aws_s3_bucket.b"]);
  });

  it("a plan's variable values win over defaults", () => {
    const r = evaluated(doc, "managed", "aws_security_group_rule", "r", { variables: { cidr: "10.0.0.0/8" } });
    expect(r.values["cidr_blocks"]).toEqual(["10.0.0.0/8"]);
  });

  it("a known value comes back as the same object (no copy when nothing is evaluated)", () => {
    const plain = { resource: { aws_s3_bucket: { b: { bucket: "x", tags: { a: "b" } } } } };
    const config = new Configuration(plain, { environment: env });
    expect(config.evaluate("managed", "aws_s3_bucket", "b")?.values).toBe(plain.resource.aws_s3_bucket.b);
  });

  it("a local that refers to itself is unknown, not a crash", () => {
    const r = evaluated({ locals: { a: "${local.b}", b: "${local.a}" }, resource: { t_x: { y: { v: "${local.a}" } } } }, "managed", "t_x", "y");
    expect(r.values["v"]).toBe("${local.a}");
    expect(String((r.symbolic as Record<string, unknown>)["v"])).toMatch(/refers to itself/);
  });
});

describe("data sources known from configuration", () => {
  const doc = {
    provider: { aws: [{ region: "eu-west-1" }] },
    data: {
      aws_partition: { current: {}, china: { provider: "aws.cn" } },
      aws_caller_identity: { me: {} },
      aws_region: { here: {} },
      aws_iam_policy: { admin: { name: "AdministratorAccess" }, power: { arn: "arn:${data.aws_partition.current.partition}:iam::aws:policy/PowerUserAccess" }, mine: { name: "custom" } },
    },
  };
  const providers = { aws: { region: "eu-west-1" }, "aws.cn": { alias: "cn", region: "cn-north-1" } };

  it("aws_partition from the provider's region", () => {
    expect(evaluated(doc, "data", "aws_partition", "current", { providers }).computed).toMatchObject({ partition: "aws", dns_suffix: "amazonaws.com" });
    expect(evaluated(doc, "data", "aws_partition", "china", { providers }).computed).toMatchObject({ partition: "aws-cn" });
    expect(partitionOf("us-gov-west-1").partition).toBe("aws-us-gov");
    expect(partitionOf(null).partition).toBe("aws");
  });

  it("aws_caller_identity and aws_region from the environment", () => {
    expect(evaluated(doc, "data", "aws_caller_identity", "me").computed).toMatchObject({ account_id: "123456789012" });
    expect(evaluated(doc, "data", "aws_region", "here").computed).toMatchObject({ name: "eu-west-1", region: "eu-west-1" });
    const none = new Configuration(doc, { environment: { account: null, region: null } });
    expect(none.evaluate("data", "aws_caller_identity", "me")?.computed).toBeNull();
  });

  it("aws_iam_policy for an AWS-managed policy by name or partition-agnostic ARN carries its document", () => {
    const admin = evaluated(doc, "data", "aws_iam_policy", "admin", { providers }).computed;
    expect(admin?.["arn"]).toBe("arn:aws:iam::aws:policy/AdministratorAccess");
    expect(JSON.parse(admin?.["policy"] as string)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    const power = evaluated(doc, "data", "aws_iam_policy", "power", { providers }).computed;
    expect(power?.["arn"]).toBe("arn:aws:iam::aws:policy/PowerUserAccess");
    const powerDoc = JSON.parse(power?.["policy"] as string) as { Statement: { NotAction?: string[] }[] };
    expect(powerDoc.Statement[0]?.NotAction).toContain("iam:*");
    expect(evaluated(doc, "data", "aws_iam_policy", "mine").computed).toBeNull();
  });

  it("a reference to a data source's attribute reads the computed value", () => {
    const withUse = { ...doc, resource: { aws_iam_role_policy_attachment: { a: { policy_arn: "${data.aws_iam_policy.admin.arn}" } } } };
    expect(evaluated(withUse, "managed", "aws_iam_role_policy_attachment", "a", { providers }).values["policy_arn"]).toBe("arn:aws:iam::aws:policy/AdministratorAccess");
  });
});

describe("aws_iam_policy_document", () => {
  function json(attrs: { [key: string]: Value }): unknown {
    const out = policyDocumentAttributes(attrs);
    const v = out["json"];
    return JSON.parse(v instanceof Unknown ? v.text : (v as string));
  }

  it("renders statements as the provider does: one value a string, several a list, principals and conditions", () => {
    expect(
      json({
        statement: [
          {
            sid: "Public",
            actions: ["s3:GetObject"],
            resources: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
            principals: [{ type: "*", identifiers: ["*"] }],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["true"] }],
          },
          { effect: "Deny", not_actions: ["iam:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:root"] }] },
        ],
      }),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Public",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
          Principal: "*",
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        },
        { Effect: "Deny", NotAction: "iam:*", Resource: "*", Principal: { AWS: "arn:aws:iam::111122223333:root" } },
      ],
    });
  });

  it("merges source documents, then its own statements by Sid, then overrides", () => {
    const source = JSON.stringify({ Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Sid: "B", Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] });
    const override = JSON.stringify({ Statement: [{ Sid: "B", Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "kms:*", Resource: "*" }] });
    const doc = json({ source_policy_documents: [source], statement: [{ sid: "A", actions: ["s3:PutObject"], resources: ["*"] }], override_policy_documents: [override] }) as { Statement: { Sid?: string; Action: string }[] };
    expect(doc.Statement.map((s) => [s.Sid ?? null, s.Action])).toEqual([
      ["A", "s3:PutObject"],
      ["B", "*"],
      [null, "kms:*"],
    ]);
  });

  it("an unknown resource stays a token; an unreadable source document stays an entry of Statement", () => {
    const out = policyDocumentAttributes({
      source_policy_documents: [Unknown.of("data.aws_iam_policy.x.policy", "the policy of data.aws_iam_policy.x")],
      statement: [{ actions: ["*"], resources: [Unknown.of("aws_s3_bucket.b.arn", "the arn of aws_s3_bucket.b")], principals: [{ type: "AWS", identifiers: ["*"] }] }],
    });
    expect(out["json"]).toBeInstanceOf(Unknown);
    expect(JSON.parse((out["json"] as Unknown).text)).toEqual({
      Version: "2012-10-17",
      Statement: ["${data.aws_iam_policy.x.policy}", { Effect: "Allow", Action: "*", Resource: "${aws_s3_bucket.b.arn}", Principal: { AWS: "*" } }],
    });
    expect((out["json"] as Unknown).what).toEqual(["the policy of data.aws_iam_policy.x", "the arn of aws_s3_bucket.b"]);
  });

  it("source_policy_documents given as references to other documents are merged (synth form)", () => {
    const doc = {
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ sid: "Admin", actions: ["*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }] }] },
          merged: { source_policy_documents: ["${data.aws_iam_policy_document.base.json}"], statement: [{ sid: "Read", actions: ["s3:GetObject"], resources: ["*"] }] },
        },
      },
    };
    const merged = evaluated(doc, "data", "aws_iam_policy_document", "merged").computed;
    const mergedDoc = JSON.parse(merged?.["json"] as string) as { Statement: { Sid: string }[] };
    expect(mergedDoc.Statement.map((s) => s.Sid)).toEqual(["Admin", "Read"]);
  });
});
