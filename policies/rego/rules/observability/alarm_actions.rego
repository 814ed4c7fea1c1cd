package baseplate.rules.observability

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Alarms notify someone
# description: Every alarm must have at least one alarm_actions entry (an SNS topic or another action).
# custom:
#   id: OBS-002
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudWatch.15, SOC 2 CC7.3]
#   remediation: Add the environment's alarm topic (or the service's on-call topic) to alarm_actions.
#   message: "{address} has no alarm_actions."
#   resource_types: [aws_cloudwatch_metric_alarm, aws_cloudwatch_composite_alarm]
#   sources: both
deny contains finding if {
	some t in alarm_types
	some r in res.live(t)
	not res.is_undecided(r, ["alarm_actions"])
	count(res.as_array(res.raw(r, ["alarm_actions"]))) == 0
	not is_string(res.raw(r, ["alarm_actions"]))
	finding := {"rule": "OBS-002", "address": res.address(r), "attribute": "alarm_actions", "observed": res.raw(r, ["alarm_actions"])}
}
