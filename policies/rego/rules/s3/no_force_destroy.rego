package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Production buckets cannot be destroyed with their data
# description: |
#   force_destroy = true lets a destroy or replacement delete every object in the bucket without
#   a separate step. Not allowed in production.
# custom:
#   id: S3-010
#   severity: high
#   enforcement: mandatory
#   controls: [SOC 2 A1.2, SOC 2 CC8.1]
#   remediation: Remove force_destroy (default false) from production buckets; empty a bucket deliberately before removing it.
#   message: "{address} sets force_destroy = {observed} in production."
#   resource_types: [aws_s3_bucket]
#   sources: both
deny contains finding if {
	res.is_prod
	some bucket in res.live("aws_s3_bucket")
	v := res.known(bucket, ["force_destroy"])
	v in {true, "true"}
	finding := {"rule": "S3-010", "address": res.address(bucket), "attribute": "force_destroy", "observed": v}
}
