import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  Alarm,
  AlarmTopic,
  findRepositoryRoot,
  KmsKey,
  LogGroup,
  runbookProblem,
  ServiceDashboard,
  ServiceRole,
} from "../src/index.ts";
import { expectBaselineError, expectMandatoryTags, expectNamesWithinLimits, testTags } from "./construct-helpers.ts";
import { asList, makeStack, only, policy, resources, synth } from "./helpers.ts";

const alarmProps = {
  runbook: "database-cpu-high",
  namespace: "AWS/RDS",
  metricName: "CPUUtilization",
  threshold: 80,
};

describe("LogGroup", () => {
  it.each([
    ["dev", 30],
    ["stage", 90],
    ["prod", 365],
  ] as const)("%s keeps logs %i days, encrypted with the shared logs key", (tier, days) => {
    const stack = makeStack({ name: tier, tier });
    new LogGroup(stack, "app");
    new LogGroup(stack, "audit");
    const s = synth(stack);
    const groups = resources(s, "aws_cloudwatch_log_group");
    expect(groups.map((g) => g["retention_in_days"])).toEqual([days, days]);
    expect(groups.map((g) => g["name"])).toEqual([`acme-${tier}-payments-api-app`, `acme-${tier}-payments-api-audit`]);
    // one shared key for both
    const key = only(s, "aws_kms_key");
    expect(key["enable_key_rotation"]).toBe(true);
    expect(new Set(groups.map((g) => g["kms_key_id"]))).toEqual(new Set([expect.stringMatching(/^\$\{aws_kms_key\.SharedKey-logs_key_[0-9A-F]+\.arn\}$/)]));
  });

  it("refuses retention shorter than the tier's or not accepted by CloudWatch", () => {
    expectBaselineError(() => new LogGroup(makeStack({ name: "prod", tier: "prod" }, {}, "p"), "app", { retentionDays: 90 }), "p/app", /shorter than the prod minimum of 365/, /at least 365/);
    expectBaselineError(() => new LogGroup(makeStack(), "app", { retentionDays: 42 }), "payments-api-dev/app", /not a CloudWatch Logs retention/, /one of 1, 3/);
  });

  it("opens a given key to CloudWatch Logs and uses it", () => {
    const stack = makeStack();
    const key = new KmsKey(stack, "key", { name: "app-logs" });
    new LogGroup(stack, "app", { encryptionKey: key, retentionDays: 400 });
    const s = synth(stack);
    const group = only(s, "aws_cloudwatch_log_group");
    expect(group["retention_in_days"]).toBe(400);
    expect(group["kms_key_id"]).toMatch(/^\$\{aws_kms_key\.key_[0-9A-F]+\.arn\}$/);
    const doc = policy(only(s, "aws_kms_key")["policy"]);
    expect(doc.Statement.map((st) => st.Sid)).toContain("CloudWatchLogsUse");
  });

  it("grantWrite adds exactly stream and event writes on this log group", () => {
    const stack = makeStack();
    const group = new LogGroup(stack, "app");
    const role = new ServiceRole(stack, "role", { name: "writer", servicePrincipal: "lambda.amazonaws.com" });
    group.grantWrite(role);
    const s = synth(stack);
    const doc = policy(only(s, "aws_iam_role_policy")["policy"]);
    expect(doc.Statement).toHaveLength(1);
    const st = doc.Statement[0];
    expect(st?.Effect).toBe("Allow");
    expect(asList(st?.Action)).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    const id = Object.keys(s.resource["aws_cloudwatch_log_group"] ?? {})[0];
    expect(asList(st?.Resource)).toEqual([`\${aws_cloudwatch_log_group.${id}.arn}:*`]);
  });
});

describe("Alarm", () => {
  it("names its runbook in a tag and the description and notifies an encrypted topic on ALARM and OK", () => {
    const stack = makeStack();
    new Alarm(stack, "cpu", { ...alarmProps, dimensions: { DBInstanceIdentifier: "db-1" }, evaluationPeriods: 3, description: "CPU is high." });
    const s = synth(stack);
    const alarm = only(s, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      alarm_name: "acme-dev-payments-api-cpu",
      alarm_description: "CPU is high. Runbook: docs/runbooks/database-cpu-high.md",
      tags: { Runbook: "docs/runbooks/database-cpu-high.md" },
      namespace: "AWS/RDS",
      metric_name: "CPUUtilization",
      dimensions: { DBInstanceIdentifier: "db-1" },
      statistic: "Average",
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 80,
      actions_enabled: true,
    });
    const topicId = Object.keys(s.resource["aws_sns_topic"] ?? {})[0];
    expect(alarm["alarm_actions"]).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
    expect(alarm["ok_actions"]).toEqual(alarm["alarm_actions"]);
    const topic = only(s, "aws_sns_topic");
    expect(topic["kms_master_key_id"]).toMatch(/^\$\{aws_kms_key\.SharedKey-alarms_key_[0-9A-F]+\.arn\}$/);
    const topicPolicy = policy(only(s, "aws_sns_topic_policy")["policy"]);
    expect(topicPolicy.Statement).toEqual([
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: `\${aws_sns_topic.${topicId}.arn}`,
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    const key = policy(only(s, "aws_kms_key")["policy"]);
    expect(key.Statement.find((st) => st.Sid === "CloudWatchAlarmsUse")?.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
  });

  it("shares one stack topic between alarms and uses a given topic when passed", () => {
    const stack = makeStack();
    new Alarm(stack, "a", alarmProps);
    new Alarm(stack, "b", { ...alarmProps, notifyOnOk: false });
    const pager = new AlarmTopic(stack, "pager", { emailSubscribers: ["oncall@example.com"] });
    new Alarm(stack, "c", { ...alarmProps, topic: pager });
    const s = synth(stack);
    expect(resources(s, "aws_sns_topic")).toHaveLength(2);
    const alarms = s.resource["aws_cloudwatch_metric_alarm"] ?? {};
    const actions = Object.values(alarms).map((a) => (a["alarm_actions"] as string[])[0]);
    expect(actions[0]).toBe(actions[1]);
    expect(actions[2]).not.toBe(actions[0]);
    expect(Object.values(alarms)[1]?.["ok_actions"]).toBeUndefined();
    expect(only(s, "aws_sns_topic_subscription")).toMatchObject({ protocol: "email", endpoint: "oncall@example.com" });
  });

  it("lets the stack topic be configured before the first alarm, and refuses it after", () => {
    const stack = makeStack();
    AlarmTopic.forStack(stack, { emailSubscribers: ["oncall@example.com"] });
    new Alarm(stack, "a", alarmProps);
    const s = synth(stack);
    expect(only(s, "aws_sns_topic")["name"]).toBe("acme-dev-payments-api-alarms");
    expect(only(s, "aws_sns_topic_subscription")["endpoint"]).toBe("oncall@example.com");
    expectBaselineError(() => AlarmTopic.forStack(stack, { emailSubscribers: ["x@example.com"] }), "payments-api-dev/AlarmTopic", /already exists/, /before creating any alarm/);
    expectBaselineError(() => new AlarmTopic(makeStack(), "t", { emailSubscribers: ["not-an-email"] }), "payments-api-dev/t", /not an email address/, /oncall@example\.com/);
  });

  it("refuses a runbook that does not exist, naming the path and the fix", () => {
    const stack = makeStack();
    const err = expectBaselineError(
      () => new Alarm(stack, "queue-depth", { ...alarmProps, runbook: "queue-depth-unknown" }),
      "payments-api-dev/queue-depth",
      /runbook docs\/runbooks\/queue-depth-unknown\.md does not exist/,
      /create docs\/runbooks\/queue-depth-unknown\.md from the template/,
    );
    expect(err.message).toContain("Symptoms, Triage, Escalation, Rollback");
    expectBaselineError(() => new Alarm(makeStack(), "x", { ...alarmProps, runbook: "Bad Slug" }), "payments-api-dev/x", /malformed/, /lowercase words/);
  });

  it("refuses invalid periods and datapoints", () => {
    expectBaselineError(() => new Alarm(makeStack(), "x", { ...alarmProps, period: 45 }), "payments-api-dev/x", /period 45/, /multiple of 60/);
    expectBaselineError(
      () => new Alarm(makeStack(), "x", { ...alarmProps, evaluationPeriods: 2, datapointsToAlarm: 3 }),
      "payments-api-dev/x",
      /datapointsToAlarm 3/,
      /from 1 to evaluationPeriods \(2\)/,
    );
  });
});

describe("runbooks", () => {
  it("finds the repository root and every runbook has the four sections", () => {
    const root = findRepositoryRoot();
    expect(root).not.toBeNull();
    const dir = join(root as string, "docs", "runbooks");
    const files = readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const section of ["## Symptoms", "## Triage", "## Escalation", "## Rollback"]) expect(text, `${f} ${section}`).toContain(section);
      expect(runbookProblem(f.replace(/\.md$/, ""))).toBeNull();
    }
    expect(existsSync(join(dir, "README.md"))).toBe(true);
    const index = readFileSync(join(dir, "README.md"), "utf8");
    for (const f of files) expect(index, `README.md lists ${f}`).toContain(`(${f})`);
    for (const section of ["## Symptoms", "## Triage", "## Escalation", "## Rollback"]) expect(index).toContain(section);
  });
});

describe("ServiceDashboard", () => {
  function build() {
    const stack = makeStack();
    const alarm = new Alarm(stack, "cpu", alarmProps);
    new ServiceDashboard(stack, "overview")
      .addGraph({
        title: "CPU",
        metrics: [{ namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: { Z: "1", A: "2" }, statistic: "Maximum" }],
      })
      .addGraph({ title: "Connections", metrics: [{ namespace: "AWS/RDS", metricName: "DatabaseConnections", label: "conns" }], width: 24 })
      .addAlarms("Alarms", [alarm]);
    return synth(stack);
  }

  it("lays widgets out deterministically and resolves alarm references", () => {
    const first = only(build(), "aws_cloudwatch_dashboard");
    const second = only(build(), "aws_cloudwatch_dashboard");
    expect(first["dashboard_body"]).toBe(second["dashboard_body"]);
    expect(first["dashboard_name"]).toBe("acme-dev-payments-api-overview");
    const body = JSON.parse(first["dashboard_body"] as string) as { widgets: Record<string, unknown>[] };
    expect(body.widgets.map((w) => [w["type"], w["x"], w["y"], w["width"]])).toEqual([
      ["text", 0, 0, 24],
      ["metric", 0, 2, 12],
      ["metric", 0, 8, 24],
      ["alarm", 0, 14, 24],
    ]);
    const cpu = body.widgets[1]?.["properties"] as Record<string, unknown>;
    expect(cpu["metrics"]).toEqual([["AWS/RDS", "CPUUtilization", "A", "2", "Z", "1", { stat: "Maximum" }]]);
    expect(cpu["region"]).toBe("eu-west-1");
    const alarms = (body.widgets[3]?.["properties"] as Record<string, unknown>)["alarms"] as string[];
    expect(alarms[0]).toMatch(/^\$\{aws_cloudwatch_metric_alarm\.cpu_alarm_[0-9A-F]+\.arn\}$/);
  });

  it("refuses a graph without metrics and a bad width", () => {
    const d = new ServiceDashboard(makeStack(), "d");
    expectBaselineError(() => d.addGraph({ title: "empty", metrics: [] }), "payments-api-dev/d", /has no metrics/, /at least one metric/);
    expectBaselineError(() => d.addText("x", 30), "payments-api-dev/d", /width 30/, /1 to 24/);
  });
});

describe("observability tags and names", () => {
  it("every taggable resource carries the mandatory tags; names within limits", () => {
    const stack = makeStack({ name: "prod", tier: "prod" }, {}, "payments-api-prod");
    new LogGroup(stack, "app");
    new Alarm(stack, "cpu", alarmProps);
    new ServiceDashboard(stack, "main");
    const s = synth(stack);
    const n = expectMandatoryTags(s, testTags("prod"));
    expect(n).toBeGreaterThanOrEqual(5);
    expect(expectNamesWithinLimits(s)).toBeGreaterThanOrEqual(5);
  });
});
