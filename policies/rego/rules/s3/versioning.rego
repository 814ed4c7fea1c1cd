package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: S3 buckets have versioning enabled
# description: |
#   Each bucket needs an aws_s3_bucket_versioning with versioning_configuration.status
#   "Enabled", so overwritten and deleted objects can be recovered.
# custom:
#   id: S3-004
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.14, SOC 2 A1.2, SOC 2 CC6.1]
#   remediation: Add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status = "Enabled".
#   message: "{address} does not have versioning enabled ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_versioning]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_versioning, bucket)
	finding := {"rule": "S3-004", "address": res.address(bucket), "attribute": "versioning_configuration.status", "observed": null}
}

deny contains finding if {
	some v in res.live("aws_s3_bucket_versioning")
	some i, block in res.as_array(res.raw(v, ["versioning_configuration"]))
	is_object(block)
	status := object.get(block, "status", null)
	status != "Enabled"
	not res.is_reference(status)
	not res.is_unknown(v, ["versioning_configuration", i, "status"])
	finding := {"rule": "S3-004", "address": res.address(v), "attribute": "versioning_configuration.status", "observed": status}
}

deny contains finding if {
	some v in res.live("aws_s3_bucket_versioning")
	count(res.blocks(v, "versioning_configuration")) == 0
	not res.is_undecided(v, ["versioning_configuration"])
	finding := {"rule": "S3-004", "address": res.address(v), "attribute": "versioning_configuration.status", "observed": null}
}
