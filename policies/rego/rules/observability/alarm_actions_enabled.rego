package baseplate.rules.observability

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Alarm actions are enabled
# description: An alarm must not set actions_enabled = false.
# custom:
#   id: OBS-003
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudWatch.17, SOC 2 CC7.3]
#   remediation: Remove actions_enabled = false; silence an alarm through a reviewed change to its threshold or a maintenance window instead.
#   message: "{address} has its actions disabled."
#   resource_types: [aws_cloudwatch_metric_alarm, aws_cloudwatch_composite_alarm]
#   sources: both
deny contains finding if {
	some t in alarm_types
	some r in res.live(t)
	res.known(r, ["actions_enabled"]) in {false, "false"}
	finding := {"rule": "OBS-003", "address": res.address(r), "attribute": "actions_enabled", "observed": res.raw(r, ["actions_enabled"])}
}
