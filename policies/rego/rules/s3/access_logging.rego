package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Production S3 buckets have access logging
# description: |
#   In production (environment tier prod) each bucket needs an aws_s3_bucket_logging. Buckets
#   that are themselves the target of access logging are exempt: logging a log bucket into
#   itself loops.
# custom:
#   id: S3-006
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.9, CIS 3.6, SOC 2 CC7.2]
#   remediation: Add an aws_s3_bucket_logging for the bucket with target_bucket set to the environment's access-log bucket.
#   message: "{address} has no server access logging in production."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_logging]
#   sources: both
deny contains finding if {
	res.is_prod
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_logging, bucket)
	not covered(_log_target_keys, bucket)
	finding := {"rule": "S3-006", "address": res.address(bucket), "attribute": null, "observed": null}
}
