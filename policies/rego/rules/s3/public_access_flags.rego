package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: S3 public access blocks set all four flags
# description: |
#   block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets must
#   all be true on every aws_s3_bucket_public_access_block and
#   aws_s3_account_public_access_block. An absent flag defaults to false.
# custom:
#   id: S3-002
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP S3.8, FSBP S3.1, CIS 2.1.4, SOC 2 CC6.1]
#   remediation: Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true.
#   message: "{address} sets {attribute} to {observed}; all four public access flags must be true."
#   resource_types: [aws_s3_bucket_public_access_block, aws_s3_account_public_access_block]
#   sources: both
deny contains finding if {
	some t in ["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"]
	some block in res.live(t)
	some flag in public_access_flags
	_flag_not_true(block, flag)
	finding := {"rule": "S3-002", "address": res.address(block), "attribute": flag, "observed": res.raw(block, [flag])}
}

_flag_not_true(block, flag) if res.is_unset(block, [flag])

_flag_not_true(block, flag) if {
	v := res.known(block, [flag])
	v != true
}
