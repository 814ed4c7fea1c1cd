package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: CloudTrail trails are multi-region
# description: Every aws_cloudtrail must set is_multi_region_trail = true.
# custom:
#   id: LOG-004
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP CloudTrail.1, CIS 3.1, SOC 2 CC7.2]
#   remediation: Set is_multi_region_trail = true (and include_global_service_events = true).
#   message: "{address} records only one region."
#   resource_types: [aws_cloudtrail]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudtrail")
	_not_true(r, "is_multi_region_trail")
	finding := {"rule": "LOG-004", "address": res.address(r), "attribute": "is_multi_region_trail", "observed": res.raw(r, ["is_multi_region_trail"])}
}
