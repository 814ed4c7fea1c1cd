import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { policyDocument, validateStatement, type PolicyStatement } from "../iam/policy.ts";
import type { IKmsKey } from "../kms/key.ts";
import { sharedKey } from "./shared-keys.ts";

/** A topic alarms notify. */
export interface IAlarmTopic {
  /** Topic ARN. */
  readonly topicArn: string;
}

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Short name of the topic, part of its physical name. @default the construct id */
  readonly name?: string;
  /** Key that encrypts the topic; it is opened to CloudWatch alarms. @default the stack's shared alarms key */
  readonly encryptionKey?: IKmsKey;
  /** Email addresses subscribed to the topic (each confirms by email). @default none */
  readonly emailSubscribers?: readonly string[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;
const STACK_TOPIC_ID = "AlarmTopic";

/**
 * An SNS topic for alarm notifications, encrypted with a customer-managed KMS key, whose policy
 * lets CloudWatch in this account publish to it.
 */
export class AlarmTopic extends Construct implements IAlarmTopic {
  /**
   * The stack's shared alarm topic, created on first use; every alarm notifies it unless given
   * another topic. Pass `props` (e.g. `emailSubscribers`) on the first call, before any alarm
   * exists, to configure it.
   */
  static forStack(scope: IConstruct, props?: AlarmTopicProps): AlarmTopic {
    const stack = BaselineStack.of(scope);
    const existing = stack.node.tryFindChild(STACK_TOPIC_ID);
    if (existing instanceof AlarmTopic) {
      if (props !== undefined) {
        throw new BaselineError(
          existing.node.path,
          "the stack's alarm topic already exists, so these props would be ignored",
          "call AlarmTopic.forStack(stack, props) once, before creating any alarm or construct with default alarms",
        );
      }
      return existing;
    }
    return new AlarmTopic(stack, STACK_TOPIC_ID, { name: "alarms", ...props });
  }

  /** The underlying `aws_sns_topic`. */
  readonly resource: SnsTopic;
  readonly topicArn: string;
  /** Physical topic name. */
  readonly topicName: string;
  /** The key that encrypts the topic. */
  readonly encryptionKey: IKmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    this.encryptionKey = props.encryptionKey ?? sharedKey(this, "alarms");
    if (props.encryptionKey) props.encryptionKey.allowService("cloudwatch");
    this.topicName = stack.physicalName(this, "sns-topic", props.name ?? id);
    this.resource = new SnsTopic(this, "topic", { name: this.topicName, kmsMasterKeyId: this.encryptionKey.keyArn });
    this.topicArn = this.resource.arn;
    const publish: PolicyStatement = {
      sid: "CloudWatchAlarmsPublish",
      actions: ["sns:Publish"],
      resources: [this.topicArn],
      principal: { Service: ["cloudwatch.amazonaws.com"] },
      conditions: { StringEquals: { "aws:SourceAccount": stack.environment.account } },
    };
    validateStatement(this.node.path, publish, { resourcePolicy: true });
    new SnsTopicPolicy(this, "policy", { arn: this.topicArn, policy: policyDocument([publish]) });
    for (const email of props.emailSubscribers ?? []) {
      if (!EMAIL.test(email)) {
        throw new BaselineError(this.node.path, `'${email}' is not an email address`, "list addresses such as 'oncall@example.com'");
      }
      new SnsTopicSubscription(this, `email-${email.replace(/[^A-Za-z0-9]/g, "_")}`, { topicArn: this.topicArn, protocol: "email", endpoint: email });
    }
  }
}
