package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: S3 buckets enforce bucket-owner object ownership
# description: |
#   Each bucket needs an aws_s3_bucket_ownership_controls with object_ownership
#   BucketOwnerEnforced, which disables ACLs so access is governed by policies alone.
# custom:
#   id: S3-008
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.12, SOC 2 CC6.1]
#   remediation: Add an aws_s3_bucket_ownership_controls for the bucket with rule.object_ownership = "BucketOwnerEnforced".
#   message: "{address} does not enforce bucket-owner object ownership ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_ownership_controls]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_ownership_controls, bucket)
	finding := {"rule": "S3-008", "address": res.address(bucket), "attribute": "rule.object_ownership", "observed": null}
}

deny contains finding if {
	some oc in res.live("aws_s3_bucket_ownership_controls")
	some i, rule in res.as_array(res.raw(oc, ["rule"]))
	is_object(rule)
	ownership := object.get(rule, "object_ownership", null)
	ownership != "BucketOwnerEnforced"
	not res.is_reference(ownership)
	not res.is_unknown(oc, ["rule", i, "object_ownership"])
	finding := {"rule": "S3-008", "address": res.address(oc), "attribute": "rule.object_ownership", "observed": ownership}
}
