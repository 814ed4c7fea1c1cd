import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import type { Tier } from "../baseline/environment.ts";
import { BaselineError } from "../baseline/errors.ts";
import { nameProblem } from "../baseline/naming.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { Grant, type IGrantable } from "../iam/grant.ts";
import type { IKmsKey } from "../kms/key.ts";
import { sharedKey } from "./shared-keys.ts";

/** Log retention by tier, in days. */
export const LOG_RETENTION_DAYS: Readonly<Record<Tier, number>> = { dev: 30, stage: 90, prod: 365 };

/** Retention values CloudWatch Logs accepts. */
export const VALID_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Actions of {@link LogGroup.grantWrite}. */
export const LOG_WRITE_ACTIONS: readonly string[] = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"];

/** Props of {@link LogGroup}. */
export interface LogGroupProps {
  /** Short name of the log group, part of its physical name. @default the construct id */
  readonly name?: string;
  /**
   * Retention in days, one of {@link VALID_RETENTION_DAYS}; never shorter than the tier's retention in prod.
   * @default 30 in dev, 90 in stage, 365 in prod
   */
  readonly retentionDays?: number;
  /**
   * Exact log group name, for names AWS services decide (e.g. `/aws/rds/instance/<id>/postgresql`).
   * @default `<org>-<env>-<service>-<name>` from the naming convention
   */
  readonly logGroupName?: string;
  /** Key that encrypts the log group; it is opened to CloudWatch Logs. @default the stack's shared logs key */
  readonly encryptionKey?: IKmsKey;
}

/**
 * A CloudWatch Logs log group encrypted with a customer-managed KMS key, with retention by tier.
 * `grantWrite(role)` allows exactly creating streams and putting events in this log group.
 */
export class LogGroup extends Construct {
  /** The underlying `aws_cloudwatch_log_group`. */
  readonly resource: CloudwatchLogGroup;
  /** Physical log group name. */
  readonly logGroupName: string;
  /** Log group ARN (without the `:*` suffix). */
  readonly logGroupArn: string;
  /** Retention in days. */
  readonly retentionDays: number;
  /** The key that encrypts the log group. */
  readonly encryptionKey: IKmsKey;

  constructor(scope: Construct, id: string, props: LogGroupProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const tier = stack.environment.tier;
    const retention = props.retentionDays ?? LOG_RETENTION_DAYS[tier];
    if (!VALID_RETENTION_DAYS.includes(retention)) {
      throw new BaselineError(this.node.path, `retentionDays ${retention} is not a CloudWatch Logs retention`, `use one of ${VALID_RETENTION_DAYS.join(", ")}`);
    }
    if (retention < LOG_RETENTION_DAYS[tier]) {
      throw new BaselineError(
        this.node.path,
        `retentionDays ${retention} is shorter than the ${tier} minimum of ${LOG_RETENTION_DAYS[tier]} days`,
        `leave retentionDays unset or use at least ${LOG_RETENTION_DAYS[tier]}`,
      );
    }
    this.retentionDays = retention;
    this.encryptionKey = props.encryptionKey ?? sharedKey(this, "logs");
    if (props.encryptionKey) props.encryptionKey.allowService("logs");
    if (props.logGroupName !== undefined) {
      const problem = nameProblem("log-group", props.logGroupName);
      if (problem !== null) throw new BaselineError(this.node.path, problem, "use lowercase letters, digits and _ . / # - only, or leave logGroupName unset");
    }
    this.logGroupName = props.logGroupName ?? stack.physicalName(this, "log-group", props.name ?? id);
    this.resource = new CloudwatchLogGroup(this, "log-group", {
      name: this.logGroupName,
      retentionInDays: retention,
      kmsKeyId: this.encryptionKey.keyArn,
    });
    this.logGroupArn = this.resource.arn;
  }

  /** Allows `grantee` to create log streams and put log events in this log group only. */
  grantWrite(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: LOG_WRITE_ACTIONS, resourceArns: [`${this.logGroupArn}:*`] });
  }
}
