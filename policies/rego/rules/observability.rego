# METADATA
# title: Observability guardrails
# description: |
#   Every alarm names its runbook and notifies someone.
#
#   Runbook convention: the modules' Alarm construct sets the tag Runbook to the
#   repository-relative path of the runbook, docs/runbooks/<slug>.md (slug: lowercase letters,
#   digits, dots, underscores and hyphens), and puts the runbook's URL, which ends in that path,
#   in alarm_description. A raw alarm passes with either the tag or a description that contains
#   docs/runbooks/<slug>.md.
package baseplate.rules.observability

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

alarm_types := ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"]

# A runbook path: docs/runbooks/<slug>.md.
runbook_tag_pattern := `^docs/runbooks/[a-z0-9][a-z0-9._-]*\.md$`

runbook_text_pattern := `docs/runbooks/[a-z0-9][a-z0-9._-]*\.md`

# METADATA
# title: Alarms name a runbook
# description: |
#   aws_cloudwatch_metric_alarm and aws_cloudwatch_composite_alarm must carry the tag
#   Runbook = docs/runbooks/<slug>.md, or an alarm_description containing that path.
# custom:
#   id: OBS-001
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 CC7.3, SOC 2 CC7.4]
#   remediation: Create the alarm with the Alarm construct and its runbook prop, or set the tag Runbook = "docs/runbooks/<slug>.md" and add the runbook to docs/runbooks/.
#   message: "{address} does not name a runbook (tag Runbook = docs/runbooks/<slug>.md); observed {observed}."
#   resource_types: [aws_cloudwatch_metric_alarm, aws_cloudwatch_composite_alarm]
#   sources: both
deny contains finding if {
	some t in alarm_types
	some r in res.live(t)
	not _names_runbook(r)
	not _runbook_undecided(r)
	finding := {"rule": "OBS-001", "address": res.address(r), "attribute": "tags.Runbook", "observed": object.get(tags.effective(r), "Runbook", null)}
}

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

# --- helpers -----------------------------------------------------------------------------

_names_runbook(r) if {
	v := tags.value(r, "Runbook")
	regex.match(runbook_tag_pattern, v)
}

_names_runbook(r) if {
	d := res.known(r, ["alarm_description"])
	is_string(d)
	regex.match(runbook_text_pattern, d)
}

# The runbook cannot be judged before apply: the tag value or all tags are a reference or
# unknown, or the description is.
_runbook_undecided(r) if tags.value_undecided(r, "Runbook")

_runbook_undecided(r) if tags.undecided(r)

_runbook_undecided(r) if res.is_undecided(r, ["alarm_description"])
