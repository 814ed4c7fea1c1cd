package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Every S3 bucket has a public access block
# description: |
#   Each aws_s3_bucket needs an aws_s3_bucket_public_access_block that references it (or names
#   it), unless the stack sets a complete aws_s3_account_public_access_block. S3-002 checks the
#   block's four flags.
# custom:
#   id: S3-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP S3.8, FSBP S3.1, CIS 2.1.4, SOC 2 CC6.1]
#   remediation: Add an aws_s3_bucket_public_access_block for the bucket with all four flags true (the baseline storage construct does this).
#   message: "{address} has no public access block."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_public_access_block, aws_s3_account_public_access_block]
#   sources: both
deny contains finding if {
	not _account_block_complete
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_public_access_block, bucket)
	finding := {"rule": "S3-001", "address": res.address(bucket), "attribute": null, "observed": null}
}

_account_block_complete if {
	some b in res.live("aws_s3_account_public_access_block")
	every flag in public_access_flags {
		res.known(b, [flag]) == true
	}
}
