import { TerraformIterator, Token } from "../engine/index.ts";
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate/index.js";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import { BaselineError } from "../baseline/errors.ts";
import { BaselineStack } from "../baseline/stack.ts";
import { Alarm } from "../observability/alarm.ts";
import type { IAlarmTopic } from "../observability/alarm-topic.ts";

/** Days before expiry at which the expiry alarm fires. */
export const CERTIFICATE_EXPIRY_THRESHOLD_DAYS = 30;

/** Props of {@link Certificate}. */
export interface CertificateProps {
  /** Primary domain name, e.g. `api.example.com` (a leading `*.` makes a wildcard certificate). */
  readonly domainName: string;
  /** Further names on the certificate; all must be in the hosted zone. @default none */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 hosted zone id that receives the DNS validation records. */
  readonly hostedZoneId: string;
  /** Short name used for the alarm's physical name. @default the construct id */
  readonly name?: string;
  /** Key algorithm. @default "RSA_2048" */
  readonly keyAlgorithm?: "RSA_2048" | "EC_prime256v1" | "EC_secp384r1";
  /** Create the `DaysToExpiry` alarm (runbook `certificate-expiry`). @default true */
  readonly expiryAlarm?: boolean;
  /** Topic the expiry alarm notifies. @default the stack's shared alarm topic */
  readonly alarmTopic?: IAlarmTopic;
}

const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A public ACM certificate validated through DNS in a Route 53 hosted zone: the certificate, one
 * validation record per name, the validation waiter, and an alarm when fewer than 30 days remain
 * (ACM renews DNS-validated certificates well before that, so the alarm means renewal is stuck).
 */
export class Certificate extends Construct {
  /** The underlying `aws_acm_certificate`. */
  readonly resource: AcmCertificate;
  /** The validation waiter. */
  readonly validation: AcmCertificateValidation;
  /**
   * ARN of the validated certificate: a reference through the validation resource, so a listener
   * using it waits until the certificate is issued.
   */
  readonly certificateArn: string;
  /** The expiry alarm, when created. */
  readonly expiryAlarm: Alarm | undefined;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const stack = BaselineStack.of(this);
    stack.recordSource(this);
    const names = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    for (const n of names) {
      if (!DOMAIN.test(n) || n.length > 253) {
        throw new BaselineError(this.node.path, `'${n}' is not a valid domain name`, "use a lowercase fully-qualified name such as 'api.example.com' or '*.example.com'");
      }
    }
    if (new Set(names).size !== names.length) {
      throw new BaselineError(this.node.path, `domain names repeat: ${names.join(", ")}`, "list each name once");
    }
    if (!props.hostedZoneId.trim()) {
      throw new BaselineError(this.node.path, "hostedZoneId is empty", "pass the Route 53 hosted zone id that serves the domain");
    }

    this.resource = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      ...(props.subjectAlternativeNames && props.subjectAlternativeNames.length > 0 ? { subjectAlternativeNames: [...props.subjectAlternativeNames] } : {}),
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      tags: { Name: props.domainName },
      lifecycle: { createBeforeDestroy: true },
    });

    const options = TerraformIterator.fromComplexList(this.resource.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId: props.hostedZoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.resource.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
    });
    this.certificateArn = this.validation.certificateArn;

    this.expiryAlarm =
      (props.expiryAlarm ?? true)
        ? new Alarm(this, "expiry-alarm", {
            name: `${props.name ?? id}-certificate-expiry`,
            runbook: "certificate-expiry",
            namespace: "AWS/CertificateManager",
            metricName: "DaysToExpiry",
            dimensions: { CertificateArn: this.resource.arn },
            statistic: "Minimum",
            period: 86400,
            evaluationPeriods: 1,
            threshold: CERTIFICATE_EXPIRY_THRESHOLD_DAYS,
            comparisonOperator: "LessThanOrEqualToThreshold",
            description: `Certificate for ${props.domainName} expires in ${CERTIFICATE_EXPIRY_THRESHOLD_DAYS} days or fewer; ACM renewal is stuck.`,
            ...(props.alarmTopic ? { topic: props.alarmTopic } : {}),
          })
        : undefined;
  }
}
