import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { BackupPlan, BaselineStack, ContainerService, Database, SecureBucket, TLS_POLICY, Vpc } from "../src/index.ts";
import { expectBaselineError, expectMandatoryTags, expectNamesWithinLimits, testTags } from "./construct-helpers.ts";
import { asList, makeStack, only, policy, resources, stackProps, synth, type Synth } from "./helpers.ts";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/invoices:1.4.2";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:invoices/db-AbCdEf";

function build(tier: "dev" | "stage" | "prod", extra: Partial<ConstructorParameters<typeof ContainerService>[2]> = {}, setup?: (stack: BaselineStack) => Partial<ConstructorParameters<typeof ContainerService>[2]>) {
  const stack = makeStack({ name: tier, tier }, {}, `payments-api-${tier}`);
  const vpc = new Vpc(stack, "network");
  const service = new ContainerService(stack, "invoices", {
    vpc,
    image: IMAGE,
    domain: { name: "invoices.example.com", hostedZoneId: "Z1" },
    ...extra,
    ...(setup ? setup(stack) : {}),
  });
  return { stack, service, s: synth(stack) };
}

function ids(s: Synth, type: string): string[] {
  return Object.keys(s.resource[type] ?? {});
}

function ref(s: Synth, type: string, prefix: string, attr = "id"): string {
  const id = ids(s, type).find((k) => k.startsWith(prefix));
  if (id === undefined) throw new Error(`no ${type} starting with ${prefix}`);
  return `\${${type}.${id}.${attr}}`;
}

describe("ContainerService", () => {
  it("runs a Fargate service with Container Insights in the private subnets", () => {
    const { s } = build("dev");
    expect(only(s, "aws_ecs_cluster")).toMatchObject({ name: "acme-dev-payments-api-invoices", setting: [{ name: "containerInsights", value: "enabled" }] });
    const service = only(s, "aws_ecs_service");
    expect(service).toMatchObject({
      launch_type: "FARGATE",
      desired_count: 1,
      deployment_circuit_breaker: { enable: true, rollback: true },
      enable_execute_command: false,
      propagate_tags: "SERVICE",
    });
    const net = service["network_configuration"] as { subnets: string[]; assign_public_ip: boolean; security_groups: string[] };
    expect(net.assign_public_ip).toBe(false);
    expect(net.subnets).toHaveLength(2);
    for (const sub of net.subnets) expect(sub).toMatch(/aws_subnet\.network_private-\d_/);
    expect(net.security_groups).toEqual([ref(s, "aws_security_group", "invoices_service-security-group")]);
  });

  it("defines the task with a task role, an execution role and logs to an encrypted log group", () => {
    const { s } = build("dev", { environment: { B: "2", A: "1" }, secrets: { DB_PASSWORD: SECRET, API_TOKEN: { secretArn: SECRET, jsonKey: "token" } } });
    const task = only(s, "aws_ecs_task_definition");
    expect(task).toMatchObject({ network_mode: "awsvpc", requires_compatibilities: ["FARGATE"], cpu: "256", memory: "512" });
    expect(task["task_role_arn"]).toBe(ref(s, "aws_iam_role", "invoices_task-role", "arn"));
    expect(task["execution_role_arn"]).toBe(ref(s, "aws_iam_role", "invoices_execution-role", "arn"));
    const [container] = JSON.parse(task["container_definitions"] as string) as Record<string, unknown>[];
    expect(container).toMatchObject({
      image: IMAGE,
      readonlyRootFilesystem: true,
      privileged: false,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
      environment: [
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ],
      secrets: [
        { name: "API_TOKEN", valueFrom: `${SECRET}:token::` },
        { name: "DB_PASSWORD", valueFrom: SECRET },
      ],
    });
    const logs = (container?.["logConfiguration"] as { logDriver: string; options: Record<string, string> });
    expect(logs.logDriver).toBe("awslogs");
    const group = resources(s, "aws_cloudwatch_log_group").find((g) => g["name"] === logs.options["awslogs-group"]);
    expect(group?.["retention_in_days"]).toBe(30);
    expect(group?.["kms_key_id"]).toMatch(/^\$\{aws_kms_key\.SharedKey-logs_key_[0-9A-F]+\.arn\}$/);

    // Execution role: exactly logs on its group, the image repository, and the listed secret.
    const execPolicy = resources(s, "aws_iam_role_policy").find((p) => String(p["role"]).includes("execution-role"));
    const statements = policy(execPolicy?.["policy"]).Statement;
    const byAction = (a: string) => statements.filter((st) => asList(st.Action).includes(a)).flatMap((st) => asList(st.Resource));
    expect(byAction("logs:PutLogEvents")).toEqual([`${ref(s, "aws_cloudwatch_log_group", "invoices_logs", "arn")}:*`]);
    expect(byAction("ecr:BatchGetImage")).toEqual(["arn:aws:ecr:eu-west-1:123456789012:repository/invoices"]);
    expect(byAction("ecr:GetAuthorizationToken")).toEqual(["*"]);
    expect(byAction("secretsmanager:GetSecretValue")).toEqual([SECRET]);
    const trust = policy(resources(s, "aws_iam_role").find((r) => String(r["name"]).endsWith("invoices-task"))?.["assume_role_policy"]);
    expect(trust.Statement[0]?.Principal).toEqual({ Service: "ecs-tasks.amazonaws.com" });
  });

  it("fronts the service with an ALB: HTTPS on a modern TLS policy, HTTP redirected, target group health check", () => {
    const { s } = build("dev");
    const lb = only(s, "aws_lb");
    expect(lb).toMatchObject({ load_balancer_type: "application", internal: false, drop_invalid_header_fields: true, enable_deletion_protection: false });
    for (const sub of lb["subnets"] as string[]) expect(sub).toMatch(/aws_subnet\.network_public-\d_/);
    expect(lb["access_logs"]).toBeUndefined();
    const listeners = resources(s, "aws_lb_listener");
    const https = listeners.find((l) => l["port"] === 443);
    const http = listeners.find((l) => l["port"] === 80);
    expect(https).toMatchObject({ protocol: "HTTPS", ssl_policy: TLS_POLICY, routing_http_response_strict_transport_security_header_value: "max-age=31536000" });
    expect(https?.["certificate_arn"]).toBe(ref(s, "aws_acm_certificate_validation", "invoices_certificate_validation", "certificate_arn"));
    expect(https?.["default_action"]).toEqual([{ type: "forward", target_group_arn: ref(s, "aws_lb_target_group", "invoices", "arn") }]);
    expect(http).toMatchObject({ protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] });
    const tg = only(s, "aws_lb_target_group");
    expect(tg).toMatchObject({ target_type: "ip", protocol: "HTTP", port: 8080, health_check: { path: "/health", matcher: "200-399", enabled: true } });
    expect(only(s, "aws_acm_certificate")["domain_name"]).toBe("invoices.example.com");
    const alias = resources(s, "aws_route53_record").find((r) => r["type"] === "A");
    expect(alias).toMatchObject({ name: "invoices.example.com", zone_id: "Z1" });
  });

  it("opens the ALB to the world on 443 and 80 only, and the tasks to the ALB only", () => {
    const { s } = build("dev");
    const lbGroup = ref(s, "aws_security_group", "invoices_lb-security-group");
    const taskGroup = ref(s, "aws_security_group", "invoices_service-security-group");
    const ingress = resources(s, "aws_vpc_security_group_ingress_rule");
    const world = ingress.filter((r) => r["cidr_ipv4"] === "0.0.0.0/0" || r["cidr_ipv6"] === "::/0");
    expect(world.map((r) => [r["security_group_id"], r["from_port"], r["to_port"]]).sort()).toEqual([
      [lbGroup, 443, 443],
      [lbGroup, 80, 80],
    ]);
    const toTasks = ingress.filter((r) => r["security_group_id"] === taskGroup);
    expect(toTasks).toEqual([expect.objectContaining({ referenced_security_group_id: lbGroup, from_port: 8080, to_port: 8080, ip_protocol: "tcp" })]);
    const lbEgress = resources(s, "aws_vpc_security_group_egress_rule").filter((r) => r["security_group_id"] === lbGroup);
    expect(lbEgress).toEqual([expect.objectContaining({ referenced_security_group_id: taskGroup, from_port: 8080 })]);
  });

  it("prod: deletion protection on the ALB, three tasks at 1 vCPU, 365-day logs, access logs when given", () => {
    const { s } = build("prod", { accessLogs: { bucketName: "acme-prod-platform-lb-logs" } });
    const lb = only(s, "aws_lb");
    expect(lb["enable_deletion_protection"]).toBe(true);
    expect(lb["access_logs"]).toMatchObject({ enabled: true, prefix: "invoices" });
    expect((lb["access_logs"] as { bucket: string }).bucket).toBe("acme-prod-platform-lb-logs");
    expect(only(s, "aws_ecs_service")).toMatchObject({ desired_count: 3, deployment_minimum_healthy_percent: 100 });
    expect(only(s, "aws_ecs_task_definition")).toMatchObject({ cpu: "1024", memory: "2048" });
    const appLogs = resources(s, "aws_cloudwatch_log_group").find((g) => g["name"] === "acme-prod-payments-api-invoices");
    expect(appLogs?.["retention_in_days"]).toBe(365);
  });

  it("scales on CPU between the desired count and the tier's ceiling; dev does not scale", () => {
    expect(resources(build("dev").s, "aws_appautoscaling_target")).toHaveLength(0);
    expect(only(build("dev").s, "aws_ecs_service")["lifecycle"]).toBeUndefined();
    const { s } = build("prod");
    const target = only(s, "aws_appautoscaling_target");
    expect(target).toMatchObject({ min_capacity: 3, max_capacity: 9, scalable_dimension: "ecs:service:DesiredCount", service_namespace: "ecs" });
    expect(target["resource_id"]).toMatch(/^service\/\$\{aws_ecs_cluster\..+\.name\}\/\$\{aws_ecs_service\..+\.name\}$/);
    expect(only(s, "aws_appautoscaling_policy")).toMatchObject({
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: { target_value: 60, predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" } },
    });
    expect(only(s, "aws_ecs_service")["lifecycle"]).toEqual({ ignore_changes: ["desired_count"] });
  });

  it("creates 5xx and unhealthy-target alarms with runbooks, and a dashboard", () => {
    const { s } = build("stage");
    const alarms = resources(s, "aws_cloudwatch_metric_alarm");
    const runbooks = alarms.map((a) => (a["tags"] as Record<string, string>)["Runbook"]).sort();
    expect(runbooks).toEqual(["docs/runbooks/certificate-expiry.md", "docs/runbooks/service-5xx-errors.md", "docs/runbooks/service-unhealthy-targets.md"]);
    const errors = alarms.find((a) => a["metric_name"] === "HTTPCode_Target_5XX_Count");
    expect(errors?.["dimensions"]).toEqual({
      LoadBalancer: ref(s, "aws_lb", "invoices_load-balancer", "arn_suffix"),
      TargetGroup: ref(s, "aws_lb_target_group", "invoices_target-group", "arn_suffix"),
    });
    const dashboard = only(s, "aws_cloudwatch_dashboard");
    const body = JSON.parse(dashboard["dashboard_body"] as string) as { widgets: { type: string }[] };
    expect(body.widgets.map((w) => w.type)).toEqual(["text", "metric", "metric", "metric", "metric", "alarm"]);
  });

  it("lets grants target the task role", () => {
    const stack = makeStack();
    const vpc = new Vpc(stack, "network");
    const service = new ContainerService(stack, "invoices", { vpc, image: IMAGE, certificate: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }, dashboard: false, alarms: false });
    const bucket = new SecureBucket(stack, "documents", { name: "documents" });
    bucket.grantRead(service);
    const s = synth(stack);
    const taskPolicy = resources(s, "aws_iam_role_policy").find((p) => String(p["role"]).includes("task-role"));
    expect(policy(taskPolicy?.["policy"]).Statement.flatMap((st) => asList(st.Action))).toContain("s3:GetObject");
    expect(resources(s, "aws_acm_certificate")).toHaveLength(0);
    expect(resources(s, "aws_lb_listener").find((l) => l["port"] === 443)?.["certificate_arn"]).toBe("arn:aws:acm:eu-west-1:123456789012:certificate/abc");
    expect(resources(s, "aws_cloudwatch_dashboard")).toHaveLength(0);
  });

  it("refuses unpinned images, invalid sizes, too few prod tasks and a missing certificate", () => {
    const stack = makeStack();
    const vpc = new Vpc(stack, "network");
    const cert = { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" };
    expectBaselineError(() => new ContainerService(stack, "a", { vpc, image: "nginx:latest", certificate: cert }), "payments-api-dev/a", /not pinned/, /never 'latest'/);
    expectBaselineError(() => new ContainerService(stack, "b", { vpc, image: "nginx", certificate: cert }), "payments-api-dev/b", /not pinned/, /immutable tag/);
    expectBaselineError(() => new ContainerService(stack, "c", { vpc, image: IMAGE, certificate: cert, cpu: 256, memoryMiB: 4096 }), "payments-api-dev/c", /memoryMiB 4096 is not valid with cpu 256/, /512, 1024, 2048/);
    expectBaselineError(() => new ContainerService(stack, "d", { vpc, image: IMAGE }), "payments-api-dev/d", /exactly one of certificate and domain/, /hostedZoneId/);
    expectBaselineError(() => new ContainerService(stack, "e", { vpc, image: IMAGE, certificate: cert, containerPort: 443 }), "payments-api-dev/e", /containerPort 443/, /e\.g\. 8080/);
    expectBaselineError(() => new ContainerService(stack, "f", { vpc, image: IMAGE, certificate: cert, secrets: { X: "plain-text" } }), "payments-api-dev/f", /not a Secrets Manager secret ARN/, /full ARN/);
    const prod = makeStack({ name: "prod", tier: "prod" }, {}, "p");
    const prodVpc = new Vpc(prod, "network");
    expectBaselineError(() => new ContainerService(prod, "g", { vpc: prodVpc, image: IMAGE, certificate: cert, desiredCount: 1 }), "p/g", /desiredCount 1 is too low for prod/, /at least 2/);
    expectBaselineError(() => new ContainerService(stack, "h", { vpc, image: IMAGE, certificate: cert, desiredCount: 2, maxCount: 1 }), "payments-api-dev/h", /maxCount 1 is invalid/, /from desiredCount \(2\)/);
  });

  it("tags every taggable resource with the mandatory tags; names within limits", () => {
    const { s } = build("prod", { name: "a-very-long-service-name-for-limits" });
    const n = expectMandatoryTags(s, testTags("prod"));
    expect(n).toBeGreaterThan(40);
    expect(expectNamesWithinLimits(s)).toBeGreaterThan(15);
    expect(String(only(s, "aws_lb")["name"]).length).toBeLessThanOrEqual(32);
    expect(String(only(s, "aws_lb_target_group")["name"]).length).toBeLessThanOrEqual(32);
  });
});

describe("a full service composition", () => {
  function synthToDisk(): { json: string; doc: Record<string, unknown> } {
    const outdir = mkdtempSync(join(tmpdir(), "baseplate-compose-"));
    try {
      const app = new App({ outdir });
      const stack = new BaselineStack(app, "payments-api-prod", stackProps({}, { name: "prod", tier: "prod" }));
      const vpc = new Vpc(stack, "network");
      const service = new ContainerService(stack, "invoices", { vpc, image: IMAGE, domain: { name: "invoices.example.com", hostedZoneId: "Z1" } });
      new Database(stack, "ledger", { vpc, allowedPeers: [service.serviceSecurityGroup] });
      new BackupPlan(stack, "default");
      app.synth();
      const json = readFileSync(join(outdir, "stacks", "payments-api-prod", "cdk.tf.json"), "utf8");
      return { json, doc: JSON.parse(json) as Record<string, unknown> };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  it("synthesizes identical JSON twice, with construct paths and the declaring lines recorded", () => {
    const first = synthToDisk();
    const second = synthToDisk();
    expect(first.json).toBe(second.json);
    const resourcesByType = first.doc["resource"] as Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;
    const db = Object.values(resourcesByType["aws_db_instance"] ?? {})[0];
    expect(db?.["//"]?.metadata?.path).toBe("payments-api-prod/ledger/instance");
    const sources = ((first.doc["//"] as Record<string, unknown>)["baseplate"] as { sources: Record<string, string> }).sources;
    for (const path of ["payments-api-prod/network", "payments-api-prod/invoices", "payments-api-prod/ledger", "payments-api-prod/default"]) {
      expect(sources[path], path).toMatch(/^modules\/test\/compute\.test\.ts:\d+$/);
    }
    // Inner constructs created by Baseplate point at the user's line too, never at modules/src.
    expect(Object.values(sources).some((v) => v.startsWith("modules/src/"))).toBe(false);
    // The database accepts the service's tasks and nothing else.
    const ingress = Object.values(resourcesByType["aws_vpc_security_group_ingress_rule"] ?? {}) as unknown as Record<string, unknown>[];
    const toDb = ingress.filter((r) => String(r["security_group_id"]).includes("aws_security_group.ledger_"));
    expect(toDb.map((r) => [r["from_port"], String(r["referenced_security_group_id"]).includes("invoices_service-security-group")])).toEqual([[5432, true]]);
  });
});
