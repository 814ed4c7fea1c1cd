package baseplate.rules.observability_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.observability

test_cases if testing.all_pass("observability")

test_bad_runbook_tag_is_reported if {
	alarm := {"address": "aws_cloudwatch_metric_alarm.a", "type": "aws_cloudwatch_metric_alarm", "values": {"alarm_actions": ["x"], "tags": {"Runbook": "wiki"}}}
	findings := observability.deny with input as {"resources": {"aws_cloudwatch_metric_alarm": [alarm]}}
	findings == {{"rule": "OBS-001", "address": "aws_cloudwatch_metric_alarm.a", "attribute": "tags.Runbook", "observed": "wiki"}}
}
