import { Token } from "../engine/index.ts";
import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy/index.js";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target/index.js";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster/index.js";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service/index.js";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition/index.js";
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import type { Tier } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { Grant, type IGrantable, type IPrincipal } from "../iam/grant.ts";
import { ServiceRole } from "../iam/service-role.ts";
import { Certificate } from "../certificates/certificate.ts";
import { SecurityGroup } from "../network/security-group.ts";
import type { IVpcRef } from "../network/vpc.ts";
import { Alarm } from "../observability/alarm.ts";
import type { IAlarmTopic } from "../observability/alarm-topic.ts";
import { ServiceDashboard, type DashboardMetric } from "../observability/dashboard.ts";
import { LogGroup } from "../observability/log-group.ts";

/** Modern TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Fargate task sizes: CPU units to the memory sizes (MiB) Fargate accepts with them. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

/** Default task size by tier. */
export const SERVICE_TASK_SIZE: Readonly<Record<Tier, { cpu: number; memoryMiB: number }>> = {
  dev: { cpu: 256, memoryMiB: 512 },
  stage: { cpu: 512, memoryMiB: 1024 },
  prod: { cpu: 1024, memoryMiB: 2048 },
};

/** Default ceiling of CPU target tracking, as a multiple of the desired count, by tier (1 = no autoscaling). */
export const SERVICE_SCALE_FACTOR: Readonly<Record<Tier, number>> = { dev: 1, stage: 2, prod: 3 };

/** Default number of tasks by tier; prod runs at least two. */
export const SERVICE_DESIRED_COUNT: Readonly<Record<Tier, number>> = { dev: 1, stage: 2, prod: 3 };

/** Something with a certificate ARN: a {@link Certificate} or an existing certificate. */
export interface ICertificateRef {
  /** ARN of an issued ACM certificate in the stack's region. */
  readonly certificateArn: string;
}

/** Access log destination of the load balancer. */
export interface AccessLogsDestination {
  /** Name of an S3 bucket whose policy lets Elastic Load Balancing write to it. */
  readonly bucketName: string;
  /** Key prefix. @default the service name */
  readonly prefix?: string;
}

/** One JSON key of a Secrets Manager secret. */
export interface SecretReference {
  /** Secret ARN. */
  readonly secretArn: string;
  /** Key inside the secret's JSON value, e.g. `password`. */
  readonly jsonKey: string;
}

/** Props of {@link ContainerService}. */
export interface ContainerServiceProps {
  /** The network: tasks run in its private subnets, the load balancer in its public subnets. */
  readonly vpc: IVpcRef;
  /** Container image, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/invoices:1.4.2`; pin a tag or digest, never `latest`. */
  readonly image: string;
  /** Short name of the service, part of every physical name. @default the construct id */
  readonly name?: string;
  /** Port the container listens on. @default 8080 */
  readonly containerPort?: number;
  /** Task CPU units (256, 512, 1024, 2048, 4096). @default 256 in dev, 512 in stage, 1024 in prod */
  readonly cpu?: number;
  /** Task memory in MiB, valid for the CPU size. @default 512 in dev, 1024 in stage, 2048 in prod */
  readonly memoryMiB?: number;
  /** Number of tasks; at least 2 in prod. @default 1 in dev, 2 in stage, 3 in prod */
  readonly desiredCount?: number;
  /**
   * Most tasks CPU target tracking may scale out to; equal to `desiredCount` turns autoscaling off.
   * @default desiredCount in dev, 2x in stage, 3x in prod
   */
  readonly maxCount?: number;
  /** Average CPU utilization (%) target tracking keeps the service at. @default 60 */
  readonly cpuTargetPercent?: number;
  /** CPU architecture of the image. @default "X86_64" */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  /** Plain environment variables (no secrets). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets as environment variables: name to a Secrets Manager secret ARN, or to one JSON key of
   * a secret; the execution role may read exactly these secrets. Secrets encrypted with a
   * customer-managed key also need `key.grantDecrypt(service.executionRole)`.
   * @default none
   */
  readonly secrets?: Readonly<Record<string, string | SecretReference>>;
  /** HTTP path of the health check. @default "/health" */
  readonly healthCheckPath?: string;
  /** Mount the container's root filesystem read-only. @default true */
  readonly readonlyRootFilesystem?: boolean;
  /** Certificate of the HTTPS listener; give this or `domain`. @default a {@link Certificate} for `domain` */
  readonly certificate?: ICertificateRef;
  /** Domain to serve: a certificate is issued for it and an alias record points it at the load balancer. @default none (then `certificate` is required) */
  readonly domain?: { readonly name: string; readonly hostedZoneId: string };
  /**
   * `Strict-Transport-Security` header value the HTTPS listener adds to responses, or `false` to
   * leave it to the application.
   * @default "max-age=31536000"
   */
  readonly strictTransportSecurity?: string | false;
  /** Write load balancer access logs to this bucket. @default no access logs */
  readonly accessLogs?: AccessLogsDestination;
  /** Create the 5xx and unhealthy-target alarms. @default true */
  readonly alarms?: boolean;
  /** 5xx responses per 5 minutes that fire the 5xx alarm. @default 10 */
  readonly errorThreshold?: number;
  /** Topic the alarms notify. @default the stack's shared alarm topic */
  readonly alarmTopic?: IAlarmTopic;
  /** Create a CloudWatch dashboard for the service. @default true */
  readonly dashboard?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9][a-z0-9._/-]*)(?::[\w.-]+|@sha256:[a-f0-9]{64})$/;
const SECRET_ARN = /^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** Name of the one container in the task definition. */
const CONTAINER_NAME = "app";

/** A secret variable of the container: the secret's ARN and the `valueFrom` ECS reads. */
type SecretVariable = [name: string, secret: { arn: string; valueFrom: string }];

/** Task size and scaling, checked against Fargate and the tier. */
interface ServiceCapacity {
  readonly cpu: number;
  readonly memory: number;
  readonly desired: number;
  readonly maxCount: number;
  readonly cpuTarget: number;
}

/** The props of a {@link ContainerService}, checked and with the tier's defaults filled in. */
interface ServiceSettings extends ServiceCapacity {
  readonly name: string;
  readonly prod: boolean;
  readonly port: number;
  readonly secrets: readonly SecretVariable[];
  readonly hsts: string | false;
  readonly healthPath: string;
}

const byName = ([a]: readonly [string, unknown], [b]: readonly [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

function parseImageAndPort(path: string, props: ContainerServiceProps): number {
  if (/:latest$/.test(props.image) || !/[:@]/.test(props.image.split("/").pop() ?? "")) {
    throw new BaselineError(path, `image '${props.image}' is not pinned`, "use an immutable tag or a digest, e.g. 'repo:1.4.2' or 'repo@sha256:...', never 'latest'");
  }
  const port = props.containerPort ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || port === 80 || port === 443) {
    throw new BaselineError(path, `containerPort ${port} is invalid`, "use a port from 1 to 65535 other than 80 and 443 (those belong to the load balancer), e.g. 8080");
  }
  return port;
}

function parseCapacity(path: string, tier: Tier, props: ContainerServiceProps): ServiceCapacity {
  const prod = tier === "prod";
  const size = SERVICE_TASK_SIZE[tier];
  const cpu = props.cpu ?? size.cpu;
  const memory = props.memoryMiB ?? (props.cpu === undefined ? size.memoryMiB : (FARGATE_SIZES[cpu]?.[0] ?? size.memoryMiB));
  const memories = FARGATE_SIZES[cpu];
  if (memories === undefined) {
    throw new BaselineError(path, `cpu ${cpu} is not a Fargate size`, `use one of ${Object.keys(FARGATE_SIZES).join(", ")}`);
  }
  if (!memories.includes(memory)) {
    throw new BaselineError(path, `memoryMiB ${memory} is not valid with cpu ${cpu}`, `use one of ${memories.join(", ")} MiB with cpu ${cpu}`);
  }
  const desired = props.desiredCount ?? SERVICE_DESIRED_COUNT[tier];
  if (!Number.isInteger(desired) || desired < (prod ? 2 : 0)) {
    throw new BaselineError(path, `desiredCount ${desired} is too low for ${tier}`, prod ? "run at least 2 tasks in prod" : "use a whole number of tasks");
  }
  const maxCount = props.maxCount ?? desired * SERVICE_SCALE_FACTOR[tier];
  if (!Number.isInteger(maxCount) || maxCount < desired || maxCount > 1000) {
    throw new BaselineError(path, `maxCount ${maxCount} is invalid`, `use a whole number from desiredCount (${desired}) to 1000`);
  }
  const cpuTarget = props.cpuTargetPercent ?? 60;
  if (!(cpuTarget >= 10 && cpuTarget <= 90)) {
    throw new BaselineError(path, `cpuTargetPercent ${cpuTarget} is out of range`, "use a target from 10 to 90 percent");
  }
  return { cpu, memory, desired, maxCount, cpuTarget };
}

/** The secret variables, sorted by name, after checking every variable name and secret reference. */
function parseSecrets(path: string, props: ContainerServiceProps): SecretVariable[] {
  for (const key of [...Object.keys(props.environment ?? {}), ...Object.keys(props.secrets ?? {})]) {
    if (!ENV_NAME.test(key)) throw new BaselineError(path, `environment variable name '${key}' is invalid`, "use letters, digits and _ not starting with a digit");
  }
  const secrets: SecretVariable[] = [];
  for (const [key, ref] of Object.entries(props.secrets ?? {})) {
    if (key in (props.environment ?? {})) throw new BaselineError(path, `'${key}' is both a plain variable and a secret`, "define it once");
    const arn = typeof ref === "string" ? ref : ref.secretArn;
    if (!Token.isUnresolved(arn) && !SECRET_ARN.test(arn)) {
      throw new BaselineError(path, `secret '${key}' is not a Secrets Manager secret ARN: ${arn}`, "pass the secret's full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
    }
    if (typeof ref !== "string" && !/^[A-Za-z0-9_.-]+$/.test(ref.jsonKey)) {
      throw new BaselineError(path, `secret '${key}' names JSON key '${ref.jsonKey}'`, "use a JSON key of letters, digits, _ . or -");
    }
    secrets.push([key, { arn, valueFrom: typeof ref === "string" ? arn : `${arn}:${ref.jsonKey}::` }]);
  }
  return secrets.sort(byName);
}

/** The listener's settings: exactly one of certificate and domain, the HSTS header, the health check path. */
function parseListener(path: string, props: ContainerServiceProps): { hsts: string | false; healthPath: string } {
  if ((props.certificate === undefined) === (props.domain === undefined)) {
    throw new BaselineError(path, "give exactly one of certificate and domain", "pass domain: { name, hostedZoneId } to issue a certificate, or certificate: an existing Certificate");
  }
  const hsts = props.strictTransportSecurity ?? "max-age=31536000";
  if (hsts !== false && !/^max-age=\d+(; ?includeSubDomains)?(; ?preload)?$/.test(hsts)) {
    throw new BaselineError(path, `strictTransportSecurity '${hsts}' is not a valid header value`, "use e.g. 'max-age=31536000' or 'max-age=31536000; includeSubDomains'");
  }
  const healthPath = props.healthCheckPath ?? "/health";
  if (!healthPath.startsWith("/")) throw new BaselineError(path, `healthCheckPath '${healthPath}' does not start with /`, "use an absolute path such as '/health'");
  return { hsts, healthPath };
}

/** Checks the props in the order a person reads them and fills in the tier's defaults. */
function parseServiceProps(path: string, tier: Tier, id: string, props: ContainerServiceProps): ServiceSettings {
  const port = parseImageAndPort(path, props);
  const capacity = parseCapacity(path, tier, props);
  const secrets = parseSecrets(path, props);
  return { ...capacity, ...parseListener(path, props), name: props.name ?? id, prod: tier === "prod", port, secrets };
}

/**
 * A container service on ECS Fargate behind an internet-facing Application Load Balancer:
 * a cluster with Container Insights, a task definition with a task role (grant to it like any
 * role: `bucket.grantRead(service)`) and an execution role scoped to its log group, image
 * repository and secrets, logs to an encrypted log group, tasks in private subnets reachable
 * only from the load balancer, an HTTPS listener with a modern TLS policy, an HTTP to HTTPS
 * redirect, deletion protection in prod, optional access logs, CPU target tracking (stage and
 * prod), alarms and a dashboard.
 */
export class ContainerService extends Construct implements IGrantable {
  /** The cluster. */
  readonly cluster: EcsCluster;
  /** The task definition. */
  readonly taskDefinition: EcsTaskDefinition;
  /** The ECS service. */
  readonly service: EcsService;
  /** Role the application runs as; grant permissions to it. */
  readonly taskRole: ServiceRole;
  /** Role ECS uses to pull the image, read secrets and write logs. */
  readonly executionRole: ServiceRole;
  /** The application log group. */
  readonly logGroup: LogGroup;
  /** The load balancer. */
  readonly loadBalancer: Lb;
  /** The target group. */
  readonly targetGroup: LbTargetGroup;
  /** The HTTPS listener. */
  readonly httpsListener: LbListener;
  /** The load balancer's security group (world on 443 and 80). */
  readonly loadBalancerSecurityGroup: SecurityGroup;
  /** The tasks' security group (load balancer only). */
  readonly serviceSecurityGroup: SecurityGroup;
  /** The certificate created for `domain`, if any. */
  readonly certificate: Certificate | undefined;
  /** Alarms created by default. */
  readonly alarms: readonly Alarm[];
  /** The dashboard, when created. */
  readonly dashboard: ServiceDashboard | undefined;
  /** Public DNS name of the load balancer. */
  readonly dnsName: string;

  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const settings = parseServiceProps(this.node.path, stack.environment.tier, id, props);
    const { name } = settings;

    this.logGroup = new LogGroup(this, "logs", { name });
    this.taskRole = new ServiceRole(this, "task-role", {
      name: `${name}-task`,
      servicePrincipal: "ecs-tasks.amazonaws.com",
      description: `Application role of service ${name}`,
    });
    this.executionRole = new ServiceRole(this, "execution-role", {
      name: `${name}-execution`,
      servicePrincipal: "ecs-tasks.amazonaws.com",
      description: `ECS execution role of service ${name}: image pull, secrets, logs`,
    });
    this.grantExecution(props.image, settings.secrets);

    this.cluster = new EcsCluster(this, "cluster", {
      name: stack.physicalName(this, "ecs-cluster", name),
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    this.taskDefinition = this.createTaskDefinition(stack, settings, props);

    this.loadBalancerSecurityGroup = new SecurityGroup(this, "lb-security-group", {
      vpcId: props.vpc.vpcId,
      name: `${name}-lb`,
      description: `Load balancer of service ${name}: HTTPS and HTTP from the internet`,
      publicLoadBalancer: true,
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup = new SecurityGroup(this, "service-security-group", {
      vpcId: props.vpc.vpcId,
      name: `${name}-tasks`,
      description: `Tasks of service ${name}: from the load balancer only`,
    });
    this.connectSecurityGroups(settings.port);

    this.loadBalancer = this.createLoadBalancer(stack, settings, props);
    this.dnsName = this.loadBalancer.dnsName;
    this.targetGroup = this.createTargetGroup(stack, settings, props.vpc);
    this.certificate = this.createDomain(name, props);
    this.httpsListener = this.createListeners(this.certificate?.certificateArn ?? props.certificate?.certificateArn ?? "", settings.hsts);

    this.service = this.createService(stack, settings, props.vpc);
    if (settings.maxCount > settings.desired) this.addCpuScaling(settings);

    const dimensions = { LoadBalancer: this.loadBalancer.arnSuffix, TargetGroup: this.targetGroup.arnSuffix };
    this.alarms = props.alarms ?? true ? this.createAlarms(name, dimensions, props) : [];
    this.dashboard = props.dashboard ?? true ? this.createDashboard(name, dimensions) : undefined;
  }

  /** The task role: grants to the service go to the role the application runs as. */
  get grantPrincipal(): IPrincipal {
    return this.taskRole;
  }

  /** Lets the execution role write the log group, pull the image from ECR and read exactly the secrets. */
  private grantExecution(image: string, secrets: readonly SecretVariable[]): void {
    this.logGroup.grantWrite(this.executionRole);
    const ecr = ECR_IMAGE.exec(image);
    if (ecr) {
      Grant.addToPrincipal({ grantee: this.executionRole, actions: ["ecr:GetAuthorizationToken"], resourceArns: ["*"] });
      Grant.addToPrincipal({
        grantee: this.executionRole,
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        resourceArns: [`arn:aws:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}`],
      });
    }
    const secretArns = [...new Set(secrets.map(([, s]) => s.arn))];
    if (secretArns.length > 0) {
      Grant.addToPrincipal({ grantee: this.executionRole, actions: ["secretsmanager:GetSecretValue"], resourceArns: secretArns });
    }
  }

  private createTaskDefinition(stack: BaselineStack, settings: ServiceSettings, props: ContainerServiceProps): EcsTaskDefinition {
    const container = {
      name: CONTAINER_NAME,
      image: props.image,
      essential: true,
      portMappings: [{ containerPort: settings.port, protocol: "tcp" }],
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? true,
      privileged: false,
      environment: Object.entries(props.environment ?? {})
        .sort(byName)
        .map(([k, value]) => ({ name: k, value })),
      secrets: settings.secrets.map(([k, secret]) => ({ name: k, valueFrom: secret.valueFrom })),
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": this.logGroup.logGroupName, "awslogs-region": stack.environment.region, "awslogs-stream-prefix": settings.name },
      },
    };
    return new EcsTaskDefinition(this, "task-definition", {
      family: stack.physicalName(this, "ecs-service", settings.name, ["task"]),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: String(settings.cpu),
      memory: String(settings.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture ?? "X86_64" },
      taskRoleArn: this.taskRole.roleArn,
      executionRoleArn: this.executionRole.roleArn,
      containerDefinitions: JSON.stringify([container]),
    });
  }

  /** The internet reaches the load balancer on 443 and 80; only the load balancer reaches the tasks. */
  private connectSecurityGroups(port: number): void {
    this.loadBalancerSecurityGroup.allowFromCidr("0.0.0.0/0", 443, "HTTPS from the internet");
    this.loadBalancerSecurityGroup.allowFromCidr("0.0.0.0/0", 80, "HTTP from the internet, redirected to HTTPS");
    this.loadBalancerSecurityGroup.allowTo(this.serviceSecurityGroup, port, "To the service tasks");
    this.serviceSecurityGroup.allowFrom(this.loadBalancerSecurityGroup, port, "From the service load balancer");
  }

  private createLoadBalancer(stack: BaselineStack, settings: ServiceSettings, props: ContainerServiceProps): Lb {
    const logs = props.accessLogs;
    return new Lb(this, "load-balancer", {
      name: stack.physicalName(this, "load-balancer", settings.name),
      loadBalancerType: "application",
      internal: false,
      subnets: [...props.vpc.publicSubnetIds],
      securityGroups: [this.loadBalancerSecurityGroup.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableDeletionProtection: settings.prod,
      ...(logs ? { accessLogs: { bucket: logs.bucketName, prefix: logs.prefix ?? settings.name, enabled: true } } : {}),
    });
  }

  private createTargetGroup(stack: BaselineStack, settings: ServiceSettings, vpc: IVpcRef): LbTargetGroup {
    return new LbTargetGroup(this, "target-group", {
      name: stack.physicalName(this, "target-group", settings.name),
      targetType: "ip",
      protocol: "HTTP",
      port: settings.port,
      vpcId: vpc.vpcId,
      deregistrationDelay: "30",
      healthCheck: { enabled: true, path: settings.healthPath, protocol: "HTTP", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
    });
  }

  /** For `domain`: a certificate and an alias record pointing the domain at the load balancer. */
  private createDomain(name: string, props: ContainerServiceProps): Certificate | undefined {
    if (!props.domain) return undefined;
    const certificate = new Certificate(this, "certificate", {
      domainName: props.domain.name,
      hostedZoneId: props.domain.hostedZoneId,
      name,
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
    });
    new Route53Record(this, "alias-record", {
      zoneId: props.domain.hostedZoneId,
      name: props.domain.name,
      type: "A",
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });
    return certificate;
  }

  /** The HTTPS listener (returned) forwarding to the target group, and the HTTP listener redirecting to it. */
  private createListeners(certificateArn: string, hsts: string | false): LbListener {
    const https = new LbListener(this, "https-listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn,
      ...(hsts === false ? {} : { routingHttpResponseStrictTransportSecurityHeaderValue: hsts }),
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    new LbListener(this, "http-listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    return https;
  }

  private createService(stack: BaselineStack, settings: ServiceSettings, vpc: IVpcRef): EcsService {
    return new EcsService(this, "service", {
      name: stack.physicalName(this, "ecs-service", settings.name),
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      desiredCount: settings.desired,
      deploymentMinimumHealthyPercent: settings.prod ? 100 : 50,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      enableExecuteCommand: false,
      networkConfiguration: {
        subnets: [...vpc.privateSubnetIds],
        securityGroups: [this.serviceSecurityGroup.securityGroupId],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: this.targetGroup.arn, containerName: CONTAINER_NAME, containerPort: settings.port }],
      dependsOn: [this.httpsListener],
      // Target tracking owns the task count once the service exists.
      ...(settings.maxCount > settings.desired ? { lifecycle: { ignoreChanges: ["desired_count"] } } : {}),
    });
  }

  /** CPU target tracking between the desired and the maximum task count. */
  private addCpuScaling(capacity: ServiceCapacity): void {
    const scalable = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity: capacity.desired,
      maxCapacity: capacity.maxCount,
    });
    new AppautoscalingPolicy(this, "cpu-scaling", {
      name: `${this.service.name}-cpu`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: scalable.serviceNamespace,
      scalableDimension: scalable.scalableDimension,
      resourceId: scalable.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: capacity.cpuTarget,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    });
  }

  /** The 5xx and unhealthy-target alarms. */
  private createAlarms(name: string, dimensions: Readonly<Record<string, string>>, props: ContainerServiceProps): Alarm[] {
    const topic = props.alarmTopic ? { topic: props.alarmTopic } : {};
    const errorThreshold = props.errorThreshold ?? 10;
    return [
      new Alarm(this, "errors-alarm", {
        name: `${name}-5xx-errors`,
        runbook: "service-5xx-errors",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 2,
        threshold: errorThreshold,
        treatMissingData: "notBreaching",
        description: `Service ${name} returned ${errorThreshold} or more 5xx responses in each of two 5-minute periods.`,
        ...topic,
      }),
      new Alarm(this, "unhealthy-alarm", {
        name: `${name}-unhealthy-targets`,
        runbook: "service-unhealthy-targets",
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions,
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 1,
        description: `Service ${name} has at least one unhealthy task for 3 minutes.`,
        ...topic,
      }),
    ];
  }

  /** Requests and errors, response time, CPU and memory, task health, and the alarms. */
  private createDashboard(name: string, dimensions: Readonly<Record<string, string>>): ServiceDashboard {
    const service = { ClusterName: this.cluster.name, ServiceName: this.service.name };
    const alb = (metricName: string, label: string): DashboardMetric => ({ namespace: "AWS/ApplicationELB", metricName, dimensions, label });
    const dashboard = new ServiceDashboard(this, "dashboard", { name })
      .addGraph({ title: "Requests and errors", statistic: "Sum", metrics: [alb("RequestCount", "requests"), alb("HTTPCode_Target_5XX_Count", "5xx")] })
      .addGraph({ title: "Response time (average)", metrics: [alb("TargetResponseTime", "seconds")] })
      .addGraph({
        title: "CPU and memory",
        metrics: [
          { namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: service, label: "CPU %" },
          { namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions: service, label: "memory %" },
        ],
      })
      .addGraph({ title: "Healthy and unhealthy tasks", statistic: "Maximum", metrics: [alb("HealthyHostCount", "healthy"), alb("UnHealthyHostCount", "unhealthy")] });
    if (this.alarms.length > 0) dashboard.addAlarms("Alarms", this.alarms);
    return dashboard;
  }
}
