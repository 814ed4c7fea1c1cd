package baseplate.rules.cost_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.cost

test_cases if testing.all_pass("cost")

test_nat_finding_reports_the_total if {
	nats := [
		{"address": "aws_nat_gateway.a", "type": "aws_nat_gateway", "values": {}},
		{"address": "aws_nat_gateway.b", "type": "aws_nat_gateway", "values": {"count": 2}},
	]
	findings := cost.deny with input as {"environment": {"tier": "dev"}, "resources": {"aws_nat_gateway": nats}}
	findings == {{"rule": "COST-001", "address": "aws_nat_gateway.b", "attribute": null, "observed": 3}}
}

test_gp2_finding_names_the_device if {
	inst := {"address": "aws_instance.i", "type": "aws_instance", "values": {"ebs_block_device": [{"volume_type": "gp3"}, {"volume_type": "gp2"}]}}
	findings := cost.deny with input as {"resources": {"aws_instance": [inst]}}
	findings == {{"rule": "COST-002", "address": "aws_instance.i", "attribute": "ebs_block_device[1].volume_type", "observed": "gp2"}}
}
