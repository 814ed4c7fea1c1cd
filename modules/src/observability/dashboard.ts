import { Lazy } from "../engine/index.ts";
import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import type { Alarm, AlarmStatistic } from "./alarm.ts";

/** One metric on a dashboard graph. */
export interface DashboardMetric {
  /** CloudWatch namespace, e.g. `AWS/ApplicationELB`. */
  readonly namespace: string;
  /** Metric name, e.g. `HTTPCode_Target_5XX_Count`. */
  readonly metricName: string;
  /** Dimensions, written in key order. @default no dimensions */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Statistic. @default the widget's statistic */
  readonly statistic?: AlarmStatistic;
  /** Legend label. @default the metric name */
  readonly label?: string;
}

/** Options of {@link ServiceDashboard.addGraph}. */
export interface GraphOptions {
  /** Widget title. */
  readonly title: string;
  /** Metrics drawn. */
  readonly metrics: readonly DashboardMetric[];
  /** Statistic for metrics that do not set one. @default "Average" */
  readonly statistic?: AlarmStatistic;
  /** Period in seconds. @default 300 */
  readonly period?: number;
  /** Width in grid units (1-24). @default 12 */
  readonly width?: number;
  /** Height in grid units. @default 6 */
  readonly height?: number;
}

/** Props of {@link ServiceDashboard}. */
export interface ServiceDashboardProps {
  /** Short name of the dashboard, part of its physical name. @default the construct id */
  readonly name?: string;
  /** Markdown shown in a text widget at the top, e.g. links to runbooks. @default a heading with the service and environment */
  readonly header?: string;
}

interface Widget {
  readonly type: "metric" | "text" | "alarm";
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/**
 * A CloudWatch dashboard for a service. Widgets are laid out left to right, top to bottom in the
 * order they are added, and the body is deterministic JSON (no timestamps, stable key order).
 */
export class ServiceDashboard extends Construct {
  /** The underlying `aws_cloudwatch_dashboard`. */
  readonly resource: CloudwatchDashboard;
  /** Physical dashboard name. */
  readonly dashboardName: string;
  private readonly widgets: Widget[] = [];
  private readonly region: string;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    this.region = stack.environment.region;
    this.dashboardName = stack.physicalName(this, "dashboard", props.name ?? id);
    this.addText(props.header ?? `# ${stack.service} (${stack.environment.name})\nAlarms link to their runbooks under docs/runbooks/.`, 24, 2);
    this.resource = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: this.dashboardName,
      dashboardBody: Lazy.stringValue({ produce: () => this.body() }),
    });
  }

  /** Adds a Markdown text widget. */
  addText(markdown: string, width = 24, height = 2): this {
    this.widgets.push({ type: "text", width: this.checkWidth(width), height, properties: { markdown } });
    return this;
  }

  /** Adds a time-series graph of one or more metrics. */
  addGraph(options: GraphOptions): this {
    if (options.metrics.length === 0) {
      throw new BaselineError(this.node.path, `graph '${options.title}' has no metrics`, "list at least one metric");
    }
    const stat = options.statistic ?? "Average";
    const metrics = options.metrics.map((m) => {
      const row: unknown[] = [m.namespace, m.metricName];
      for (const key of Object.keys(m.dimensions ?? {}).sort()) row.push(key, m.dimensions?.[key] ?? "");
      const render: Record<string, string> = {};
      if (m.label !== undefined) render["label"] = m.label;
      if (m.statistic !== undefined && m.statistic !== stat) render["stat"] = m.statistic;
      if (Object.keys(render).length > 0) row.push(render);
      return row;
    });
    this.widgets.push({
      type: "metric",
      width: this.checkWidth(options.width ?? 12),
      height: options.height ?? 6,
      properties: { title: options.title, view: "timeSeries", region: this.region, stat, period: options.period ?? 300, metrics },
    });
    return this;
  }

  /** Adds an alarm status widget for the given alarms. */
  addAlarms(title: string, alarms: readonly Alarm[]): this {
    if (alarms.length === 0) throw new BaselineError(this.node.path, `alarm widget '${title}' has no alarms`, "pass at least one alarm");
    this.widgets.push({ type: "alarm", width: 24, height: 3, properties: { title, alarms: alarms.map((a) => a.alarmArn) } });
    return this;
  }

  /** The dashboard body: widgets placed on the 24-column grid in insertion order. */
  body(): string {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    const placed = this.widgets.map((w) => {
      if (x + w.width > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const out = { type: w.type, x, y, width: w.width, height: w.height, properties: w.properties };
      x += w.width;
      rowHeight = Math.max(rowHeight, w.height);
      return out;
    });
    return JSON.stringify({ widgets: placed });
  }

  private checkWidth(width: number): number {
    if (!Number.isInteger(width) || width < 1 || width > 24) {
      throw new BaselineError(this.node.path, `widget width ${width} is invalid`, "use a whole number from 1 to 24");
    }
    return width;
  }
}
