/**
 * Checks that Baseplate and Checkov both have, as pairs of a Baseplate rule and the Checkov checks
 * that test the same property. The benchmark runs Checkov with exactly these checks; the agreement
 * report compares verdicts per resource for each pair.
 *
 * `scope` says which resources the pair is compared on: a Baseplate rule may report the bucket when
 * Checkov reports the companion resource (or the reverse), so both sides are mapped to the resource
 * named in `scope` before comparing (see agreement.ts).
 */
export interface OverlapPair {
  /** Baseplate rule id (policies/build/catalog.json). */
  rule: string;
  /** Checkov check ids testing the same property; a resource fails when any of them fails. */
  checkov: string[];
  /** What the pair tests, in words. */
  what: string;
  /** Resource type both verdicts are compared on. */
  scope: string;
  /** Known differences in what the two sides test (shown in the agreement report). */
  note?: string;
}

export const OVERLAP: readonly OverlapPair[] = [
  { rule: "S3-001", checkov: ["CKV2_AWS_6"], what: "S3 bucket has a public access block", scope: "aws_s3_bucket" },
  {
    rule: "S3-002",
    checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    what: "public access block sets all four flags",
    scope: "aws_s3_bucket_public_access_block",
  },
  {
    rule: "S3-003",
    checkov: ["CKV_AWS_145"],
    what: "S3 bucket encrypted with KMS",
    scope: "aws_s3_bucket",
  },
  { rule: "S3-004", checkov: ["CKV_AWS_21"], what: "S3 bucket versioning enabled", scope: "aws_s3_bucket" },
  { rule: "S3-006", checkov: ["CKV_AWS_18"], what: "S3 bucket access logging", scope: "aws_s3_bucket", note: "Baseplate requires access logging in production only; Checkov everywhere." },
  {
    rule: "NET-002",
    checkov: ["CKV_AWS_24", "CKV_AWS_25"],
    what: "no SSH/RDP (administration port) from the world",
    scope: "aws_security_group",
    note: "Baseplate also covers database ports (NET-002) and reports the ingress-rule resource; Checkov's checks are about ports 22 and 3389 only.",
  },
  { rule: "RDS-001", checkov: ["CKV_AWS_16"], what: "RDS storage encrypted", scope: "aws_db_instance" },
  { rule: "RDS-002", checkov: ["CKV_AWS_17"], what: "RDS instance not publicly accessible", scope: "aws_db_instance" },
  { rule: "LOG-004", checkov: ["CKV_AWS_67"], what: "CloudTrail multi-region", scope: "aws_cloudtrail" },
  { rule: "LOG-005", checkov: ["CKV_AWS_36"], what: "CloudTrail log file validation", scope: "aws_cloudtrail" },
  { rule: "LOG-006", checkov: ["CKV_AWS_35"], what: "CloudTrail logs encrypted with KMS", scope: "aws_cloudtrail" },
  { rule: "KMS-001", checkov: ["CKV_AWS_7"], what: "KMS key rotation enabled", scope: "aws_kms_key" },
  { rule: "EC2-001", checkov: ["CKV_AWS_79"], what: "instance metadata requires IMDSv2", scope: "aws_instance" },
  {
    rule: "LOG-001",
    checkov: ["CKV_AWS_66"],
    what: "log group retention set",
    scope: "aws_cloudwatch_log_group",
    note: "Baseplate requires a bounded retention of at least 30 days; Checkov only that a retention is set.",
  },
  { rule: "LOG-003", checkov: ["CKV_AWS_158"], what: "log group encrypted with KMS", scope: "aws_cloudwatch_log_group" },
];

export const CHECKOV_CHECKS: readonly string[] = [...new Set(OVERLAP.flatMap((p) => p.checkov))].sort();
