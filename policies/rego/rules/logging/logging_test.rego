package baseplate.rules.logging_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.logging

test_cases if testing.all_pass("logging")

_lg(values) := {"address": "aws_cloudwatch_log_group.app", "mode": "managed", "type": "aws_cloudwatch_log_group", "values": values}

test_retention_findings_report_attribute_and_value if {
	findings := logging.deny with input as {"environment": {"tier": "prod"}, "resources": {"aws_cloudwatch_log_group": [_lg({"retention_in_days": 7, "kms_key_id": "k"})]}}
	findings == {
		{"rule": "LOG-001", "address": "aws_cloudwatch_log_group.app", "attribute": "retention_in_days", "observed": 7},
		{"rule": "LOG-002", "address": "aws_cloudwatch_log_group.app", "attribute": "retention_in_days", "observed": 7},
	}
}

test_string_retention_is_reported_as_number_in_prod if {
	findings := logging.deny with input as {"environment": {"tier": "prod"}, "resources": {"aws_cloudwatch_log_group": [_lg({"retention_in_days": "90", "kms_key_id": "k"})]}}
	findings == {{"rule": "LOG-002", "address": "aws_cloudwatch_log_group.app", "attribute": "retention_in_days", "observed": 90}}
}
