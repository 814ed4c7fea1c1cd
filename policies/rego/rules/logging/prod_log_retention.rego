package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Production log groups keep logs for a year
# description: In prod, a log group with a bounded retention should keep logs for at least 365 days.
# custom:
#   id: LOG-002
#   severity: low
#   enforcement: advisory
#   controls: [FSBP CloudWatch.16, SOC 2 CC7.2]
#   remediation: Set retention_in_days to 365 or more for production log groups, or export them to an archive bucket with a longer lifecycle.
#   message: "{address} keeps production logs for {observed} days; 365 or more is recommended."
#   resource_types: [aws_cloudwatch_log_group]
#   sources: both
deny contains finding if {
	res.is_prod
	some r in res.live("aws_cloudwatch_log_group")
	v := _days(res.known(r, ["retention_in_days"]))
	v > 0
	v < min_retention_days_prod
	finding := {"rule": "LOG-002", "address": res.address(r), "attribute": "retention_in_days", "observed": v}
}

min_retention_days_prod := 365
