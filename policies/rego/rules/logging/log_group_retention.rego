package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Log groups have a bounded retention of at least 30 days
# description: |
#   aws_cloudwatch_log_group must set retention_in_days to 30 or more. Unset or 0 means the
#   logs never expire, which leaves retention (and cost) unmanaged, so it is reported too.
# custom:
#   id: LOG-001
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudWatch.16, SOC 2 CC7.2, SOC 2 C1.2]
#   remediation: Set retention_in_days to a supported value of 30 or more (the log group construct defaults to 90, 365 in prod).
#   message: "{address} has retention_in_days = {observed}; set a retention of at least 30 days."
#   resource_types: [aws_cloudwatch_log_group]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudwatch_log_group")
	not res.is_undecided(r, ["retention_in_days"])
	v := res.raw(r, ["retention_in_days"])
	not _at_least(v, min_retention_days)
	finding := {"rule": "LOG-001", "address": res.address(r), "attribute": "retention_in_days", "observed": v}
}

min_retention_days := 30

_at_least(v, n) if _days(v) >= n
