import { describe, expect, it } from "vitest";
import { Database, DATABASE_INSTANCE_CLASSES, SecurityGroup, ServiceRole, Vpc } from "../src/index.ts";
import type { BaselineStack } from "../src/index.ts";
import { expectBaselineError, expectMandatoryTags, expectNamesWithinLimits, testTags } from "./construct-helpers.ts";
import { asList, makeStack, only, policy, resources, synth, type Synth } from "./helpers.ts";

function withDatabase(tier: "dev" | "stage" | "prod", extra: (stack: BaselineStack, vpc: Vpc) => Partial<ConstructorParameters<typeof Database>[2]> = () => ({})) {
  const stack = makeStack({ name: tier, tier }, {}, `payments-api-${tier}`);
  const vpc = new Vpc(stack, "network");
  const db = new Database(stack, "ledger", { vpc, ...extra(stack, vpc) });
  return { stack, vpc, db, s: synth(stack) };
}

function instance(s: Synth): Record<string, unknown> {
  return only(s, "aws_db_instance");
}

describe("Database", () => {
  it("dev: small, single-AZ, 1-day backups, no deletion protection, no final snapshot", () => {
    const { s } = withDatabase("dev");
    expect(instance(s)).toMatchObject({
      identifier: "acme-dev-payments-api-ledger",
      engine: "postgres",
      engine_version: "16",
      instance_class: "db.t4g.micro",
      allocated_storage: 20,
      max_allocated_storage: 40,
      storage_type: "gp3",
      storage_encrypted: true,
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      manage_master_user_password: true,
      copy_tags_to_snapshot: true,
      multi_az: false,
      backup_retention_period: 1,
      deletion_protection: false,
      skip_final_snapshot: true,
      performance_insights_enabled: false,
      monitoring_interval: 0,
      port: 5432,
      db_name: "ledger",
      username: "dbadmin",
    });
    expect(instance(s)["final_snapshot_identifier"]).toBeUndefined();
  });

  it("stage keeps 7 days of backups on db.t4g.medium", () => {
    const { s } = withDatabase("stage");
    expect(instance(s)).toMatchObject({ backup_retention_period: 7, instance_class: "db.t4g.medium", multi_az: false });
  });

  it("prod: Multi-AZ, 35-day backups, deletion protection, final snapshot, insights and enhanced monitoring", () => {
    const { s } = withDatabase("prod");
    const db = instance(s);
    expect(db).toMatchObject({
      instance_class: "db.m7g.large",
      multi_az: true,
      backup_retention_period: 35,
      deletion_protection: true,
      delete_automated_backups: false,
      skip_final_snapshot: false,
      final_snapshot_identifier: "acme-prod-payments-api-ledger-final",
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      monitoring_interval: 60,
      apply_immediately: false,
    });
    expect(db["performance_insights_kms_key_id"]).toBe(db["kms_key_id"]);
    expect(db["monitoring_role_arn"]).toMatch(/^\$\{aws_iam_role\..*monitoring-role.*\.arn\}$/);
    const roles = resources(s, "aws_iam_role");
    const monitoring = roles.find((r) => policy(r["assume_role_policy"]).Statement[0]?.Principal !== undefined && JSON.stringify(policy(r["assume_role_policy"]).Statement[0]?.Principal).includes("monitoring.rds"));
    expect(monitoring).toBeDefined();
    expect(resources(s, "aws_iam_role_policy_attachment").map((a) => a["policy_arn"])).toContain("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
  });

  it("encrypts storage and the managed master secret with its own key; no password anywhere", () => {
    const { s } = withDatabase("dev");
    const db = instance(s);
    expect(db["kms_key_id"]).toMatch(/^\$\{aws_kms_key\.ledger_key_[0-9A-F]+\.arn\}$/);
    expect(db["master_user_secret_kms_key_id"]).toBe(db["kms_key_id"]);
    expect(db["password"]).toBeUndefined();
    expect(db["password_wo"]).toBeUndefined();
    const text = JSON.stringify(s);
    expect(text).not.toMatch(/"password"\s*:/);
    expect(resources(s, "random_password")).toHaveLength(0);
    // Its key lets AWS Backup use it for snapshot copies (the instance is in a backup plan).
    const keys = Object.entries(s.resource["aws_kms_key"] ?? {}).filter(([id]) => id.startsWith("ledger_key"));
    expect(keys).toHaveLength(1);
    expect(policy(keys[0]?.[1]["policy"]).Statement.map((st) => st.Sid)).toContain("BackupUse");
  });

  it("forces TLS with a parameter group and sits in the isolated subnets", () => {
    const { s } = withDatabase("dev");
    const pg = only(s, "aws_db_parameter_group");
    expect(pg["family"]).toBe("postgres16");
    expect(pg["parameter"]).toContainEqual({ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" });
    const group = only(s, "aws_db_subnet_group");
    const subnetIds = group["subnet_ids"] as string[];
    expect(subnetIds).toHaveLength(2);
    for (const id of subnetIds) expect(id).toMatch(/^\$\{aws_subnet\.network_isolated-\d_[0-9A-F]+\.id\}$/);
    expect(instance(s)["db_subnet_group_name"]).toMatch(/^\$\{aws_db_subnet_group\./);
    expect(instance(s)["parameter_group_name"]).toMatch(/^\$\{aws_db_parameter_group\./);
  });

  it("lets only the given peers in on 5432 and has no outbound rules", () => {
    const { s } = withDatabase("dev", (stack, vpc) => ({ allowedPeers: [new SecurityGroup(stack, "app", { vpcId: vpc.vpcId })] }));
    const dbGroupId = Object.keys(s.resource["aws_security_group"] ?? {}).find((k) => k.startsWith("ledger_"));
    expect(dbGroupId).toBeDefined();
    const ref = `\${aws_security_group.${dbGroupId}.id}`;
    const ingress = resources(s, "aws_vpc_security_group_ingress_rule").filter((r) => r["security_group_id"] === ref);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ ip_protocol: "tcp", from_port: 5432, to_port: 5432 });
    expect(ingress[0]?.["referenced_security_group_id"]).toMatch(/^\$\{aws_security_group\.app_/);
    expect(ingress[0]?.["cidr_ipv4"]).toBeUndefined();
    expect(resources(s, "aws_vpc_security_group_egress_rule").filter((r) => r["security_group_id"] === ref)).toHaveLength(0);
    expect(instance(s)["vpc_security_group_ids"]).toEqual([ref]);
  });

  it("is tagged for backup selection, exports logs to encrypted log groups and has CPU and storage alarms", () => {
    const { s } = withDatabase("prod");
    expect(instance(s)["tags"]).toMatchObject({ Backup: "default" });
    expect(instance(s)["enabled_cloudwatch_logs_exports"]).toEqual(["postgresql", "upgrade"]);
    const groups = resources(s, "aws_cloudwatch_log_group").filter((g) => String(g["name"]).startsWith("/aws/rds/"));
    expect(groups.map((g) => g["name"])).toEqual([
      "/aws/rds/instance/acme-prod-payments-api-ledger/postgresql",
      "/aws/rds/instance/acme-prod-payments-api-ledger/upgrade",
    ]);
    for (const g of groups) {
      expect(g["retention_in_days"]).toBe(365);
      expect(g["kms_key_id"]).toMatch(/^\$\{aws_kms_key\.SharedKey-logs_key_[0-9A-F]+\.arn\}$/);
    }
    const alarms = resources(s, "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => [a["metric_name"], (a["tags"] as Record<string, string>)["Runbook"]])).toEqual([
      ["CPUUtilization", "docs/runbooks/database-cpu-high.md"],
      ["FreeStorageSpace", "docs/runbooks/database-storage-low.md"],
    ]);
    expect(alarms[1]).toMatchObject({ comparison_operator: "LessThanThreshold", threshold: 10 * 1024 ** 3, dimensions: { DBInstanceIdentifier: "acme-prod-payments-api-ledger" } });
  });

  it("grantConnect allows rds-db:connect for exactly one database user", () => {
    const stack = makeStack();
    const vpc = new Vpc(stack, "network");
    const db = new Database(stack, "ledger", { vpc, alarms: false, backupPlan: false });
    const role = new ServiceRole(stack, "app-role", { name: "app", servicePrincipal: "ecs-tasks.amazonaws.com" });
    db.grantConnect(role, "app_user");
    const s = synth(stack);
    const policies = resources(s, "aws_iam_role_policy").map((p) => policy(p["policy"]));
    const st = policies.flatMap((p) => p.Statement).find((x) => asList(x.Action).includes("rds-db:connect"));
    expect(asList(st?.Resource)).toEqual([
      `arn:aws:rds-db:eu-west-1:123456789012:dbuser:\${aws_db_instance.${Object.keys(s.resource["aws_db_instance"] ?? {})[0]}.resource_id}/app_user`,
    ]);
    expect(instance(s)["tags"]).not.toHaveProperty("Backup");
    expect(resources(s, "aws_cloudwatch_metric_alarm")).toHaveLength(0);
  });

  it("refuses an instance class outside the allowlist, naming the path and the fix", () => {
    const stack = makeStack();
    const vpc = new Vpc(stack, "network");
    const err = expectBaselineError(
      () => new Database(stack, "ledger", { vpc, instanceClass: "db.x2iedn.32xlarge" }),
      "payments-api-dev/ledger",
      /instance class 'db\.x2iedn\.32xlarge' is not in the allowlist/,
      /use one of db\.t4g\.micro/,
    );
    expect(err.fix).toContain(DATABASE_INSTANCE_CLASSES.join(", "));
  });

  it("refuses weaker prod settings and bad names", () => {
    const prod = () => {
      const stack = makeStack({ name: "prod", tier: "prod" }, {}, "p");
      return { stack, vpc: new Vpc(stack, "network") };
    };
    let e = prod();
    expectBaselineError(() => new Database(e.stack, "db", { vpc: e.vpc, instanceClass: "db.t4g.large" }), "p/db", /burstable/, /db\.m7g or db\.r7g/);
    e = prod();
    expectBaselineError(() => new Database(e.stack, "db", { vpc: e.vpc, multiAz: false }), "p/db", /multiAz is false in prod/, /Multi-AZ/);
    e = prod();
    expectBaselineError(() => new Database(e.stack, "db", { vpc: e.vpc, backupRetentionDays: 7 }), "p/db", /backupRetentionDays 7/, /from 35 to 35/);
    const stack = makeStack();
    const vpc = new Vpc(stack, "network");
    expectBaselineError(() => new Database(stack, "a", { vpc, masterUsername: "postgres" }), "payments-api-dev/a", /reserved/, /not postgres/);
    expectBaselineError(() => new Database(stack, "b", { vpc, engineVersion: "9.6" }), "payments-api-dev/b", /not a supported PostgreSQL version/, /from 13 up/);
    expectBaselineError(
      () => new Database(stack, "c", { vpc: { vpcId: "vpc-1", publicSubnetIds: [], privateSubnetIds: [], isolatedSubnetIds: ["subnet-1"] } }),
      "payments-api-dev/c",
      /1 isolated subnets/,
      /at least two AZs/,
    );
  });

  it("tags every taggable resource with the mandatory tags; names within limits", () => {
    const { s } = withDatabase("prod");
    const n = expectMandatoryTags(s, testTags("prod"));
    expect(n).toBeGreaterThan(30);
    expect(expectNamesWithinLimits(s)).toBeGreaterThan(10);
  });
});
