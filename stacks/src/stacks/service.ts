import {
  BackupPlan,
  BaselineStack,
  ContainerService,
  Database,
  SecureBucket,
  VpcLookup,
} from "@baseplate/modules";
import type { Construct } from "constructs";
import type { Environment, ServiceConfig } from "../environments/index.ts";
import { accessLogBucketName } from "./shared.ts";

export interface ServiceStackProps {
  readonly environment: Environment;
  readonly service: ServiceConfig;
}

/**
 * One service in one environment: an ECS Fargate service behind an HTTPS load balancer with a
 * DNS-validated certificate (and its expiry alarm), a PostgreSQL database, a private document
 * bucket, backups and alarms with runbooks. Every difference between dev and prod comes from
 * the tier inside the constructs.
 */
export class ServiceStack extends BaselineStack {
  readonly app: ContainerService;
  readonly database: Database | undefined;
  readonly documents: SecureBucket;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    const { environment: env, service } = props;
    super(scope, id, {
      environment: env.context,
      service: service.name,
      owner: service.owner,
      costCenter: service.costCenter,
      dataClassification: service.dataClassification,
    });
    const vpc = new VpcLookup(this, "network", { environment: env.name });
    // Data stores carry the tag `Backup` = "default"; this plan selects them by it.
    new BackupPlan(this, "backup", { name: "default" });
    this.app = new ContainerService(this, "app", {
      vpc,
      image: service.image,
      domain: { name: service.domainName, hostedZoneId: env.dns.zoneId },
    });
    this.documents = new SecureBucket(this, "documents", {
      name: "documents",
      nameAttributes: [env.account],
      accessLogs: { bucket: accessLogBucketName(env.context) },
    });
    this.documents.grantReadWrite(this.app);
    if (service.database !== false) {
      this.database = new Database(this, "db", { vpc, allowedPeers: [this.app.serviceSecurityGroup] });
      this.database.grantConnect(this.app, "app");
    }
  }
}
