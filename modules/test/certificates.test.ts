import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { AlarmTopic, Certificate } from "../src/index.ts";
import { expectBaselineError, expectMandatoryTags, expectNamesWithinLimits, testTags } from "./construct-helpers.ts";
import { makeStack, only, resources, synth } from "./helpers.ts";

describe("Certificate", () => {
  it("requests a DNS-validated certificate and writes one validation record per name into the zone", () => {
    const stack = makeStack();
    const cert = new Certificate(stack, "api", { domainName: "api.example.com", subjectAlternativeNames: ["www.example.com"], hostedZoneId: "Z0123456789ABC" });
    new TerraformOutput(stack, "certificate-arn", { value: cert.certificateArn });
    const s = synth(stack);
    const acm = only(s, "aws_acm_certificate");
    expect(acm).toMatchObject({
      domain_name: "api.example.com",
      subject_alternative_names: ["www.example.com"],
      validation_method: "DNS",
      key_algorithm: "RSA_2048",
      lifecycle: { create_before_destroy: true },
    });
    const acmId = Object.keys(s.resource["aws_acm_certificate"] ?? {})[0];
    const record = only(s, "aws_route53_record");
    expect(record).toMatchObject({
      zone_id: "Z0123456789ABC",
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      allow_overwrite: true,
    });
    expect(record["for_each"]).toContain(`aws_acm_certificate.${acmId}.domain_validation_options`);
    const recordId = Object.keys(s.resource["aws_route53_record"] ?? {})[0];
    const validation = only(s, "aws_acm_certificate_validation");
    expect(validation["certificate_arn"]).toBe(`\${aws_acm_certificate.${acmId}.arn}`);
    expect(validation["validation_record_fqdns"]).toContain(`aws_route53_record.${recordId}`);
    // Consumers get the ARN through the validation resource, so they wait for issuance.
    const outputs = (s as unknown as { output: Record<string, { value: string }> }).output;
    expect(Object.values(outputs)[0]?.value).toMatch(/^\$\{aws_acm_certificate_validation\.api_validation_[0-9A-F]+\.certificate_arn\}$/);
  });

  it("alarms on DaysToExpiry <= 30 for this certificate with the certificate-expiry runbook", () => {
    const stack = makeStack({ name: "prod", tier: "prod" }, {}, "payments-api-prod");
    new Certificate(stack, "api", { domainName: "api.example.com", hostedZoneId: "Z1" });
    const s = synth(stack);
    const acmId = Object.keys(s.resource["aws_acm_certificate"] ?? {})[0];
    const alarm = only(s, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      namespace: "AWS/CertificateManager",
      metric_name: "DaysToExpiry",
      dimensions: { CertificateArn: `\${aws_acm_certificate.${acmId}.arn}` },
      statistic: "Minimum",
      period: 86400,
      threshold: 30,
      comparison_operator: "LessThanOrEqualToThreshold",
      tags: { Runbook: "docs/runbooks/certificate-expiry.md" },
      alarm_name: "acme-prod-payments-api-api-certificate-expiry",
    });
    expect(alarm["alarm_description"]).toContain("Runbook: docs/runbooks/certificate-expiry.md");
    expect(only(s, "aws_sns_topic")["kms_master_key_id"]).toMatch(/aws_kms_key/);
    expect(
      expectMandatoryTags(s, testTags("prod")),
    ).toBeGreaterThanOrEqual(4);
    expect(expectNamesWithinLimits(s)).toBeGreaterThanOrEqual(3);
  });

  it("uses a given topic and can skip the alarm", () => {
    const stack = makeStack();
    const topic = new AlarmTopic(stack, "pager");
    new Certificate(stack, "a", { domainName: "a.example.com", hostedZoneId: "Z1", alarmTopic: topic });
    new Certificate(stack, "b", { domainName: "b.example.com", hostedZoneId: "Z1", expiryAlarm: false });
    const s = synth(stack);
    expect(resources(s, "aws_cloudwatch_metric_alarm")).toHaveLength(1);
    expect(resources(s, "aws_sns_topic")).toHaveLength(1);
    expect(resources(s, "aws_acm_certificate")).toHaveLength(2);
  });

  it("refuses invalid and repeated names and an empty zone", () => {
    expectBaselineError(() => new Certificate(makeStack(), "c", { domainName: "API.example.com", hostedZoneId: "Z1" }), "payments-api-dev/c", /not a valid domain name/, /lowercase fully-qualified/);
    expectBaselineError(
      () => new Certificate(makeStack(), "c", { domainName: "a.example.com", subjectAlternativeNames: ["a.example.com"], hostedZoneId: "Z1" }),
      "payments-api-dev/c",
      /repeat/,
      /each name once/,
    );
    expectBaselineError(() => new Certificate(makeStack(), "c", { domainName: "a.example.com", hostedZoneId: " " }), "payments-api-dev/c", /hostedZoneId is empty/, /hosted zone id/);
  });
});
