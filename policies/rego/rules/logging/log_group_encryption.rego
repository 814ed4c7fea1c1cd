package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Log groups are encrypted with a KMS key
# description: aws_cloudwatch_log_group must set kms_key_id (a customer managed key).
# custom:
#   id: LOG-003
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1, SOC 2 C1.1]
#   remediation: Set kms_key_id to the logs key of the environment baseline; its key policy must allow the logs service principal.
#   message: "{address} is not encrypted with a customer managed KMS key."
#   resource_types: [aws_cloudwatch_log_group]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudwatch_log_group")
	_missing(r, "kms_key_id")
	finding := {"rule": "LOG-003", "address": res.address(r), "attribute": "kms_key_id", "observed": res.raw(r, ["kms_key_id"])}
}
