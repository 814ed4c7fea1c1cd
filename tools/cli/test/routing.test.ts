/**
 * Routing from the decision rights: each category's attribute-level change predicates
 * (governance/decision-rights.json) put a changed resource in the category, and the category
 * sends it to the approver the decision rights name, in every tier. The table holds every case
 * issue 15 lists, each proved with no policy finding at all (an empty catalog), so routing does
 * not depend on a rule firing.
 */
import { describe, expect, it } from "vitest";
import { buildReview, loadDecisionRights } from "../src/review.ts";
import type { Catalog, PolicyResource, Tier } from "../src/types.ts";
import { planInput, planResource } from "./fixtures/reporting/plans.ts";

const rights = loadDecisionRights();
const NO_RULES: Catalog = { schema: "baseplate/catalog@1", opa_version: "test", rules: [] };

/** A resource changing from `before` to `after` (null: created / deleted). */
function change(address: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, unknown: Record<string, unknown> = {}): PolicyResource {
  const actions = before === null ? ["create"] : after === null ? ["delete"] : ["update"];
  const r = planResource(address, actions, after ?? before ?? {});
  return { ...r, before, unknown };
}
const replaced = (r: PolicyResource): PolicyResource => ({ ...r, actions: ["delete", "create"], replace: true });

interface Case {
  name: string;
  category: string;
  resource: PolicyResource;
}

const db = { engine: "postgres", deletion_protection: true, backup_retention_period: 14, multi_az: true, publicly_accessible: false };
const CASES: Case[] = [
  // iam: identity policies and resource policies on buckets, keys and functions
  { name: "bucket policy changed", category: "iam", resource: change("aws_s3_bucket_policy.docs", { policy: '{"Statement":[]}' }, { policy: '{"Statement":[{"Effect":"Allow"}]}' }) },
  { name: "bucket policy added", category: "iam", resource: change("aws_s3_bucket_policy.docs", null, { policy: "{}" }) },
  { name: "bucket policy removed", category: "iam", resource: change("aws_s3_bucket_policy.docs", { policy: "{}" }, null) },
  { name: "inline bucket policy changed", category: "iam", resource: change("aws_s3_bucket.docs", { bucket: "b", policy: "{}" }, { bucket: "b", policy: '{"Statement":[1]}' }) },
  { name: "KMS key policy changed (attribute)", category: "iam", resource: change("aws_kms_key.docs", { policy: "{}" }, { policy: '{"Statement":[1]}' }) },
  { name: "KMS key policy known only after apply", category: "iam", resource: change("aws_kms_key.docs", { policy: "{}" }, { policy: null }, { policy: true }) },
  { name: "KMS key policy resource", category: "iam", resource: change("aws_kms_key_policy.docs", { policy: "{}" }, { policy: "{ }" }) },
  { name: "KMS grant added", category: "iam", resource: change("aws_kms_grant.app", null, { operations: ["Decrypt"] }) },
  { name: "Lambda resource policy (permission) added", category: "iam", resource: change("aws_lambda_permission.invoke", null, { principal: "*" }) },
  { name: "Lambda function URL added", category: "iam", resource: change("aws_lambda_function_url.api", null, { authorization_type: "NONE" }) },
  { name: "Lambda execution role changed", category: "iam", resource: change("aws_lambda_function.worker", { role: "arn:a" }, { role: "arn:b" }) },
  { name: "IAM role policy attachment", category: "iam", resource: change("aws_iam_role_policy_attachment.admin", null, { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }) },
  { name: "IAM role in a module", category: "iam", resource: change("module.app.aws_iam_role.task", { name: "t" }, { name: "t2" }) },
  { name: "SQS queue policy", category: "iam", resource: change("aws_sqs_queue_policy.q", { policy: "{}" }, { policy: "{ }" }) },
  // compliance-posture
  { name: "RDS deletion protection off", category: "compliance-posture", resource: change("aws_db_instance.main", db, { ...db, deletion_protection: false }) },
  { name: "Aurora deletion protection off", category: "compliance-posture", resource: change("aws_rds_cluster.main", { deletion_protection: true }, { deletion_protection: false }) },
  { name: "RDS deletion protection unknown after apply", category: "compliance-posture", resource: change("aws_db_instance.main", db, { ...db, deletion_protection: null }, { deletion_protection: true }) },
  { name: "DynamoDB deletion protection off", category: "compliance-posture", resource: change("aws_dynamodb_table.t", { deletion_protection_enabled: true }, { deletion_protection_enabled: false }) },
  { name: "LB deletion protection off", category: "compliance-posture", resource: change("aws_lb.api", { enable_deletion_protection: true, internal: true }, { enable_deletion_protection: false, internal: true }) },
  { name: "backup retention cut to 1 day", category: "compliance-posture", resource: change("aws_db_instance.main", db, { ...db, backup_retention_period: 1 }) },
  { name: "backup retention cut to 0", category: "compliance-posture", resource: change("aws_rds_cluster.main", { backup_retention_period: 7 }, { backup_retention_period: 0 }) },
  { name: "Multi-AZ off", category: "compliance-posture", resource: change("aws_db_instance.main", db, { ...db, multi_az: false }) },
  { name: "ElastiCache Multi-AZ off", category: "compliance-posture", resource: change("aws_elasticache_replication_group.r", { multi_az_enabled: true }, { multi_az_enabled: false }) },
  { name: "backup plan deleted", category: "compliance-posture", resource: change("aws_backup_plan.daily", { name: "daily" }, null) },
  { name: "backup selection deleted", category: "compliance-posture", resource: change("aws_backup_selection.all", { name: "all" }, null) },
  { name: "flow log deleted", category: "compliance-posture", resource: change("aws_flow_log.vpc", { traffic_type: "ALL" }, null) },
  { name: "bucket access logging deleted", category: "compliance-posture", resource: change("aws_s3_bucket_logging.docs", { target_bucket: "logs" }, null) },
  { name: "LB access logging off", category: "compliance-posture", resource: change("aws_lb.api", { internal: true, access_logs: [{ enabled: true, bucket: "logs" }] }, { internal: true, access_logs: [{ enabled: false, bucket: "logs" }] }) },
  { name: "LB access logging block removed", category: "compliance-posture", resource: change("aws_lb.api", { internal: true, access_logs: [{ enabled: true, bucket: "logs" }] }, { internal: true, access_logs: [] }) },
  { name: "CloudTrail deleted", category: "compliance-posture", resource: change("aws_cloudtrail.org", { name: "org" }, null) },
  { name: "log retention cut", category: "compliance-posture", resource: change("aws_cloudwatch_log_group.app", { retention_in_days: 365 }, { retention_in_days: 7 }) },
  { name: "key rotation off", category: "compliance-posture", resource: change("aws_kms_key.docs", { enable_key_rotation: true }, { enable_key_rotation: false }) },
  // stateful-delete
  { name: "MemoryDB deleted", category: "stateful-delete", resource: change("aws_memorydb_cluster.cache", { name: "c" }, null) },
  { name: "Elasticsearch deleted", category: "stateful-delete", resource: change("aws_elasticsearch_domain.search", { domain_name: "s" }, null) },
  { name: "OpenSearch deleted", category: "stateful-delete", resource: change("aws_opensearch_domain.search", { domain_name: "s" }, null) },
  { name: "FSx Lustre deleted", category: "stateful-delete", resource: change("aws_fsx_lustre_file_system.scratch", { storage_capacity: 1200 }, null) },
  { name: "FSx ONTAP deleted", category: "stateful-delete", resource: change("aws_fsx_ontap_file_system.nas", { storage_capacity: 1024 }, null) },
  { name: "FSx Windows replaced", category: "stateful-delete", resource: replaced(change("aws_fsx_windows_file_system.share", { storage_capacity: 32 }, { storage_capacity: 32 })) },
  { name: "RDS replaced", category: "stateful-delete", resource: replaced(change("aws_db_instance.main", db, db)) },
  { name: "bucket deleted", category: "stateful-delete", resource: change("aws_s3_bucket.docs", { bucket: "b" }, null) },
  { name: "DynamoDB table deleted", category: "stateful-delete", resource: change("aws_dynamodb_table.t", { name: "t" }, null) },
  // network-boundary
  { name: "LB made internet-facing", category: "network-boundary", resource: change("aws_lb.api", { internal: true }, { internal: false }) },
  { name: "internet-facing LB created", category: "network-boundary", resource: change("aws_alb.api", null, { internal: false }) },
  { name: "LB scheme known only after apply", category: "network-boundary", resource: change("aws_lb.api", null, { internal: null }, { internal: true }) },
  { name: "security group rule added", category: "network-boundary", resource: change("aws_vpc_security_group_ingress_rule.https", null, { cidr_ipv4: "0.0.0.0/0" }) },
  { name: "route changed", category: "network-boundary", resource: change("aws_route.default", { gateway_id: "igw-1" }, { gateway_id: "igw-2" }) },
  { name: "database made public", category: "network-boundary", resource: change("aws_db_instance.main", db, { ...db, publicly_accessible: true }) },
  { name: "public access block removed", category: "network-boundary", resource: change("aws_s3_bucket_public_access_block.docs", { block_public_acls: true }, null) },
];

const TIERS: (Tier | null)[] = ["dev", "stage", "prod", null];

describe("routing from the decision rights: category x tier x case", () => {
  for (const c of CASES) {
    for (const tier of TIERS) {
      it(`${c.category}: ${c.name} (tier ${tier ?? "unknown"}) routes to a senior`, () => {
        const review = buildReview([planInput("svc-x", tier, [c.resource])], [], rights, NO_RULES);
        const s = review.stacks[0]!;
        const ch = s.changes.find((x) => x.address === c.resource.address);
        expect(ch?.categories, c.name).toContain(c.category);
        expect(ch?.risk).toBe(rights.categories[c.category]?.level);
        // every requirement row for this category in this tier is listed
        const rows = rights.requirements.filter((r) => (r.risk === c.category || r.risk === "*") && (r.tier === (tier ?? "unknown") || r.tier === "*"));
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(s.approvers.map((a) => a.role)).toContain(row.approver);
        expect(s.seniorRequired).toBe(rows.some((r) => rights.approvers[r.approver]?.senior === true));
        expect(review.seniorRequired).toBe(true);
      });
    }
  }

  it("the shipped table's prod database with deletion protection off, backups cut to 1 day and Multi-AZ off ranks high", () => {
    const r = change("aws_db_instance.main", db, { ...db, deletion_protection: false, backup_retention_period: 1, multi_az: false });
    const s = buildReview([planInput("payments-prod", "prod", [r])], [], rights, NO_RULES).stacks[0]!;
    expect(s.changes[0]).toMatchObject({ risk: "high", categories: ["compliance-posture"] });
    expect(s.changes[0]!.reasons[0]).toContain("deletion protection turned off: deletion_protection");
    expect(s.changes[0]!.reasons[0]).toContain("backup retention cut: backup_retention_period");
    expect(s.changes[0]!.reasons[0]).toContain("Multi-AZ turned off: multi_az");
  });

  it.each([
    ["a tag change", change("aws_db_instance.main", { ...db, tags: { a: "1" } }, { ...db, tags: { a: "2" } })],
    ["deletion protection turned on", change("aws_db_instance.main", { ...db, deletion_protection: false }, db)],
    ["backup retention raised", change("aws_db_instance.main", { ...db, backup_retention_period: 7 }, db)],
    ["an internal LB created", change("aws_lb.api", null, { internal: true })],
    ["an LB that stays internal", change("aws_lb.api", { internal: true, idle_timeout: 60 }, { internal: true, idle_timeout: 120 })],
    ["a queue created", change("aws_sqs_queue.events", null, { name: "events" })],
    ["a Lambda code update", change("aws_lambda_function.worker", { role: "arn:a", source_code_hash: "x" }, { role: "arn:a", source_code_hash: "y" })],
    ["an alarm deleted in dev is no posture change of its own? no: it is", null],
  ].filter((x): x is [string, PolicyResource] => x[1] !== null))("%s in dev carries no category and needs no senior", (_name, resource) => {
    const s = buildReview([planInput("svc-dev", "dev", [resource])], [], rights, NO_RULES).stacks[0]!;
    expect(s.changes[0]?.categories).toEqual([]);
    expect(s.seniorRequired).toBe(false);
  });

  it("every type a category predicate names is an AWS resource type, and every category has predicates", () => {
    for (const [name, def] of Object.entries(rights.categories)) {
      expect(def.changes?.length ?? 0, name).toBeGreaterThan(0);
      for (const p of def.changes ?? []) for (const t of p.types) expect(t).toMatch(/^aws_[a-z0-9_]+$/);
    }
  });
});
