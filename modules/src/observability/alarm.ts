import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { AlarmTopic, type IAlarmTopic } from "./alarm-topic.ts";
import { runbookPath, runbookProblem } from "./runbooks.ts";

/** CloudWatch statistics an alarm may evaluate. */
export type AlarmStatistic = "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount";

/** CloudWatch comparison operators for static thresholds. */
export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

/** How an alarm treats periods without data. */
export type TreatMissingData = "missing" | "ignore" | "breaching" | "notBreaching";

/** Props of {@link Alarm}. */
export interface AlarmProps {
  /**
   * Slug of the runbook an on-call engineer follows when the alarm fires; the file
   * `docs/runbooks/<slug>.md` must exist at synthesis time.
   */
  readonly runbook: string;
  /** CloudWatch namespace of the metric, e.g. `AWS/RDS`. */
  readonly namespace: string;
  /** Metric name, e.g. `CPUUtilization`. */
  readonly metricName: string;
  /** Metric dimensions. @default no dimensions */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Statistic evaluated per period. @default "Average" */
  readonly statistic?: AlarmStatistic;
  /** Period in seconds (10, 30 or a multiple of 60). @default 300 */
  readonly period?: number;
  /** Number of periods evaluated. @default 1 */
  readonly evaluationPeriods?: number;
  /** Breaching periods out of `evaluationPeriods` that fire the alarm. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** Threshold the statistic is compared with. */
  readonly threshold: number;
  /** Comparison of the statistic with the threshold. @default "GreaterThanOrEqualToThreshold" */
  readonly comparisonOperator?: ComparisonOperator;
  /** Treatment of periods without data. @default "missing" */
  readonly treatMissingData?: TreatMissingData;
  /** One sentence saying what is wrong when the alarm fires. @default a sentence built from the metric and threshold */
  readonly description?: string;
  /** Short name of the alarm, part of its physical name. @default the construct id */
  readonly name?: string;
  /** Topic notified on ALARM (and OK). @default the stack's shared {@link AlarmTopic} */
  readonly topic?: IAlarmTopic;
  /** Also notify the topic when the alarm returns to OK. @default true */
  readonly notifyOnOk?: boolean;
}

const SYMBOL: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

/**
 * A CloudWatch metric alarm that names its runbook. Synthesis fails when
 * `docs/runbooks/<runbook>.md` does not exist. The alarm carries the tag `Runbook` and the runbook
 * path in its description, and notifies an encrypted SNS topic on ALARM and OK.
 */
export class Alarm extends Construct {
  /** The underlying `aws_cloudwatch_metric_alarm`. */
  readonly resource: CloudwatchMetricAlarm;
  /** Alarm ARN. */
  readonly alarmArn: string;
  /** Physical alarm name. */
  readonly alarmName: string;
  /** Repository-relative runbook path, e.g. `docs/runbooks/certificate-expiry.md`. */
  readonly runbookPath: string;
  /** The topic the alarm notifies. */
  readonly topic: IAlarmTopic;

  constructor(scope: Construct, id: string, props: AlarmProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const problem = runbookProblem(props.runbook);
    if (problem) throw new BaselineError(this.node.path, problem[0], problem[1]);
    const evaluationPeriods = props.evaluationPeriods ?? 1;
    const datapointsToAlarm = props.datapointsToAlarm ?? evaluationPeriods;
    const period = props.period ?? 300;
    if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
      throw new BaselineError(this.node.path, `evaluationPeriods ${evaluationPeriods} is invalid`, "use a whole number of at least 1");
    }
    if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
      throw new BaselineError(this.node.path, `datapointsToAlarm ${datapointsToAlarm} is invalid`, `use a whole number from 1 to evaluationPeriods (${evaluationPeriods})`);
    }
    if (!(period === 10 || period === 30 || (Number.isInteger(period) && period > 0 && period % 60 === 0))) {
      throw new BaselineError(this.node.path, `period ${period} is not a valid CloudWatch period`, "use 10, 30 or a multiple of 60 seconds");
    }

    this.runbookPath = runbookPath(props.runbook);
    this.topic = props.topic ?? AlarmTopic.forStack(this);
    const operator = props.comparisonOperator ?? "GreaterThanOrEqualToThreshold";
    const statistic = props.statistic ?? "Average";
    const summary =
      props.description ??
      `${props.namespace} ${props.metricName} ${statistic} ${SYMBOL[operator]} ${props.threshold} for ${datapointsToAlarm} of ${evaluationPeriods} periods of ${period}s.`;
    this.alarmName = stack.physicalName(this, "alarm", props.name ?? id);
    const description = `${summary.trim()} Runbook: ${this.runbookPath}`;
    if (description.length > 1024) {
      throw new BaselineError(this.node.path, `the alarm description is ${description.length} characters`, "shorten description so it and the runbook path fit in 1024 characters");
    }
    const notify = [this.topic.topicArn];
    this.resource = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: this.alarmName,
      alarmDescription: description,
      namespace: props.namespace,
      metricName: props.metricName,
      ...(props.dimensions ? { dimensions: { ...props.dimensions } } : {}),
      statistic,
      period,
      evaluationPeriods,
      datapointsToAlarm,
      threshold: props.threshold,
      comparisonOperator: operator,
      treatMissingData: props.treatMissingData ?? "missing",
      actionsEnabled: true,
      alarmActions: notify,
      ...((props.notifyOnOk ?? true) ? { okActions: notify } : {}),
      tags: { Runbook: this.runbookPath },
    });
    this.alarmArn = this.resource.arn;
  }
}
