/**
 * Generates large synthesized estates (cdktf `cdk.tf.json` files) and matching plan JSON for the
 * scaling benchmark. The resource mix follows what the example estate's constructs emit: buckets with
 * their companion resources (versioning, encryption, public access block, ownership controls), KMS
 * keys, security groups with ingress rules, roles with inline policies, database instances, log groups
 * and alarms. A fixed share of units carries a known violation, so every run has findings to report.
 *
 *   node tools/bench/generate.ts --resources 10000 --out /tmp/estate-10k [--per-stack 1000] [--plan]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

type Json = Record<string, unknown>;

export interface GeneratedStack {
  name: string;
  doc: Json;
  resources: number;
}

const ACCOUNT = "333333333333";
const REGION = "eu-west-1";

function hex(n: number): string {
  return (n * 2654435761 >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

function meta(stack: string, path: string, id: string): Json {
  return { "//": { metadata: { path: `${stack}/${path}`, uniqueId: id } } };
}

/** Adds one unit (12 or 13 resources) to `resource`; returns how many were added. */
function addUnit(resource: Record<string, Json>, stack: string, service: string, i: number): number {
  const put = (type: string, path: string, values: Json): string => {
    const id = `${path.replace(/\//g, "_")}_${hex(i * 31 + path.length)}`;
    const byType = (resource[type] ??= {});
    byType[id] = { ...meta(stack, path, id), ...values };
    return `${type}.${id}`;
  };
  const unit = `u${i}`;
  const name = `acme-prod-${service}-${unit}`;
  const key = put("aws_kms_key", `${unit}/key`, {
    description: `Key of ${unit}`,
    deletion_window_in_days: 30,
    enable_key_rotation: i % 9 !== 4, // KMS-001 violation in every 9th unit
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
    }),
  });
  const bucket = put("aws_s3_bucket", `${unit}/bucket`, { bucket: `${name}-data-${ACCOUNT}`, force_destroy: false });
  const bucketId = `\${${bucket}.id}`;
  if (i % 7 !== 3) {
    put("aws_s3_bucket_versioning", `${unit}/versioning`, { bucket: bucketId, versioning_configuration: { status: "Enabled" } });
  } else {
    // S3-004 violation: versioning suspended.
    put("aws_s3_bucket_versioning", `${unit}/versioning`, { bucket: bucketId, versioning_configuration: { status: "Suspended" } });
  }
  put("aws_s3_bucket_server_side_encryption_configuration", `${unit}/encryption`, {
    bucket: bucketId,
    rule: [{ apply_server_side_encryption_by_default: { kms_master_key_id: `\${${key}.arn}`, sse_algorithm: "aws:kms" }, bucket_key_enabled: true }],
  });
  put("aws_s3_bucket_public_access_block", `${unit}/public-access-block`, {
    bucket: bucketId,
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: i % 10 !== 6, // S3-002 violation in every 10th unit
  });
  put("aws_s3_bucket_ownership_controls", `${unit}/ownership`, { bucket: bucketId, rule: [{ object_ownership: "BucketOwnerEnforced" }] });
  const sg = put("aws_security_group", `${unit}/sg`, {
    name: `${name}-sg`,
    description: `Security group of ${unit}`,
    vpc_id: "vpc-0123456789abcdef0",
    revoke_rules_on_delete: true,
  });
  const ssh = i % 11 === 5; // NET-002 violation: SSH from the world
  put("aws_vpc_security_group_ingress_rule", `${unit}/sg-ingress`, {
    security_group_id: `\${${sg}.id}`,
    cidr_ipv4: "0.0.0.0/0",
    ip_protocol: "tcp",
    from_port: ssh ? 22 : 443,
    to_port: ssh ? 22 : 443,
    description: ssh ? "SSH" : "HTTPS from the internet",
  });
  const role = put("aws_iam_role", `${unit}/role`, {
    name: `${name}-task`,
    assume_role_policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    permissions_boundary: `arn:aws:iam::${ACCOUNT}:policy/acme-prod-platform-boundary`,
    max_session_duration: 3600,
  });
  const logs = put("aws_cloudwatch_log_group", `${unit}/logs`, {
    name: `/acme/prod/${service}/${unit}`,
    retention_in_days: i % 13 === 8 ? 7 : 365, // LOG-001 violation in every 13th unit
    kms_key_id: `\${${key}.arn}`,
  });
  put("aws_iam_role_policy", `${unit}/role-policy`, {
    name: "grants",
    role: `\${${role}.name}`,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `\${${bucket}.arn}/*` },
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `\${${logs}.arn}:*` },
      ],
    }),
  });
  put("aws_cloudwatch_metric_alarm", `${unit}/alarm`, {
    alarm_name: `${name}-errors`,
    alarm_description: "Errors above threshold. Runbook: docs/runbooks/errors.md",
    comparison_operator: "GreaterThanThreshold",
    evaluation_periods: 1,
    metric_name: "Errors",
    namespace: "AWS/Lambda",
    period: 300,
    statistic: "Sum",
    threshold: 5,
    actions_enabled: true,
    alarm_actions: [`arn:aws:sns:${REGION}:${ACCOUNT}:acme-prod-alarms`],
    tags: { Runbook: "docs/runbooks/errors.md" },
  });
  let added = 12;
  if (i % 5 === 0) {
    put("aws_db_instance", `${unit}/db`, {
      identifier: `${name}-db`,
      engine: "postgres",
      engine_version: "16",
      instance_class: "db.r6g.large",
      allocated_storage: 50,
      storage_type: "gp3",
      storage_encrypted: i % 15 !== 10, // RDS-001 violation in every third database
      kms_key_id: `\${${key}.arn}`,
      publicly_accessible: false,
      multi_az: true,
      deletion_protection: true,
      backup_retention_period: 14,
      iam_database_authentication_enabled: true,
      manage_master_user_password: true,
      username: "app",
      skip_final_snapshot: false,
      final_snapshot_identifier: `${name}-db-final`,
    });
    added++;
  }
  return added;
}

/** One synthesized stack with about `count` resources (whole units; never fewer than asked). */
export function generateStack(name: string, count: number, seed: number): GeneratedStack {
  const service = name.replace(/-prod$/, "");
  const resource: Record<string, Json> = {};
  let total = 0;
  let unit = seed;
  while (total < count) total += addUnit(resource, name, service, unit++);
  const doc: Json = {
    "//": {
      metadata: { backend: "s3", stackName: name, version: "0.21.0" },
      outputs: {},
      baseplate: {
        schema: "baseplate/stack-metadata@1",
        service,
        environment: { name: "prod", tier: "prod", account: ACCOUNT, region: REGION },
        sources: {},
      },
    },
    provider: {
      aws: [
        {
          region: REGION,
          allowed_account_ids: [ACCOUNT],
          default_tags: [
            {
              tags: {
                CostCenter: "CC-2040",
                DataClassification: "internal",
                Environment: "prod",
                ManagedBy: "baseplate",
                Owner: "platform-team",
                Repository: "acme/infrastructure",
                Service: service,
              },
            },
          ],
        },
      ],
    },
    resource,
    terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
  };
  return { name, doc, resources: total };
}

/** Stacks adding up to `resources` resources, `perStack` each (the last may be smaller). */
export function generateEstate(resources: number, perStack = 1000): GeneratedStack[] {
  const stacks: GeneratedStack[] = [];
  let left = resources;
  let seed = 0;
  for (let s = 0; left > 0; s++) {
    const want = Math.min(perStack, left);
    const stack = generateStack(`svc${String(s).padStart(3, "0")}-prod`, want, seed);
    seed += Math.ceil(want / 12);
    left -= stack.resources;
    stacks.push(stack);
  }
  return stacks;
}

const REF = /\$\{([^}]*)\}/g;
const ADDRESS = /^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+/;

/** `${aws_kms_key.k.arn}` -> `aws_kms_key.k` for every reference in a value, deep. */
function references(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    for (const m of value.matchAll(REF)) {
      const target = ADDRESS.exec(m[1] ?? "");
      if (target) out.add(target[0]);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) references(v, out);
  } else if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) references(v, out);
  }
}

/** A value as a plan shows it before apply: reference strings become unknown. */
function planned(value: unknown): { after: unknown; unknown: unknown } {
  if (typeof value === "string") return value.includes("${") ? { after: undefined, unknown: true } : { after: value, unknown: false };
  if (Array.isArray(value)) {
    const parts = value.map(planned);
    return { after: parts.map((p) => p.after ?? null), unknown: parts.map((p) => p.unknown) };
  }
  if (typeof value === "object" && value !== null) {
    const after: Json = {};
    const unknown: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const p = planned(v);
      if (p.after !== undefined) after[k] = p.after;
      if (p.unknown !== false) unknown[k] = p.unknown;
    }
    return { after, unknown };
  }
  return { after: value, unknown: false };
}

/**
 * The plan `terraform show -json` would print for creating a generated stack: every resource a
 * create, references unknown until apply, and `configuration` carrying the references.
 */
export function toPlan(stack: GeneratedStack): Json {
  const resourceChanges: Json[] = [];
  const configResources: Json[] = [];
  const plannedResources: Json[] = [];
  const resources = stack.doc["resource"] as Record<string, Record<string, Json>>;
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, raw] of Object.entries(byName)) {
      const values: Json = { ...raw };
      delete values["//"];
      const address = `${type}.${name}`;
      const { after, unknown } = planned(values);
      resourceChanges.push({
        address,
        mode: "managed",
        type,
        name,
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: { actions: ["create"], before: null, after, after_unknown: unknown, before_sensitive: false, after_sensitive: {} },
      });
      plannedResources.push({ address, mode: "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws", schema_version: 0, values: after, sensitive_values: {} });
      const expressions: Json = {};
      for (const [attr, v] of Object.entries(values)) {
        const refs = new Set<string>();
        references(v, refs);
        if (refs.size > 0) {
          // Terraform lists both the attribute reference and the resource address.
          expressions[attr] = { references: [...refs].flatMap((r) => [`${r}.id`, r]) };
        } else if (typeof v !== "object" || v === null) {
          expressions[attr] = { constant_value: v };
        }
      }
      configResources.push({ address, mode: "managed", type, name, provider_config_key: "aws", expressions, schema_version: 0 });
    }
  }
  const provider = ((stack.doc["provider"] as Json)["aws"] as Json[])[0] ?? {};
  return {
    format_version: "1.2",
    terraform_version: "1.10.5",
    planned_values: { root_module: { resources: plannedResources } },
    resource_changes: resourceChanges,
    configuration: {
      provider_config: {
        aws: {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          expressions: {
            region: { constant_value: provider["region"] },
            allowed_account_ids: { constant_value: provider["allowed_account_ids"] },
            default_tags: [{ tags: { constant_value: ((provider["default_tags"] as Json[])[0] ?? {})["tags"] } }],
          },
        },
      },
      root_module: { resources: configResources },
    },
    complete: true,
    errored: false,
  };
}

/**
 * Writes an estate as a synth output directory (`<out>/manifest.json`, `<out>/stacks/<name>/cdk.tf.json`)
 * and, with `plan`, `<out>/plans/<name>.plan.json`. Returns the total resource count.
 */
export function writeEstate(out: string, resources: number, options: { perStack?: number; plan?: boolean } = {}): { stacks: string[]; resources: number } {
  const stacks = generateEstate(resources, options.perStack ?? 1000);
  const manifest: Json = { version: "0.21.0", stacks: {} };
  let total = 0;
  for (const stack of stacks) {
    const dir = join(out, "stacks", stack.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(stack.doc, null, 2));
    (manifest["stacks"] as Json)[stack.name] = {
      name: stack.name,
      constructPath: stack.name,
      workingDirectory: `stacks/${stack.name}`,
      synthesizedStackPath: `stacks/${stack.name}/cdk.tf.json`,
      annotations: [],
      dependencies: [],
    };
    if (options.plan === true) {
      mkdirSync(join(out, "plans"), { recursive: true });
      writeFileSync(join(out, "plans", `${stack.name}.plan.json`), JSON.stringify(toPlan(stack)));
    }
    total += stack.resources;
  }
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
  return { stacks: stacks.map((s) => s.name), resources: total };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { resources: { type: "string" }, out: { type: "string" }, "per-stack": { type: "string" }, plan: { type: "boolean" } },
  });
  if (values.resources === undefined || values.out === undefined) {
    process.stderr.write("usage: node tools/bench/generate.ts --resources N --out DIR [--per-stack N] [--plan]\n");
    process.exit(2);
  }
  const written = writeEstate(values.out, Number(values.resources), {
    perStack: values["per-stack"] === undefined ? 1000 : Number(values["per-stack"]),
    plan: values.plan === true,
  });
  process.stdout.write(`wrote ${written.resources} resources in ${written.stacks.length} stacks to ${values.out}\n`);
}
