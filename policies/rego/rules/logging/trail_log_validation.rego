package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: CloudTrail log file validation is enabled
# description: Every aws_cloudtrail must set enable_log_file_validation = true.
# custom:
#   id: LOG-005
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudTrail.4, CIS 3.2, SOC 2 CC7.2]
#   remediation: Set enable_log_file_validation = true.
#   message: "{address} does not validate its log files."
#   resource_types: [aws_cloudtrail]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudtrail")
	_not_true(r, "enable_log_file_validation")
	finding := {"rule": "LOG-005", "address": res.address(r), "attribute": "enable_log_file_validation", "observed": res.raw(r, ["enable_log_file_validation"])}
}
