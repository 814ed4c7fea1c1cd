package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: CloudTrail logs are encrypted with a KMS key
# description: Every aws_cloudtrail must set kms_key_id.
# custom:
#   id: LOG-006
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudTrail.2, CIS 3.5, SOC 2 CC6.1]
#   remediation: Set kms_key_id to a customer managed key whose policy allows cloudtrail.amazonaws.com to encrypt.
#   message: "{address} does not encrypt its logs with a KMS key."
#   resource_types: [aws_cloudtrail]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudtrail")
	_missing(r, "kms_key_id")
	finding := {"rule": "LOG-006", "address": res.address(r), "attribute": "kms_key_id", "observed": res.raw(r, ["kms_key_id"])}
}
