package baseplate.rules.change_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.change

test_cases if testing.all_pass("change")

_plan(resources) := {"source": "plan", "environment": {"tier": "prod"}, "resources": resources}

test_change_kind_is_observed if {
	findings := change.deny with input as _plan({
		"aws_db_instance": [{"address": "aws_db_instance.a", "type": "aws_db_instance", "values": {}, "actions": ["delete", "create"], "replace": true}],
		"aws_iam_role": [{"address": "aws_iam_role.r", "type": "aws_iam_role", "values": {}, "actions": ["update"]}],
	})
	findings == {
		{"rule": "CHG-001", "address": "aws_db_instance.a", "attribute": null, "observed": "replace"},
		{"rule": "CHG-002", "address": "aws_iam_role.r", "attribute": null, "observed": "update"},
	}
}

test_log_group_retention_change_names_the_attribute if {
	findings := change.deny with input as _plan({"aws_cloudwatch_log_group": [{
		"address": "aws_cloudwatch_log_group.l",
		"type": "aws_cloudwatch_log_group",
		"values": {"retention_in_days": 7},
		"before": {"retention_in_days": 90},
		"actions": ["update"],
	}]})
	findings == {{"rule": "CHG-004", "address": "aws_cloudwatch_log_group.l", "attribute": "retention_in_days", "observed": "update"}}
}
