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

alarm_types := ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"]
