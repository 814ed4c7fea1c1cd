import { Token } from "../engine/index.ts";
import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance/index.js";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group/index.js";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import type { Tier } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { Grant, type IGrantable } from "../iam/grant.ts";
import { ServiceRole } from "../iam/service-role.ts";
import { KmsKey, type IKmsKey } from "../kms/key.ts";
import type { IVpcRef } from "../network/vpc.ts";
import { SecurityGroup, type ISecurityGroupRef } from "../network/security-group.ts";
import { Alarm } from "../observability/alarm.ts";
import type { IAlarmTopic } from "../observability/alarm-topic.ts";
import { LogGroup } from "../observability/log-group.ts";

/** Instance classes a {@link Database} may use. Burstable (`db.t4g`) classes are refused in prod. */
export const DATABASE_INSTANCE_CLASSES: readonly string[] = [
  "db.t4g.micro",
  "db.t4g.small",
  "db.t4g.medium",
  "db.t4g.large",
  "db.m7g.large",
  "db.m7g.xlarge",
  "db.m7g.2xlarge",
  "db.m7g.4xlarge",
  "db.r7g.large",
  "db.r7g.xlarge",
  "db.r7g.2xlarge",
  "db.r7g.4xlarge",
];

/** Default instance class by tier. */
export const DATABASE_INSTANCE_CLASS: Readonly<Record<Tier, string>> = { dev: "db.t4g.micro", stage: "db.t4g.medium", prod: "db.m7g.large" };
/** Automated backup retention by tier, in days (also the minimum an override may set). */
export const DATABASE_BACKUP_RETENTION_DAYS: Readonly<Record<Tier, number>> = { dev: 1, stage: 7, prod: 35 };
/** Default allocated storage by tier, in GiB. */
export const DATABASE_STORAGE_GIB: Readonly<Record<Tier, number>> = { dev: 20, stage: 50, prod: 100 };

/** PostgreSQL port. */
export const POSTGRES_PORT = 5432;

/** Enhanced monitoring intervals RDS accepts (0 turns it off). */
export type MonitoringInterval = 0 | 1 | 5 | 10 | 15 | 30 | 60;

/** Props of {@link Database}. */
export interface DatabaseProps {
  /** The network: the database goes in its isolated subnets. */
  readonly vpc: IVpcRef;
  /** Short name of the database, part of its identifier. @default the construct id */
  readonly name?: string;
  /** PostgreSQL major version (minor versions upgrade automatically). @default "16" */
  readonly engineVersion?: string;
  /** Instance class, one of {@link DATABASE_INSTANCE_CLASSES}; no `db.t4g` in prod. @default db.t4g.micro in dev, db.t4g.medium in stage, db.m7g.large in prod */
  readonly instanceClass?: string;
  /** Allocated storage in GiB (gp3), 20-65536. @default 20 in dev, 50 in stage, 100 in prod */
  readonly allocatedStorageGib?: number;
  /** Ceiling for storage autoscaling in GiB. @default twice the allocated storage */
  readonly maxAllocatedStorageGib?: number;
  /** Name of the database created in the instance. @default the name with non-alphanumerics replaced by `_` */
  readonly databaseName?: string;
  /** Master user name; its password is generated and kept in Secrets Manager by RDS. @default "dbadmin" */
  readonly masterUsername?: string;
  /** Security groups allowed to connect on 5432; more with {@link Database.allowFrom}. @default none */
  readonly allowedPeers?: readonly ISecurityGroupRef[];
  /** Key for storage, the master user secret and Performance Insights. @default a new key for this database */
  readonly encryptionKey?: IKmsKey;
  /** Automated backup retention in days, never below the tier's. @default 1 in dev, 7 in stage, 35 in prod */
  readonly backupRetentionDays?: number;
  /** Standby in a second AZ. @default true in prod, false otherwise */
  readonly multiAz?: boolean;
  /** Performance Insights (7 days, free tier). @default true in prod, false otherwise */
  readonly performanceInsights?: boolean;
  /** Enhanced monitoring interval in seconds, 0 for off. @default 60 in prod, 0 otherwise */
  readonly monitoringIntervalSeconds?: MonitoringInterval;
  /** Value of the `Backup` tag that puts the instance in a {@link BackupPlan}'s selection, or `false` to leave it out. @default "default" */
  readonly backupPlan?: string | false;
  /** Create the CPU and free-storage alarms. @default true */
  readonly alarms?: boolean;
  /** Topic the alarms notify. @default the stack's shared alarm topic */
  readonly alarmTopic?: IAlarmTopic;
  /** Weekly maintenance window (UTC). @default "sun:03:00-sun:04:00" */
  readonly maintenanceWindow?: string;
  /** Daily backup window (UTC), not overlapping the maintenance window. @default "01:00-02:00" */
  readonly backupWindow?: string;
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

/** The props of a {@link Database}, checked and with the tier's defaults filled in. */
interface DatabaseSettings {
  readonly name: string;
  readonly prod: boolean;
  readonly instanceClass: string;
  readonly engineVersion: string;
  /** The PostgreSQL major version, e.g. `16`. */
  readonly major: string;
  readonly retention: number;
  readonly storage: number;
  readonly maxStorage: number;
  readonly multiAz: boolean;
  readonly username: string;
  readonly databaseName: string;
  readonly monitoring: number;
  readonly performanceInsights: boolean;
}

/** The instance class (allowlisted, no burstable class in prod) and the PostgreSQL version and its major. */
function parseEngine(path: string, tier: Tier, props: DatabaseProps): Pick<DatabaseSettings, "instanceClass" | "engineVersion" | "major"> {
  const instanceClass = props.instanceClass ?? DATABASE_INSTANCE_CLASS[tier];
  if (!DATABASE_INSTANCE_CLASSES.includes(instanceClass)) {
    throw new BaselineError(path, `instance class '${instanceClass}' is not in the allowlist`, `use one of ${DATABASE_INSTANCE_CLASSES.join(", ")}, or ask the platform team to extend DATABASE_INSTANCE_CLASSES`);
  }
  if (tier === "prod" && instanceClass.startsWith("db.t")) {
    throw new BaselineError(path, `burstable instance class '${instanceClass}' is not allowed in prod`, "use a db.m7g or db.r7g class in prod");
  }
  const engineVersion = props.engineVersion ?? "16";
  const major = /^(\d+)(?:\.\d+)?$/.exec(engineVersion)?.[1];
  if (major === undefined || Number(major) < 13) {
    throw new BaselineError(path, `engineVersion '${engineVersion}' is not a supported PostgreSQL version`, "use a major version from 13 up, e.g. '16' (or '16.4' to pin a minor version)");
  }
  return { instanceClass, engineVersion, major };
}

/** Backup retention (never below the tier's), storage and its autoscaling ceiling, Multi-AZ (always in prod). */
function parseDurability(path: string, tier: Tier, props: DatabaseProps): Pick<DatabaseSettings, "retention" | "storage" | "maxStorage" | "multiAz"> {
  const retention = props.backupRetentionDays ?? DATABASE_BACKUP_RETENTION_DAYS[tier];
  if (!Number.isInteger(retention) || retention < DATABASE_BACKUP_RETENTION_DAYS[tier] || retention > 35) {
    throw new BaselineError(path, `backupRetentionDays ${retention} is out of range for ${tier}`, `use a whole number from ${DATABASE_BACKUP_RETENTION_DAYS[tier]} to 35`);
  }
  const storage = props.allocatedStorageGib ?? DATABASE_STORAGE_GIB[tier];
  if (!Number.isInteger(storage) || storage < 20 || storage > 65536) {
    throw new BaselineError(path, `allocatedStorageGib ${storage} is out of range`, "use a whole number of GiB from 20 to 65536");
  }
  const maxStorage = props.maxAllocatedStorageGib ?? Math.min(storage * 2, 65536);
  if (!Number.isInteger(maxStorage) || maxStorage < storage || maxStorage > 65536) {
    throw new BaselineError(path, `maxAllocatedStorageGib ${maxStorage} is out of range`, `use a whole number of GiB from ${storage} (the allocated storage) to 65536`);
  }
  const multiAz = props.multiAz ?? tier === "prod";
  if (tier === "prod" && !multiAz) throw new BaselineError(path, "multiAz is false in prod", "leave multiAz unset in prod: production databases run Multi-AZ");
  return { retention, storage, maxStorage, multiAz };
}

/** The master user and database names (not reserved, valid PostgreSQL identifiers). */
function parseNames(path: string, name: string, props: DatabaseProps): Pick<DatabaseSettings, "username" | "databaseName"> {
  const username = props.masterUsername ?? "dbadmin";
  if (!IDENT.test(username) || ["postgres", "rdsadmin", "admin"].includes(username)) {
    throw new BaselineError(path, `masterUsername '${username}' is invalid or reserved`, "use lowercase letters, digits and _ starting with a letter, not postgres, rdsadmin or admin");
  }
  const databaseName = props.databaseName ?? name.toLowerCase().replace(/[^a-z0-9]/g, "_").replace(/^[^a-z]+/, "");
  if (!IDENT.test(databaseName)) {
    throw new BaselineError(path, `databaseName '${databaseName}' is invalid`, "use lowercase letters, digits and _ starting with a letter, at most 63 characters");
  }
  return { username, databaseName };
}

/** Checks the props in the order a person reads them and fills in the tier's defaults. */
function parseDatabaseProps(path: string, tier: Tier, id: string, props: DatabaseProps): DatabaseSettings {
  const prod = tier === "prod";
  const name = props.name ?? id;
  const engine = parseEngine(path, tier, props);
  const durability = parseDurability(path, tier, props);
  const names = parseNames(path, name, props);
  if (!Token.isUnresolved(props.vpc.isolatedSubnetIds) && props.vpc.isolatedSubnetIds.length < 2) {
    throw new BaselineError(path, `the VPC has ${props.vpc.isolatedSubnetIds.length} isolated subnets`, "give the database a VPC with isolated subnets in at least two AZs");
  }
  const monitoring = props.monitoringIntervalSeconds ?? (prod ? 60 : 0);
  return { ...engine, ...durability, ...names, name, prod, monitoring, performanceInsights: props.performanceInsights ?? prod };
}

/**
 * An RDS for PostgreSQL instance with the baseline: encrypted storage with a customer-managed
 * key, no public access, IAM database authentication, a master password managed by RDS in
 * Secrets Manager (never in code or state), TLS forced by a parameter group, isolated subnets,
 * a security group open only to named peers on 5432, backup retention, Multi-AZ, deletion
 * protection and a final snapshot by tier, log exports to encrypted log groups, and alarms.
 */
export class Database extends Construct {
  /** The underlying `aws_db_instance`. */
  readonly instance: DbInstance;
  /** Instance identifier. */
  readonly identifier: string;
  /** Host name of the endpoint. */
  readonly address: string;
  /** Port. */
  readonly port: number;
  /** The database's security group. */
  readonly securityGroup: SecurityGroup;
  /** The encryption key. */
  readonly encryptionKey: IKmsKey;
  /** ARN of the Secrets Manager secret RDS keeps the master password in. */
  readonly masterUserSecretArn: string;
  /** The parameter group. */
  readonly parameterGroup: DbParameterGroup;
  /** Alarms created by default (CPU, free storage); empty when `alarms` is false. */
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const settings = parseDatabaseProps(this.node.path, stack.environment.tier, id, props);
    const name = settings.name;

    this.identifier = stack.physicalName(this, "rds-identifier", name);
    this.port = POSTGRES_PORT;
    this.encryptionKey =
      props.encryptionKey ?? new KmsKey(this, "key", { name: `${name}-db`, description: `Storage, master secret and Performance Insights of database ${this.identifier}` });

    // AWS Backup copies snapshots encrypted with this key when the instance is in a backup plan.
    if (props.backupPlan !== false) this.encryptionKey.allowService("backup");

    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: this.identifier,
      description: `Isolated subnets of database ${this.identifier}`,
      subnetIds: [...props.vpc.isolatedSubnetIds],
    });
    this.parameterGroup = this.createParameterGroup(settings.major);
    this.securityGroup = new SecurityGroup(this, "security-group", {
      vpcId: props.vpc.vpcId,
      name: `${name}-db`,
      description: `Database ${this.identifier}: PostgreSQL from allowed peers only`,
      allowAllOutbound: false,
    });
    for (const peer of props.allowedPeers ?? []) this.allowFrom(peer);

    // RDS creates these log groups on first export; creating them first keeps them encrypted and retained.
    const logGroups = ["postgresql", "upgrade"].map(
      (log) => new LogGroup(this, `${log}-logs`, { logGroupName: `/aws/rds/instance/${this.identifier}/${log}` }),
    );
    const monitoringRole = settings.monitoring > 0 ? this.createMonitoringRole(name) : undefined;

    this.instance = this.createInstance(settings, props, { subnetGroup, logGroups, monitoringRole });
    this.address = this.instance.address;
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
    this.alarms = props.alarms ?? true ? this.createAlarms(name, settings.storage, props.alarmTopic) : [];
  }

  /** TLS required, connections and disconnections logged; a new group replaces the old before it goes. */
  private createParameterGroup(major: string): DbParameterGroup {
    return new DbParameterGroup(this, "parameter-group", {
      name: `${this.identifier}-pg${major}`,
      family: `postgres${major}`,
      description: `Baseline parameters of ${this.identifier}: TLS required`,
      parameter: [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
        { name: "log_disconnections", value: "1", applyMethod: "immediate" },
      ],
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** The role enhanced monitoring publishes metrics with. */
  private createMonitoringRole(name: string): ServiceRole {
    const role = new ServiceRole(this, "monitoring-role", {
      name: `${name}-rds-monitoring`,
      servicePrincipal: "monitoring.rds.amazonaws.com",
      description: `Enhanced monitoring of database ${this.identifier}`,
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: role.role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
    return role;
  }

  private createInstance(
    settings: DatabaseSettings,
    props: DatabaseProps,
    parts: { subnetGroup: DbSubnetGroup; logGroups: readonly LogGroup[]; monitoringRole: ServiceRole | undefined },
  ): DbInstance {
    const { prod, performanceInsights } = settings;
    const monitoringRole = parts.monitoringRole;
    const tags: Record<string, string> = { Name: this.identifier };
    if (props.backupPlan !== false) tags["Backup"] = props.backupPlan ?? "default";
    return new DbInstance(this, "instance", {
      identifier: this.identifier,
      engine: "postgres",
      engineVersion: settings.engineVersion,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      instanceClass: settings.instanceClass,
      allocatedStorage: settings.storage,
      maxAllocatedStorage: settings.maxStorage,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: this.encryptionKey.keyArn,
      dbName: settings.databaseName,
      username: settings.username,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.encryptionKey.keyArn,
      iamDatabaseAuthenticationEnabled: true,
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      dbSubnetGroupName: parts.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      parameterGroupName: this.parameterGroup.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      multiAz: settings.multiAz,
      backupRetentionPeriod: settings.retention,
      backupWindow: props.backupWindow ?? "01:00-02:00",
      maintenanceWindow: props.maintenanceWindow ?? "sun:03:00-sun:04:00",
      copyTagsToSnapshot: true,
      deletionProtection: prod,
      deleteAutomatedBackups: !prod,
      skipFinalSnapshot: !prod,
      ...(prod ? { finalSnapshotIdentifier: `${this.identifier}-final` } : {}),
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      performanceInsightsEnabled: performanceInsights,
      ...(performanceInsights ? { performanceInsightsKmsKeyId: this.encryptionKey.keyArn, performanceInsightsRetentionPeriod: 7 } : {}),
      monitoringInterval: settings.monitoring,
      ...(monitoringRole ? { monitoringRoleArn: monitoringRole.roleArn } : {}),
      applyImmediately: !prod,
      tags,
      dependsOn: parts.logGroups.map((g) => g.resource),
    });
  }

  /** CPU at or above 80% for 15 minutes; free storage below 10%. */
  private createAlarms(name: string, storage: number, alarmTopic: IAlarmTopic | undefined): Alarm[] {
    const dimensions = { DBInstanceIdentifier: this.identifier };
    const topic = alarmTopic ? { topic: alarmTopic } : {};
    return [
      new Alarm(this, "cpu-alarm", {
        name: `${name}-db-cpu-high`,
        runbook: "database-cpu-high",
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold: 80,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        description: `CPU of database ${this.identifier} is at or above 80% for 15 minutes.`,
        ...topic,
      }),
      new Alarm(this, "storage-alarm", {
        name: `${name}-db-storage-low`,
        runbook: "database-storage-low",
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions,
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 1,
        threshold: Math.round(storage * 0.1 * 1024 ** 3),
        comparisonOperator: "LessThanThreshold",
        description: `Free storage of database ${this.identifier} is below 10% of ${storage} GiB.`,
        ...topic,
      }),
    ];
  }

  /** Allows members of `peer` to connect on 5432. */
  allowFrom(peer: ISecurityGroupRef): void {
    this.securityGroup.allowFrom(peer, POSTGRES_PORT, `PostgreSQL to ${this.identifier}`);
  }

  /**
   * Allows `grantee` to connect as database user `dbUser` with IAM authentication
   * (`rds-db:connect` on exactly that user of this instance).
   */
  grantConnect(grantee: IGrantable, dbUser: string): Grant {
    if (!IDENT.test(dbUser)) {
      throw new BaselineError(this.node.path, `database user '${dbUser}' is invalid`, "use lowercase letters, digits and _ starting with a letter");
    }
    const env = BaselineStack.of(this).environment;
    return Grant.addToPrincipal({
      grantee,
      actions: ["rds-db:connect"],
      resourceArns: [`arn:aws:rds-db:${env.region}:${env.account}:dbuser:${this.instance.resourceId}/${dbUser}`],
    });
  }
}
