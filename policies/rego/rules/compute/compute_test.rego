package baseplate.rules.compute_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.compute

test_cases if testing.all_pass("compute")

_inst(values) := {"address": "aws_instance.a", "type": "aws_instance", "values": values}

test_device_findings_name_the_device if {
	findings := compute.deny with input as {"resources": {"aws_instance": [_inst({
		"metadata_options": [{"http_tokens": "required"}],
		"root_block_device": [{"encrypted": true}],
		"ebs_block_device": [{"encrypted": true}, {"encrypted": false}],
	})]}}
	findings == {{"rule": "EC2-002", "address": "aws_instance.a", "attribute": "ebs_block_device[1].encrypted", "observed": false}}
}

test_imds_finding_reports_the_tokens_setting if {
	findings := compute.deny with input as {"resources": {"aws_instance": [_inst({
		"metadata_options": {"http_tokens": "optional"},
		"root_block_device": {"encrypted": true},
	})]}}
	findings == {{"rule": "EC2-001", "address": "aws_instance.a", "attribute": "metadata_options.http_tokens", "observed": "optional"}}
}

test_launch_template_mapping_is_named if {
	template := {"address": "aws_launch_template.t", "type": "aws_launch_template", "values": {
		"metadata_options": [{"http_tokens": "required"}],
		"block_device_mappings": [{"ebs": [{"encrypted": "true"}]}, {"ebs": [{"encrypted": null}]}],
	}}
	findings := compute.deny with input as {"resources": {"aws_launch_template": [template]}}
	findings == {{"rule": "EC2-002", "address": "aws_launch_template.t", "attribute": "block_device_mappings[1].ebs.encrypted", "observed": null}}
}
