package baseplate.rules.observability

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

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

# A runbook path: docs/runbooks/<slug>.md.
runbook_tag_pattern := `^docs/runbooks/[a-z0-9][a-z0-9._-]*\.md$`

runbook_text_pattern := `docs/runbooks/[a-z0-9][a-z0-9._-]*\.md`

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
